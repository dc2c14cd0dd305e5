using nietras.SeparatedValues;
using Paygo.Rating.Files;
using Paygo.Rating.Money;
using C = Paygo.Rating.Files.Columns<Paygo.Rating.Pricing.FxRate>;

namespace Paygo.Rating.Pricing;

/// <summary>
/// Reads and writes Microsoft's FX rates file (reference §4.4): the columns <c>CurrencyCode</c>,
/// <c>USDPerUnit</c>, <c>Month</c> (<c>yyyyMM</c>), every field in double quotes as Microsoft
/// writes it. All or nothing, like <see cref="PriceListFile"/>, with the same row numbering.
/// </summary>
public static class FxRateFile
{
    public const string CurrencyCodeColumn = "CurrencyCode";
    public const string UsdPerUnitColumn = "USDPerUnit";
    public const string MonthColumn = "Month";

    /// <summary>
    /// The format, the one place its order and types are written (docs/adr/0023); every field,
    /// the header too, in double quotes as Microsoft writes it.
    /// </summary>
    public static ColumnTable<FxRate> Table { get; } = new(
        "FX rates",
        [
            C.Text(CurrencyCodeColumn, r => r.Currency.Value, required: true, type: ColumnType.Currency),
            C.Number(UsdPerUnitColumn, r => r.UsdPerUnit, required: true),
            C.Text(MonthColumn, r => r.Month.ToFileText(), required: true, type: ColumnType.Month),
        ],
        quoteAll: true);

    internal static readonly int CurrencyCodeIndex = Table.IndexOf(CurrencyCodeColumn);
    internal static readonly int UsdPerUnitIndex = Table.IndexOf(UsdPerUnitColumn);
    internal static readonly int MonthIndex = Table.IndexOf(MonthColumn);

    private static readonly SepReaderOptions ReaderOptions = new Sep(',').Reader() with
    {
        HasHeader = false,
        Unescape = true,
        DisableColCountCheck = true,
    };

    /// <summary>The header, in order.</summary>
    public static IReadOnlyList<string> Columns => Table.Header;

    /// <summary>Reads a UTF-8 FX file (BOM optional) from a stream left open.</summary>
    public static FileReadResult<FxRates> Read(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var text = CsvText.OpenText(stream);
        using var reader = ReaderOptions.From(text);
        var problems = new ProblemCollector();
        var seen = new Dictionary<(CurrencyCode, BillingMonth), int>();
        var rates = new List<FxRate>();
        var sawHeader = false;
        var headerFailed = false;
        var dataRows = 0;
        foreach (var row in reader)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rowNumber = row.RowIndex + 1;
            if (!sawHeader)
            {
                sawHeader = true;
                if (!CheckText(row, rowNumber, problems) || !CheckHeader(row, problems))
                {
                    headerFailed = true;
                    break;
                }

                continue;
            }

            if (row.ColCount == 1 && row[0].Span.IsEmpty)
            {
                continue;
            }

            dataRows++;
            if (!CheckText(row, rowNumber, problems))
            {
                continue;
            }

            if (row.ColCount != Columns.Count)
            {
                problems.AddRow(rowNumber, $"the row has {row.ColCount} fields; an FX row has {Columns.Count}");
                continue;
            }

            var before = problems.Count;
            var currencyText = row[CurrencyCodeIndex].Span;
            if (!CurrencyCode.TryParse(currencyText.ToString(), out var currency))
            {
                problems.Add(
                    rowNumber,
                    CurrencyCodeIndex,
                    CurrencyCodeColumn,
                    currencyText,
                    currencyText.IsEmpty ? "CurrencyCode is required" : "not an ISO 4217 currency code (e.g. EUR)");
            }

            var rateText = row[UsdPerUnitIndex].Span;
            var rateRead = PriceText.ParseDecimal(rateText, out var usdPerUnit);
            var rateParsed = rateRead == DecimalText.Exact;
            if (rateRead == DecimalText.TooPrecise)
            {
                problems.Add(
                    rowNumber,
                    UsdPerUnitIndex,
                    UsdPerUnitColumn,
                    rateText,
                    $"USDPerUnit has more digits than Paygo keeps exactly (at most 28 after the point, and 28 or 29 in all); it would be stored as {PriceText.FormatRounded(usdPerUnit)}");
            }
            else if (!rateParsed)
            {
                problems.Add(rowNumber, UsdPerUnitIndex, UsdPerUnitColumn, rateText, rateText.IsEmpty ? "USDPerUnit is required" : "USDPerUnit must be a number such as 0.27224589249009701");
            }

            var monthText = row[MonthIndex].Span;
            if (!BillingMonth.TryParseFileText(monthText, out var month))
            {
                problems.Add(rowNumber, MonthIndex, MonthColumn, monthText, "Month must be yyyyMM, such as 202611");
            }

            if (problems.Count == before)
            {
                var rate = new FxRate(currency, usdPerUnit, month);
                FxRates.Check(rate, rowNumber, seen, problems);
                rates.Add(rate);
            }
            else if (rateParsed && usdPerUnit <= 0)
            {
                // The row is refused anyway; its rate is still named, so one pass finds every problem.
                problems.Add(rowNumber, UsdPerUnitIndex, UsdPerUnitColumn, rateText, "USDPerUnit must be more than 0");
            }
        }

        if (!sawHeader)
        {
            problems.AddRow(1, $"the file is empty; its first row must be the header {string.Join(',', Columns)}");
        }
        else if (!headerFailed && dataRows == 0)
        {
            problems.AddRow(2, "the file has the header but no rates; an FX file has at least one row after the header");
        }

        cancellationToken.ThrowIfCancellationRequested();
        return FxRates.Finish(rates, problems);
    }

    /// <summary>
    /// Reads an FX file without blocking a thread on I/O (an HTTP request body). FX files are a
    /// few kilobytes, so the stream is buffered and read by <see cref="Read"/>; the caller limits
    /// the body size.
    /// </summary>
    public static async Task<FileReadResult<FxRates>> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        buffer.Position = 0;
        return Read(buffer, cancellationToken);
    }

    /// <summary>Writes the rates in their order, every field quoted as in Microsoft's file; the stream is left open.</summary>
    public static void Write(Stream stream, IEnumerable<FxRate> rates)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(rates);
        using var writer = new CsvTableWriter<FxRate>(stream, Table, leaveOpen: true);
        foreach (var rate in rates)
        {
            writer.Write(rate);
        }
    }

    // The row-wide checks of the price list reader (PriceListParser.CheckText), with the same reasons.
    private static bool CheckText(SepReader.Row row, int rowNumber, ProblemCollector problems)
    {
        var span = row.Span;
        if (span.IndexOfAny('\uFFFD', '\0') >= 0)
        {
            problems.AddRow(rowNumber, span.Contains('\0') ? CsvText.NulReason : "the text here is not UTF-8; save the file as UTF-8");
            return false;
        }

        if ((span.Count('"') & 1) != 0)
        {
            problems.AddRow(rowNumber, CsvText.UnterminatedQuoteReason);
            return false;
        }

        return true;
    }

    private static bool CheckHeader(SepReader.Row row, ProblemCollector problems)
    {
        var ok = row.ColCount == Columns.Count;
        for (var i = 0; i < Math.Max(row.ColCount, Columns.Count); i++)
        {
            var name = i < row.ColCount ? row[i].Span : default;
            if (i < Columns.Count && name.SequenceEqual(Columns[i]))
            {
                continue;
            }

            ok = false;
            var column = i < Columns.Count ? Columns[i] : name.ToString();
            problems.Add(1, i, column, name, $"column {i + 1} must be {(i < Columns.Count ? Columns[i] : "absent")}; the header is {string.Join(',', Columns)}");
        }

        return ok;
    }
}
