using System.Text;
using System.Text.Json;
using nietras.SeparatedValues;
using Paygo.Core.Common;
using Paygo.Rating.Files;

namespace Paygo.Core.Usage;

/// <summary>One record of a batch as it came, every field still text; <see cref="Unreadable"/> when the record itself could not be read.</summary>
public sealed record UsageInput(
    int Index, string? Id, string? EntitlementId, string? ResourceUri, string? MeterId, string? UsageDate, string? Quantity,
    string? Location = null, string? Tags = null, string? AdditionalInfo = null, UsageRejection? Unreadable = null);

/// <summary>
/// Reads a <c>POST /v1/usage</c> body in one of DOMAIN.md §10's three forms into records of text.
/// What cannot be read at all (not a JSON array, a CSV header that is not the usage table's, too
/// many records) refuses the batch; a record that cannot be read (an NDJSON line that is not JSON,
/// a CSV row with the wrong number of fields, a field of the wrong JSON type) is that record's
/// rejection, and its neighbours go on (DOMAIN.md §7).
/// </summary>
public static class UsageBatchReader
{
    public const string Json = "application/json";
    public const string Ndjson = "application/x-ndjson";
    public const string Csv = "text/csv";

    /// <summary>The form a Content-Type names (JSON array, NDJSON, CSV), or null for any other type.</summary>
    public static string? FormOf(string? contentType)
    {
        var media = contentType?.Split(';', 2)[0].Trim().ToLowerInvariant();
        return media switch
        {
            "application/json" or "text/json" => Json,
            "application/x-ndjson" or "application/ndjson" or "application/jsonl" or "application/x-jsonlines" or "application/jsonlines" => Ndjson,
            "text/csv" or "application/csv" => Csv,
            _ => null,
        };
    }

    /// <summary>The records of a body (held whole: it is at most <see cref="UsageLimits.MaxBodyBytes"/>), or the error that refuses the batch.</summary>
    public static Result<List<UsageInput>> Read(ReadOnlyMemory<byte> body, string form) => form switch
    {
        Json => ReadJsonArray(body),
        Ndjson => ReadNdjson(body),
        _ => ReadCsv(body),
    };

    private static Result<List<UsageInput>> ReadJsonArray(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            var position = e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : string.Empty;
            return new ApiError(ErrorKind.Invalid, ErrorCodes.InvalidRequestInput, $"The request body is not valid JSON{position}: {e.Message.Split(" Path:", 2)[0]}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return new ApiError(ErrorKind.Invalid, ErrorCodes.InvalidRequestInput,
                    "The request body must be a JSON array of usage records (or NDJSON with Content-Type: application/x-ndjson, or CSV with text/csv).");
            }

            var count = document.RootElement.GetArrayLength();
            if (count > UsageLimits.MaxRecords)
            {
                return TooMany(count);
            }

            var records = new List<UsageInput>(count);
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                records.Add(FromJson(index++, element));
            }

            return records;
        }
    }

    private static Result<List<UsageInput>> ReadNdjson(ReadOnlyMemory<byte> body)
    {
        var records = new List<UsageInput>();
        var span = body.Span;
        var line = 0;
        while (!span.IsEmpty)
        {
            var end = span.IndexOf((byte)'\n');
            var text = end < 0 ? span : span[..end];
            span = end < 0 ? [] : span[(end + 1)..];
            line++;
            if (text.Trim("\r\t "u8).IsEmpty)
            {
                continue;
            }

            if (records.Count == UsageLimits.MaxRecords)
            {
                return TooMany(UsageLimits.MaxRecords + 1);
            }

            var index = records.Count;
            try
            {
                using var document = JsonDocument.Parse(text.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
                records.Add(FromJson(index, document.RootElement));
            }
            catch (JsonException e)
            {
                records.Add(Unreadable(index, new UsageRejection(ErrorCodes.InvalidRequestInput, "record",
                    $"Line {line} is not a JSON object: {e.Message.Split(" Path:", 2)[0]}")));
            }
        }

        return records;
    }

    private static UsageInput FromJson(int index, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Unreadable(index, new UsageRejection(ErrorCodes.InvalidProperty, "record", $"Record {index} is a JSON {element.ValueKind.ToString().ToLowerInvariant()}, not an object."));
        }

        string? id = null, entitlement = null, resource = null, meter = null, date = null, quantity = null, location = null, tags = null, info = null;
        foreach (var property in element.EnumerateObject())
        {
            // Property names match case-insensitively: Partner Center's SDK sends PascalCase (DOMAIN.md §9).
            var name = property.Name.ToLowerInvariant();
            var value = property.Value;
            if (name is "tags" or "additionalinfo")
            {
                var text = value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String => value.GetString(),

                    // Written again compactly, so the same tags indented or not are the same content.
                    _ => JsonSerializer.Serialize(value),
                };
                if (name == "tags")
                {
                    tags = text;
                }
                else
                {
                    info = text;
                }

                continue;
            }

            if (name is not ("id" or "entitlementid" or "resourceuri" or "meterid" or "usagedate" or "quantity" or "location"))
            {
                continue;
            }

            string? scalar;
            if (value.ValueKind == JsonValueKind.String)
            {
                scalar = value.GetString();
            }
            else if (value.ValueKind == JsonValueKind.Null)
            {
                scalar = null;
            }
            else if (name == "quantity" && value.ValueKind == JsonValueKind.Number)
            {
                scalar = value.GetRawText();
            }
            else
            {
                var expected = name == "quantity" ? "a number" : "a string";
                return Unreadable(index, new UsageRejection(ErrorCodes.InvalidProperty, property.Name,
                    $"The field '{property.Name}' must be {expected}; it is a JSON {value.ValueKind.ToString().ToLowerInvariant()}."), id);
            }

            switch (name)
            {
                case "id": id = scalar; break;
                case "entitlementid": entitlement = scalar; break;
                case "resourceuri": resource = scalar; break;
                case "meterid": meter = scalar; break;
                case "usagedate": date = scalar; break;
                case "quantity": quantity = scalar; break;
                default: location = scalar; break;
            }
        }

        return new UsageInput(index, id, entitlement, resource, meter, date, quantity, location, tags, info);
    }

    private static readonly SepReaderOptions CsvOptions = new Sep(',').Reader() with
    {
        HasHeader = false,
        Unescape = true,
        DisableColCountCheck = true,
    };

    private static Result<List<UsageInput>> ReadCsv(ReadOnlyMemory<byte> body)
    {
        string text;
        try
        {
            text = CsvText.Utf8NoBom.GetString(body.Span);
        }
        catch (DecoderFallbackException)
        {
            return new ApiError(ErrorKind.Invalid, ErrorCodes.InvalidRequestInput, "The CSV body is not UTF-8.");
        }

        var table = UsageFile.Table;
        var records = new List<UsageInput>();
        int[]? map = null;
        using var reader = CsvOptions.FromText(text.TrimStart('\uFEFF'));
        foreach (var row in reader)
        {
            if (map is null)
            {
                var header = ReadHeader(row, table);
                if (header.Error is { } headerError)
                {
                    return headerError;
                }

                map = header.Value!;
                continue;
            }

            if (row.ColCount == 1 && row[0].Span.IsEmpty)
            {
                continue;
            }

            if (records.Count == UsageLimits.MaxRecords)
            {
                return TooMany(UsageLimits.MaxRecords + 1);
            }

            var index = records.Count;
            var rowNumber = row.RowIndex + 1;
            if (row.ColCount != map.Length)
            {
                records.Add(Unreadable(index, new UsageRejection(ErrorCodes.InvalidRequestInput, "record",
                    $"Row {rowNumber} has {row.ColCount} fields; the header has {map.Length} (a comma inside a value needs the value in double quotes).")));
                continue;
            }

            var cells = new string?[table.Count];
            for (var j = 0; j < map.Length; j++)
            {
                var cell = row[j].ToString();
                cells[map[j]] = cell.Length == 0 ? null : cell;
            }

            records.Add(new UsageInput(index, cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], cells[7], cells[8]));
        }

        if (map is null)
        {
            return new ApiError(ErrorKind.Invalid, ErrorCodes.InvalidRequestInput, $"The CSV body is empty; its first row must be the header {string.Join(',', table.Header)}.");
        }

        return records;
    }

    /// <summary>Each header position's column of <see cref="UsageFile.Table"/>; an unknown, repeated or missing required column refuses the file.</summary>
    private static Result<int[]> ReadHeader(SepReader.Row row, ColumnTable table)
    {
        var map = new int[row.ColCount];
        var seen = new HashSet<int>();
        var problems = new List<FieldError>();
        for (var j = 0; j < row.ColCount; j++)
        {
            var name = row[j].ToString().Trim();
            var column = table.Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
            if (column is null)
            {
                problems.Add(new FieldError(name, $"Column {j + 1} ('{ErrorText.Quote(name)}') is not a usage column; the columns are {string.Join(',', table.Header)}."));
                continue;
            }

            if (!seen.Add(column.Index))
            {
                problems.Add(new FieldError(column.Name, $"The column {column.Name} appears twice in the header."));
            }

            map[j] = column.Index;
        }

        foreach (var missing in table.Columns.Where(c => !c.MayBeAbsent && !seen.Contains(c.Index)))
        {
            problems.Add(new FieldError(missing.Name, $"The header has no {missing.Name} column, which is required."));
        }

        return problems.Count == 0
            ? map
            : new ApiError(ErrorKind.Invalid, ErrorCodes.InvalidProperty, "The CSV header is not the usage table's (DOMAIN.md §10).", problems);
    }

    private static UsageInput Unreadable(int index, UsageRejection rejection, string? id = null) =>
        new(index, id, null, null, null, null, null, Unreadable: rejection);

    /// <summary>Too many records: the server answers it as a 413, like a body over the byte limit.</summary>
    public static bool IsTooLarge(ApiError error) => error is { Code: ErrorCodes.PayloadTooLarge };

    private static ApiError TooMany(int count) =>
        new(ErrorKind.Invalid, ErrorCodes.PayloadTooLarge,
            $"A batch holds at most {UsageLimits.MaxRecords} usage records; this one has {(count > UsageLimits.MaxRecords ? "more" : count.ToString(System.Globalization.CultureInfo.InvariantCulture))}. Split it into smaller batches.");
}
