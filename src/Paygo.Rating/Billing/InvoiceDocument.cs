using Paygo.Rating.Money;

namespace Paygo.Rating.Billing;

/// <summary>
/// One closed invoice as the documents print it: the header of the statement and the figures
/// every reconciliation line repeats. The month close builds it (rounded per DOMAIN.md §6, in the
/// billing currency's minor unit); the writers here only format it, they never round or add up on
/// their own, so the files and the statement cannot disagree with the stored invoice (M4).
/// </summary>
public sealed record InvoiceDocument
{
    /// <summary><c>G</c> + 9 digits, e.g. <c>G000000001</c>.</summary>
    public required string InvoiceNumber { get; init; }

    public required Guid PartnerId { get; init; }

    public required string PartnerName { get; init; }

    /// <summary>The partner's MPN id (the recon file's <c>MPNID</c>).</summary>
    public required string MpnId { get; init; }

    public required CurrencyCode BillingCurrency { get; init; }

    /// <summary>The currency prices are in before conversion; USD for Azure plan.</summary>
    public CurrencyCode PricingCurrency { get; init; } = CurrencyCode.Usd;

    /// <summary>First day of the billing period (the month's first day).</summary>
    public required DateOnly PeriodStart { get; init; }

    /// <summary>Last day of the billing period, inclusive (the month's last day), as the recon's ChargeEndDate prints it.</summary>
    public required DateOnly PeriodEnd { get; init; }

    public required DateOnly InvoiceDate { get; init; }

    /// <summary>The month's USD → billing currency rate, 9 decimals as stored.</summary>
    public required decimal PcToBcExchangeRate { get; init; }

    public required DateOnly PcToBcExchangeRateDate { get; init; }

    /// <summary>Σ line subtotals, billing currency.</summary>
    public required decimal Subtotal { get; init; }

    /// <summary>Σ line taxes (each rounded down per line), billing currency.</summary>
    public required decimal TaxTotal { get; init; }

    /// <summary><see cref="Subtotal"/> + <see cref="TaxTotal"/>.</summary>
    public required decimal Total { get; init; }

    /// <summary>PEC earned over the invoice, billing currency (Σ line <see cref="InvoiceDocumentLine.PecEarned"/>).</summary>
    public required decimal PecEarned { get; init; }

    /// <summary>The lines in file order (customer, Azure plan, product, SKU, meter, charge start).</summary>
    public required IReadOnlyList<InvoiceDocumentLine> Lines { get; init; }
}

/// <summary>
/// One invoice line: the fields of a reconciliation line (reference §5.4) that Paygo has, plus
/// what the statement and the PEC figures need. Amounts are final (already rounded by the close);
/// a credit or refund is negative.
/// </summary>
public sealed record InvoiceDocumentLine
{
    public required Guid CustomerId { get; init; }

    public required string CustomerName { get; init; }

    public string? CustomerDomainName { get; init; }

    /// <summary>Two-letter country code.</summary>
    public string? CustomerCountry { get; init; }

    /// <summary>The partner's MPN id (<c>MPNID</c>).</summary>
    public string? MpnId { get; init; }

    /// <summary>The reseller of record's MPN id, indirect sales only.</summary>
    public string? ResellerMpnId { get; init; }

    public string? OrderId { get; init; }

    public DateOnly? OrderDate { get; init; }

    public required string ProductId { get; init; }

    public required string SkuId { get; init; }

    public string? AvailabilityId { get; init; }

    public string? SkuName { get; init; }

    public string? ProductName { get; init; }

    /// <summary>Partner Center's charge type; Azure plan usage is <c>New</c>.</summary>
    public string ChargeType { get; init; } = "New";

    /// <summary>Price-list unit price before PEC, pricing currency.</summary>
    public required decimal UnitPrice { get; init; }

    /// <summary>The recon's <c>Quantity</c>: 1 for a usage line (the metered amount is <see cref="BillableQuantity"/>).</summary>
    public decimal Quantity { get; init; } = 1m;

    /// <summary>The metered quantity billed.</summary>
    public required decimal BillableQuantity { get; init; }

    /// <summary>Billing currency, rounded to its minor unit.</summary>
    public required decimal Subtotal { get; init; }

    public required decimal TaxTotal { get; init; }

    public required decimal Total { get; init; }

    public string PublisherName { get; init; } = "Microsoft";

    public string PublisherId { get; init; } = "NA";

    public string SubscriptionDescription { get; init; } = "Azure plan";

    /// <summary>The Azure plan (billing subscription).</summary>
    public required Guid SubscriptionId { get; init; }

    /// <summary>The Azure subscription the usage came from (not a recon column; kept for the statement and the PEC figures).</summary>
    public Guid? EntitlementId { get; init; }

    public required DateOnly ChargeStartDate { get; init; }

    public required DateOnly ChargeEndDate { get; init; }

    public string? TermAndBillingCycle { get; init; }

    /// <summary>Unit price after PEC and other adjustments, pricing currency.</summary>
    public required decimal EffectiveUnitPrice { get; init; }

    public string? UnitType { get; init; }

    public string? AlternateId { get; init; }

    /// <summary>Blank for usage (Partner Center leaves it blank for one-time and unbilled lines).</summary>
    public string? BillingFrequency { get; init; }

    public required decimal PcToBcExchangeRate { get; init; }

    public required DateOnly PcToBcExchangeRateDate { get; init; }

    public string? MeterDescription { get; init; }

    public Guid? MeterId { get; init; }

    public string? ReservationOrderId { get; init; }

    public string? CreditReasonCode { get; init; }

    public DateOnly? SubscriptionStartDate { get; init; }

    public DateOnly? SubscriptionEndDate { get; init; }

    public string? ReferenceId { get; init; }

    public string? ProductQualifiers { get; init; }

    public string? PromotionId { get; init; }

    /// <summary>
    /// The PEC percentage the line's price carries (0 or 15); when several days of a meter were
    /// grouped, the close gives the line the credit it applied (one line per meter that had a
    /// credit, reference §3.6). Written to <c>PriceAdjustmentDescription</c>.
    /// </summary>
    public decimal PecPercent { get; init; }

    /// <summary>The PEC earned on the line, billing currency, rounded to the minor unit (what full price would have cost − <see cref="Subtotal"/>).</summary>
    public decimal PecEarned { get; init; }
}
