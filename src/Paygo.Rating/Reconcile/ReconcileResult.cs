using System.Globalization;
using Paygo.Rating.Files;

namespace Paygo.Rating.Reconcile;

/// <summary>Why a key's rows differ between the two files; a key gets the first that applies, in <see cref="VarianceRow.ReasonOrder"/>.</summary>
public enum VarianceReason
{
    /// <summary>Both sides agree.</summary>
    None,

    /// <summary>Microsoft's file has the key, Paygo's does not.</summary>
    MissingInActual,

    /// <summary>Paygo's file has the key, Microsoft's does not.</summary>
    MissingInExpected,

    /// <summary>The summed quantity differs (so everything priced from it does).</summary>
    Quantity,

    /// <summary>The PartnerEarnedCreditPercentage differs.</summary>
    Pec,

    /// <summary>The PCToBCExchangeRate differs.</summary>
    FxRate,

    /// <summary>Same day quantity, different month-to-date quantity before the day: the same tiers priced another slice of them.</summary>
    TierPosition,

    /// <summary>Same quantity and same place on the tiers, different UnitPrice: the list price differs.</summary>
    UnitPrice,

    /// <summary>Same quantity, prices, PEC and rate, different totals: arithmetic or rounding.</summary>
    Amount,
}

/// <summary>Every reason that applies to a key, as flags (bit <c>1 &lt;&lt; (int)reason</c>).</summary>
[Flags]
public enum VarianceReasons
{
    None = 0,
    MissingInActual = 1 << (int)VarianceReason.MissingInActual,
    MissingInExpected = 1 << (int)VarianceReason.MissingInExpected,
    Quantity = 1 << (int)VarianceReason.Quantity,
    Pec = 1 << (int)VarianceReason.Pec,
    FxRate = 1 << (int)VarianceReason.FxRate,
    TierPosition = 1 << (int)VarianceReason.TierPosition,
    UnitPrice = 1 << (int)VarianceReason.UnitPrice,
    Amount = 1 << (int)VarianceReason.Amount,
}

/// <summary>
/// One side's rows of one key, summed. <c>UnitPrice</c> is Σ(Quantity × UnitPrice) / ΣQuantity
/// (the row's own when there is one); <c>PecPercent</c> and <c>ExchangeRate</c> are the rows'
/// value, weighted by cost when the rows of a key disagree.
/// </summary>
public sealed record VarianceValues(int Rows, decimal Quantity, decimal UnitPrice, decimal PecPercent, decimal ExchangeRate, decimal PricingPreTaxTotal, decimal BillingPreTaxTotal);

/// <summary>A key (Azure subscription, resource, meter, day) whose two sides differ; a side is null when its file has no row of the key.</summary>
public sealed record VarianceRow(
    Guid CustomerId,
    Guid EntitlementId,
    string ResourceUri,
    Guid MeterId,
    DateOnly UsageDate,
    VarianceReason Reason,
    VarianceReasons AllReasons,
    VarianceValues? Expected,
    VarianceValues? Actual)
{
    /// <summary>The order reasons are tried in: a missing row explains everything; quantity explains prices and totals; then PEC, FX, the price.</summary>
    public static IReadOnlyList<VarianceReason> ReasonOrder { get; } =
    [
        VarianceReason.MissingInActual, VarianceReason.MissingInExpected, VarianceReason.Quantity, VarianceReason.Pec,
        VarianceReason.FxRate, VarianceReason.TierPosition, VarianceReason.UnitPrice, VarianceReason.Amount,
    ];

    public static VarianceReasons Flag(VarianceReason reason) => (VarianceReasons)(1 << (int)reason);

    /// <summary>Actual minus expected BillingPreTaxTotal (a missing side counts 0).</summary>
    public decimal BillingDifference => (Actual?.BillingPreTaxTotal ?? 0) - (Expected?.BillingPreTaxTotal ?? 0);

    /// <summary>The differences CSV's order: customer, Azure subscription, resource (without case), meter, day.</summary>
    public static int Order(VarianceRow? x, VarianceRow? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var c = x.CustomerId.CompareTo(y.CustomerId);
        c = c != 0 ? c : x.EntitlementId.CompareTo(y.EntitlementId);
        c = c != 0 ? c : StringComparer.OrdinalIgnoreCase.Compare(x.ResourceUri, y.ResourceUri);
        c = c != 0 ? c : x.MeterId.CompareTo(y.MeterId);
        return c != 0 ? c : x.UsageDate.CompareTo(y.UsageDate);
    }

    /// <summary>The reason as the CSV and the report write it (camelCase).</summary>
    public static string Name(VarianceReason reason) => reason switch
    {
        VarianceReason.None => "none",
        VarianceReason.MissingInActual => "missingInActual",
        VarianceReason.MissingInExpected => "missingInExpected",
        VarianceReason.Quantity => "quantity",
        VarianceReason.Pec => "pec",
        VarianceReason.FxRate => "fxRate",
        VarianceReason.TierPosition => "tierPosition",
        VarianceReason.UnitPrice => "unitPrice",
        _ => "amount",
    };

    public static string Names(VarianceReasons reasons) =>
        string.Join(';', ReasonOrder.Where(r => (reasons & Flag(r)) != 0).Select(Name));
}

/// <summary>How many keys of a group differ for one reason, and by how much (actual − expected BillingPreTaxTotal).</summary>
public sealed record ReasonTotal(VarianceReason Reason, long Keys, decimal BillingDifference);

/// <summary>
/// One customer and meter of the variance report (or, with empty ids, the whole files): its keys,
/// how many differ, each side's BillingPreTaxTotal and the difference, per reason.
/// </summary>
public sealed record VarianceGroup(
    Guid CustomerId,
    string? CustomerName,
    Guid MeterId,
    string? MeterName,
    long Keys,
    long DifferingKeys,
    decimal ExpectedBillingPreTaxTotal,
    decimal ActualBillingPreTaxTotal,
    IReadOnlyList<ReasonTotal> Reasons)
{
    public decimal Difference => ActualBillingPreTaxTotal - ExpectedBillingPreTaxTotal;
}

/// <summary>The outcome of a reconciliation: the problems that stopped it, or the comparison.</summary>
public sealed class ReconcileResult
{
    private ReconcileResult()
    {
    }

    /// <summary>True when both files were read; false when either had a problem (<see cref="ExpectedProblems"/>, <see cref="ActualProblems"/>).</summary>
    public bool Read { get; private init; }

    public IReadOnlyList<FileProblem> ExpectedProblems { get; private init; } = [];

    public long ExpectedProblemCount { get; private init; }

    public IReadOnlyList<FileProblem> ActualProblems { get; private init; } = [];

    public long ActualProblemCount { get; private init; }

    public long ExpectedRows { get; private init; }

    public long ActualRows { get; private init; }

    /// <summary>Distinct keys over both files: what memory grew with.</summary>
    public long Keys { get; private init; }

    /// <summary>Every differing key, in <see cref="VarianceRow.Order"/>.</summary>
    public IReadOnlyList<VarianceRow> Differences { get; private init; } = [];

    /// <summary>The customers and meters with a difference, by customer then meter.</summary>
    public IReadOnlyList<VarianceGroup> Report { get; private init; } = [];

    /// <summary>Both files in all.</summary>
    public VarianceGroup? Totals { get; private init; }

    public bool Equal => Read && Differences.Count == 0;

    internal static ReconcileResult Refused(IReadOnlyList<FileProblem> expected, long expectedCount, IReadOnlyList<FileProblem> actual, long actualCount) => new()
    {
        ExpectedProblems = expected,
        ExpectedProblemCount = expectedCount,
        ActualProblems = actual,
        ActualProblemCount = actualCount,
    };

    internal static ReconcileResult Compared(long expectedRows, long actualRows, long keys, IReadOnlyList<VarianceRow> differences, IReadOnlyList<VarianceGroup> report, VarianceGroup totals) => new()
    {
        Read = true,
        ExpectedRows = expectedRows,
        ActualRows = actualRows,
        Keys = keys,
        Differences = differences,
        Report = report,
        Totals = totals,
    };
}

/// <summary>The differences CSV: one row per differing key, both sides' values and the reason.</summary>
public static class DifferencesFile
{
    public static IReadOnlyList<string> Header { get; } =
    [
        "CustomerId", "EntitlementId", "ResourceURI", "MeterId", "UsageDate", "Reason", "AllReasons",
        "ExpectedRows", "ActualRows", "ExpectedQuantity", "ActualQuantity", "ExpectedUnitPrice", "ActualUnitPrice",
        "ExpectedPartnerEarnedCreditPercentage", "ActualPartnerEarnedCreditPercentage", "ExpectedPCToBCExchangeRate", "ActualPCToBCExchangeRate",
        "ExpectedPricingPreTaxTotal", "ActualPricingPreTaxTotal", "ExpectedBillingPreTaxTotal", "ActualBillingPreTaxTotal", "BillingPreTaxTotalDifference",
    ];

    /// <summary>Writes the file (UTF-8 without BOM, CRLF); a side without rows leaves its cells empty.</summary>
    public static void Write(Stream stream, IEnumerable<VarianceRow> rows)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(rows);
        using var writer = new StreamWriter(stream, CsvText.Utf8NoBom, 1 << 16, leaveOpen: true);
        writer.Write(string.Join(',', Header));
        writer.Write(CsvText.NewLine);
        foreach (var row in rows)
        {
            writer.Write(row.CustomerId.ToString("D"));
            writer.Write(',');
            writer.Write(row.EntitlementId.ToString("D"));
            writer.Write(',');
            CsvText.WriteField(writer, row.ResourceUri);
            writer.Write(',');
            writer.Write(row.MeterId.ToString("D"));
            writer.Write(',');
            writer.Write(row.UsageDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(VarianceRow.Name(row.Reason));
            writer.Write(',');
            writer.Write(VarianceRow.Names(row.AllReasons));
            Pair(writer, row.Expected?.Rows, row.Actual?.Rows);
            Pair(writer, row.Expected?.Quantity, row.Actual?.Quantity);
            Pair(writer, row.Expected?.UnitPrice, row.Actual?.UnitPrice);
            Pair(writer, row.Expected?.PecPercent, row.Actual?.PecPercent);
            Pair(writer, row.Expected?.ExchangeRate, row.Actual?.ExchangeRate);
            Pair(writer, row.Expected?.PricingPreTaxTotal, row.Actual?.PricingPreTaxTotal);
            Pair(writer, row.Expected?.BillingPreTaxTotal, row.Actual?.BillingPreTaxTotal);
            writer.Write(',');
            writer.Write(Format(row.BillingDifference));
            writer.Write(CsvText.NewLine);
        }
    }

    /// <summary>A decimal without the trailing zeros of its scale, invariant.</summary>
    public static string Format(decimal value) => (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    private static void Pair(StreamWriter writer, decimal? expected, decimal? actual)
    {
        writer.Write(',');
        if (expected is { } e)
        {
            writer.Write(Format(e));
        }

        writer.Write(',');
        if (actual is { } a)
        {
            writer.Write(Format(a));
        }
    }

    private static void Pair(StreamWriter writer, int? expected, int? actual)
    {
        writer.Write(',');
        writer.Write((expected ?? 0).ToString(CultureInfo.InvariantCulture));
        writer.Write(',');
        writer.Write((actual ?? 0).ToString(CultureInfo.InvariantCulture));
    }
}
