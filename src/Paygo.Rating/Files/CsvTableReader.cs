using System.Globalization;
using nietras.SeparatedValues;
using Paygo.Rating.Money;
using Paygo.Rating.Pricing;

namespace Paygo.Rating.Files;

/// <summary>
/// Reads a file of any <see cref="ColumnTable"/> into its cells, all or nothing, with the rules
/// the price list reader set (docs/adr/0010): the header must be the table's columns in order
/// (a column that <see cref="FileColumn.MayBeAbsent"/> may be left out), every cell is checked
/// against its column's type, and every problem is named by row and column. A format's own
/// reader turns the cells into its row type and adds its business rules. For files of thousands
/// of rows (usage forms, access); a million-row format gets a parser of its own, as the price list has.
/// </summary>
public static class CsvTableReader
{
    private static readonly SepReaderOptions ReaderOptions = new Sep(',').Reader() with
    {
        HasHeader = false,
        Unescape = true,
        DisableColCountCheck = true,
    };

    /// <summary>Reads a UTF-8 file (BOM optional, CRLF or LF) from a stream left open.</summary>
    public static FileReadResult<CsvRecords> Read(Stream stream, ColumnTable table, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var text = CsvText.OpenText(stream);
        return Read(text, table, cancellationToken);
    }

    public static FileReadResult<CsvRecords> Read(TextReader text, ColumnTable table, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(table);
        var problems = new ProblemCollector();
        var records = new List<CsvRecord>();
        int[]? map = null;
        var sawHeader = false;
        using (var reader = ReaderOptions.From(text))
        {
            foreach (var row in reader)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rowNumber = row.RowIndex + 1;
                if (!sawHeader)
                {
                    sawHeader = true;
                    map = CheckText(row, rowNumber, problems) ? ReadHeader(row, table, problems) : null;
                    if (map is null)
                    {
                        break;
                    }

                    continue;
                }

                if (row.ColCount == 1 && row[0].Span.IsEmpty)
                {
                    continue;
                }

                if (!CheckText(row, rowNumber, problems))
                {
                    continue;
                }

                if (row.ColCount != map!.Length)
                {
                    problems.AddRow(rowNumber, $"the row has {row.ColCount} fields; the header has {map.Length} (a comma inside a value needs the value in double quotes)");
                    continue;
                }

                var cells = new string[table.Count];
                Array.Fill(cells, string.Empty);
                var before = problems.Count;
                for (var j = 0; j < map.Length; j++)
                {
                    var column = table.Columns[map[j]];
                    var value = row[j].Span;
                    CheckCell(column, table, value, rowNumber, problems);
                    cells[column.Index] = value.ToString();
                }

                if (problems.Count == before)
                {
                    records.Add(new CsvRecord(table, rowNumber, cells));
                }
            }
        }

        if (!sawHeader)
        {
            problems.AddRow(1, $"the file is empty; its first row must be the header {string.Join(',', table.Header)}");
        }

        return problems.Count > 0
            ? FileReadResult<CsvRecords>.Failure(problems.ToList(), problems.Count)
            : FileReadResult<CsvRecords>.Success(new CsvRecords(table, records));
    }

    /// <summary>Maps each header position to its table column; null (with problems) when the header is not the table's.</summary>
    private static int[]? ReadHeader(SepReader.Row row, ColumnTable table, ProblemCollector problems)
    {
        var map = new int[row.ColCount];
        var ok = true;
        var next = 0;
        for (var j = 0; j < row.ColCount; j++)
        {
            var name = row[j].ToString();
            if (!table.Contains(name))
            {
                problems.Add(1, table.Count + j, name, name, $"column {j + 1} is not a {table.Format} column; the columns are {string.Join(',', table.Header)}");
                ok = false;
                continue;
            }

            var column = table[name];
            map[j] = column.Index;
            if (column.Index < next)
            {
                problems.Add(1, column, name, $"column {name} is out of place (or given twice); the columns go in the order {string.Join(',', table.Header)}");
                ok = false;
                continue;
            }

            for (var skipped = next; skipped < column.Index; skipped++)
            {
                ok &= Absent(table.Columns[skipped], j + 1, table, problems);
            }

            next = column.Index + 1;
        }

        for (var skipped = next; skipped < table.Count; skipped++)
        {
            ok &= Absent(table.Columns[skipped], row.ColCount + 1, table, problems);
        }

        return ok ? map : null;
    }

    private static bool Absent(FileColumn column, int place, ColumnTable table, ProblemCollector problems)
    {
        if (column.MayBeAbsent)
        {
            return true;
        }

        problems.Add(1, column, string.Empty, $"column {column.Name} is missing; it must come before column {place} of the header {string.Join(',', table.Header)}");
        return false;
    }

    // The row-wide checks of the price list reader, with the same reasons.
    private static bool CheckText(SepReader.Row row, int rowNumber, ProblemCollector problems)
    {
        var span = row.Span;
        if (span.IndexOfAny('\uFFFD', '\0') >= 0)
        {
            problems.AddRow(rowNumber, span.Contains('\0') ? CsvText.NulReason : "the text here is not UTF-8; save the file as UTF-8 (\"CSV UTF-8\" in Excel)");
            return false;
        }

        if ((span.Count('"') & 1) != 0)
        {
            problems.AddRow(rowNumber, CsvText.UnterminatedQuoteReason);
            return false;
        }

        return true;
    }

    private static void CheckCell(FileColumn column, ColumnTable table, ReadOnlySpan<char> value, int row, ProblemCollector problems)
    {
        if (value.IsEmpty)
        {
            if (column.Required)
            {
                problems.Add(row, column, value, $"{column.Name} is required");
            }

            return;
        }

        var reason = column.Type switch
        {
            ColumnType.Text => CsvText.StartsLikeAFormula(value) ? CsvText.FormulaReason(column.Name) : null,
            ColumnType.Number => PriceText.ParseDecimal(value, out var number) switch
            {
                DecimalText.Exact => null,
                DecimalText.TooPrecise => $"{column.Name} has more digits than Paygo keeps exactly (at most 28 after the point, and 28 or 29 in all); it would be stored as {PriceText.FormatRounded(number)}",
                _ => $"{column.Name} must be a number written with digits and an optional '.', such as 0.0022",
            },
            ColumnType.WholeNumber => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? null : $"{column.Name} must be a whole number",
            ColumnType.Date => IsDate(value, table.DateFormat) ? null : $"{column.Name} must be a UTC date written {table.DateFormat}, yyyy-MM-dd or M/d/yyyy h:mm:ss AM/PM",
            ColumnType.Month => BillingMonth.TryParseFileText(value, out _) ? null : $"{column.Name} must be yyyyMM, such as 202611",
            ColumnType.Uuid => Guid.TryParseExact(value, "D", out _) ? null : $"{column.Name} must be a GUID such as 0e195b37-0000-0000-0000-000000000000",
            ColumnType.Currency => CurrencyCode.TryParse(value.ToString(), out _) ? null : $"{column.Name} must be an ISO 4217 currency code such as EUR",
            ColumnType.Country => value.Length == 2 && char.IsAsciiLetter(value[0]) && char.IsAsciiLetter(value[1]) ? null : $"{column.Name} must be a two-letter country code such as US",
            ColumnType.Unit => UnitOfMeasure.TryParse(value.ToString(), out _, out var error) ? null : error,
            ColumnType.Choice => IsChoice(column, value) ? null : $"{column.Name} must be one of {string.Join(", ", column.Choices)}",
            _ => null,
        };
        if (reason is not null)
        {
            problems.Add(row, column, value, reason);
        }
    }

    private static bool IsDate(ReadOnlySpan<char> value, string format) =>
        PriceText.TryParseDate(value, out _)
        || DateTime.TryParseExact(value, format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out _);

    private static bool IsChoice(FileColumn column, ReadOnlySpan<char> value)
    {
        foreach (var choice in column.Choices)
        {
            if (value.SequenceEqual(choice))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The rows of a file read by <see cref="CsvTableReader"/>.</summary>
public sealed class CsvRecords(ColumnTable table, IReadOnlyList<CsvRecord> rows)
{
    public ColumnTable Table { get; } = table;

    public IReadOnlyList<CsvRecord> Rows { get; } = rows;
}

/// <summary>One row's cells by column, each as the file wrote it (empty for an empty cell or an absent column).</summary>
public sealed class CsvRecord
{
    private readonly ColumnTable _table;
    private readonly string[] _cells;

    internal CsvRecord(ColumnTable table, int row, string[] cells)
    {
        _table = table;
        Row = row;
        _cells = cells;
    }

    /// <summary>The spreadsheet row number (the header is row 1).</summary>
    public int Row { get; }

    /// <summary>The cells in table order, ready for <see cref="CsvTableWriter.WriteCells"/>.</summary>
    public IReadOnlyList<string> Cells => _cells;

    public string this[FileColumn column]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(column);
            return _cells[column.Index];
        }
    }

    public string this[string name] => _cells[_table.IndexOf(name)];
}
