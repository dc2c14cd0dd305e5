using Paygo.Rating.Files;
using Paygo.Rating.Money;
using Paygo.Rating.Pricing;

namespace Paygo.Rating.Billing;

/// <summary>
/// Reads a billed (rated) daily rated usage file, the 55 columns of <see cref="DailyRatedUsageFile"/>,
/// into <see cref="FocusUsageRow"/>s for the FOCUS export in file mode. All or nothing, like every
/// Paygo file reader: the header and each cell are checked by the table, and a row without its
/// price columns (a file that was never rated) is refused with the column named, since FOCUS
/// cost columns cannot be made up.
/// </summary>
public static class BilledDailyFile
{
    private static readonly ColumnTable T = DailyRatedUsageFile.Table;

    // The price columns the daily table leaves optional (an unrated file has them blank) but a billed one has.
    private static readonly string[] Priced =
        ["UnitPrice", "EffectiveUnitPrice", "BillingPreTaxTotal", "BillingCurrency", "PricingPreTaxTotal", "PCToBCExchangeRate"];

    public static FileReadResult<IReadOnlyList<FocusUsageRow>> Read(Stream stream, CancellationToken cancellationToken = default)
    {
        var read = CsvTableReader.Read(stream, T, cancellationToken);
        if (!read.Succeeded)
        {
            return FileReadResult<IReadOnlyList<FocusUsageRow>>.Failure(read.Problems, read.ProblemCount);
        }

        var problems = new ProblemCollector();
        var rows = new List<FocusUsageRow>(read.Value!.Rows.Count);
        foreach (var record in read.Value.Rows)
        {
            var missing = false;
            foreach (var name in Priced)
            {
                if (record[name].Length == 0)
                {
                    problems.Add(record.Row, T[name], default, $"{name} is empty: this is not a billed (rated) daily file; rate it first with paygo rate");
                    missing = true;
                }
            }

            if (!missing)
            {
                rows.Add(FromCells(record.Cells));
            }
        }

        return problems.Count > 0
            ? FileReadResult<IReadOnlyList<FocusUsageRow>>.Failure(problems.ToList(), problems.Count)
            : FileReadResult<IReadOnlyList<FocusUsageRow>>.Success(rows);
    }

    /// <summary>
    /// One billed row from its 55 cells in <see cref="DailyRatedUsageFile.Table"/> order: a row of a
    /// file the table has read, or one the month close stored (whose cells it wrote through the
    /// same table), so the cells' types are already checked and the parses below cannot fail.
    /// </summary>
    public static FocusUsageRow FromCells(IReadOnlyList<string> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Count != T.Count)
        {
            throw new ArgumentException($"A daily rated usage row has {T.Count} cells, not {cells.Count}.", nameof(cells));
        }

        return ToRow(new Cells(cells));
    }

    private static FocusUsageRow ToRow(Cells r) => new()
    {
        PartnerId = Guid.Parse(r["PartnerId"]),
        PartnerName = Text(r["PartnerName"]),
        CustomerId = Guid.Parse(r["CustomerId"]),
        CustomerName = Text(r["CustomerName"]),
        SubscriptionId = Guid.Parse(r["SubscriptionId"]),
        EntitlementId = Guid.Parse(r["EntitlementId"]),
        EntitlementDescription = Text(r["EntitlementDescription"]),
        InvoiceNumber = Text(r["InvoiceNumber"]),
        UsageDate = Day(r["UsageDate"]),
        MeterId = Guid.Parse(r["MeterId"]),
        MeterName = Text(r["MeterName"]),
        MeterCategory = Text(r["MeterCategory"]),
        MeterSubCategory = Text(r["MeterSubCategory"]),
        MeterRegion = Text(r["MeterRegion"]),
        Unit = Text(r["Unit"]),
        ResourceLocation = Text(r["ResourceLocation"]),
        ConsumedService = Text(r["ConsumedService"]),
        ResourceUri = r["ResourceURI"],
        ProductId = Text(r["ProductId"]),
        SkuId = Text(r["SkuId"]),
        AvailabilityId = Text(r["AvailabilityId"]),
        SkuName = Text(r["SkuName"]),
        ProductName = Text(r["ProductName"]),
        PublisherName = Text(r["PublisherName"]),
        Quantity = Number(r["Quantity"]),
        UnitPrice = Number(r["UnitPrice"]),
        EffectiveUnitPrice = Number(r["EffectiveUnitPrice"]),
        PricingPreTaxTotal = Number(r["PricingPreTaxTotal"]),
        BillingPreTaxTotal = Number(r["BillingPreTaxTotal"]),
        BillingCurrency = CurrencyCode.Parse(r["BillingCurrency"]),
        PricingCurrency = r["PricingCurrency"].Length == 0 ? CurrencyCode.Usd : CurrencyCode.Parse(r["PricingCurrency"]),
        PcToBcExchangeRate = Number(r["PCToBCExchangeRate"]),
        PecPercent = r["PartnerEarnedCreditPercentage"].Length == 0 ? 0m : Number(r["PartnerEarnedCreditPercentage"]),
        Tags = Text(r["Tags"]),
    };

    private readonly struct Cells(IReadOnlyList<string> cells)
    {
        public string this[string name] => cells[T.IndexOf(name)] ?? string.Empty;
    }

    private static string? Text(string cell) => cell.Length == 0 ? null : cell;

    private static decimal Number(string cell) => PriceText.TryParseDecimal(cell, out var value) ? value : throw new FormatException($"'{cell}' is not a number");

    private static DateOnly Day(string cell) =>
        PriceText.TryParseDate(cell, out var value)
            ? DateOnly.FromDateTime(value)
            : throw new FormatException($"'{cell}' is not a date");
}
