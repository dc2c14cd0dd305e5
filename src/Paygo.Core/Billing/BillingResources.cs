using System.Globalization;
using Paygo.Core.Common;

namespace Paygo.Core.Billing;

/// <summary>Paygo's billing codes (990701–990709), each naming what stopped the request.</summary>
public static class BillingCodes
{
    /// <summary>The month to close is not over yet.</summary>
    public const int MonthNotOver = 990701;

    /// <summary>A later month is closed already: closes go forward in time, so late usage has one next invoice.</summary>
    public const int LaterMonthClosed = 990702;

    /// <summary>Usage of the month could not be rated (no price, no FX rate): the close stops rather than drop it.</summary>
    public const int UnratedUsage = 990703;

    /// <summary>A query parameter of the line items is missing or unknown.</summary>
    public const int InvalidLineItemQuery = 990704;

    /// <summary>An export's operation or manifest has expired: its data is gone, ask for a new export.</summary>
    public const int ExportExpired = 990705;

    /// <summary>The export failed while it ran (the operation's error says why).</summary>
    public const int ExportFailed = 990706;
}

/// <summary>Settings of the close: the tax rate per market (<c>Paygo:Billing:TaxRates:GB=0.2</c>), 0 unless configured.</summary>
public sealed class BillingSettings
{
    public Dictionary<string, decimal> TaxRates { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    public decimal TaxRateOf(string? market) =>
        market is not null && TaxRates.TryGetValue(market, out var rate) ? rate : 0m;
}

public sealed record CloseProgress(int PartnersTotal, int PartnersDone, int Invoices);

public sealed record CloseError(int Code, string Message);

/// <summary>A close run as <c>GET /v1/billing/closes/{id}</c> answers it, in the shape of Partner Center's billing operation (reference §8.3).</summary>
public sealed record CloseRunResource(
    Guid Id,
    string Month,
    string Status,
    DateTimeOffset CreatedDateTime,
    DateTimeOffset LastActionDateTime,
    CloseProgress Progress,
    CloseError? Error,
    ResourceLinks Links,
    ResourceAttributes Attributes)
{
    public static string PathOf(Guid id) => "/v1/billing/closes/" + id.ToString("D");

    public static CloseRunResource From(CloseRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new(run.Id, run.Month, run.Status, run.CreatedAt, run.CompletedAt ?? run.StartedAt ?? run.CreatedAt,
            new CloseProgress(run.PartnersTotal, run.PartnersDone, run.InvoiceCount),
            run.ErrorCode is { } code ? new CloseError(code, run.ErrorMessage ?? string.Empty) : null,
            new ResourceLinks(Link.Get(PathOf(run.Id))), new ResourceAttributes("BillingClose"));
    }
}

/// <summary>What a close request got: the run, and whether this request started (or restarted) it.</summary>
public sealed record CloseRequestOutcome(CloseRunResource Run, bool Started);

public sealed record InvoiceDetailResource(string InvoiceLineItemType, string BillingProvider, ResourceLinks Links, ResourceAttributes Attributes);

/// <summary>Partner Center's <c>Invoice</c> (reference §1.9), with Paygo's subtotal and tax beside <c>totalCharges</c>.</summary>
public sealed record InvoiceResource(
    string Id,
    Guid PartnerId,
    DateTimeOffset InvoiceDate,
    DateTimeOffset BillingPeriodStartDate,
    DateTimeOffset BillingPeriodEndDate,
    decimal TotalCharges,
    decimal PaidAmount,
    decimal Subtotal,
    decimal TaxTotal,
    string CurrencyCode,
    string CurrencySymbol,
    IReadOnlyList<InvoiceDetailResource> InvoiceDetails,
    string DocumentType,
    string InvoiceType,
    string Status,
    InvoiceFilesResource Files,
    ResourceLinks Links,
    ResourceAttributes Attributes)
{
    public static InvoiceResource From(Invoice invoice, IReadOnlyDictionary<string, string> hashes)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(hashes);
        var number = invoice.Number!;
        var path = "/v1/invoices/" + number;
        var month = DateOnly.ParseExact(invoice.Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var currency = Paygo.Rating.Money.CurrencyCode.Parse(invoice.Currency);
        return new(number, invoice.PartnerId,
            Instant(invoice.InvoiceDate), Instant(month), Instant(month.AddMonths(1).AddDays(-1)),
            Round(invoice.Total, currency.MinorUnit), 0m, Round(invoice.Subtotal, currency.MinorUnit), Round(invoice.TaxTotal, currency.MinorUnit),
            invoice.Currency, CurrencySymbols.Of(invoice.Currency),
            [
                new("billing_line_items", "one_time", new ResourceLinks(Link.Get($"{path}/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&currencycode={invoice.Currency}")), new ResourceAttributes("InvoiceDetail")),
                new("usage_line_items", "one_time", new ResourceLinks(Link.Get($"{path}/lineitems?provider=onetime&invoicelineitemtype=usagelineitems&currencycode={invoice.Currency}")), new ResourceAttributes("InvoiceDetail")),
            ],
            "Invoice", "Recurring", "active",
            new InvoiceFilesResource(
                new InvoiceFileLink(path + "/files/reconciliation", hashes.GetValueOrDefault(InvoiceFileKinds.Reconciliation) ?? string.Empty),
                new InvoiceFileLink(path + "/files/dailyusage", hashes.GetValueOrDefault(InvoiceFileKinds.DailyUsage) ?? string.Empty)),
            new ResourceLinks(Link.Get(path)), new ResourceAttributes("Invoice"));
    }

    private static decimal Round(decimal value, int minorUnit) => decimal.Round(value, minorUnit);

    private static DateTimeOffset Instant(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}

/// <summary>Paygo's own downloads of an invoice's two files with their SHA-256.</summary>
public sealed record InvoiceFilesResource(InvoiceFileLink Reconciliation, InvoiceFileLink DailyUsage);

public sealed record InvoiceFileLink(string Uri, string Sha256);

public sealed record InvoiceSummaryResource(
    decimal BalanceAmount,
    string CurrencyCode,
    string CurrencySymbol,
    DateTimeOffset FirstInvoiceCreationDate,
    DateTimeOffset LatestInvoiceDate,
    IReadOnlyList<InvoiceSummaryDetail> Details,
    ResourceAttributes Attributes);

public sealed record InvoiceSummaryDetail(string InvoiceType, InvoiceSummaryFigures Summary);

public sealed record InvoiceSummaryFigures(decimal BalanceAmount, string CurrencyCode, int InvoiceCount, DateTimeOffset LatestInvoiceDate);

/// <summary>Partner Center's <c>InvoiceSummaries</c>: one summary per currency.</summary>
public sealed record InvoiceSummariesResource(IReadOnlyList<InvoiceSummaryResource> CollectionOfSummary, ResourceAttributes Attributes);

/// <summary>A downloadable file: its bytes, name and hash.</summary>
public sealed record InvoiceFileContent(byte[] Content, string FileName, string Sha256);

/// <summary>The few currency symbols Paygo prints; the code itself for the others.</summary>
public static class CurrencySymbols
{
    public static string Of(string code) => code switch
    {
        "USD" or "AUD" or "CAD" or "NZD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "KRW" => "₩",
        "CHF" => "CHF",
        _ => code,
    };
}
