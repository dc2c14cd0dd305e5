namespace Paygo.Core.Partners;

/// <summary>The three kinds of partner of the Azure plan (DOMAIN.md §1).</summary>
public enum PartnerType
{
    DirectBill,
    IndirectProvider,
    IndirectReseller,
}

/// <summary>
/// A partner tenant onboarded by the operator. The tenant id is the partner's identity in every
/// row of its data; the country fixes the billing currency for good (reference §9).
/// </summary>
public sealed class Partner
{
    /// <summary>The partner's tenant id (Entra tenant GUID): <c>PartnerId</c> in reconciliation files.</summary>
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public PartnerType Type { get; set; }

    /// <summary>PartnerID (formerly MPN id): digits only, unique across the instance; <c>MPNID</c> in files.</summary>
    public required string MpnId { get; set; }

    /// <summary>ISO 3166-1 alpha-2 country of the partner's location.</summary>
    public required string Country { get; set; }

    /// <summary>ISO 4217 code of the currency the partner is invoiced in, fixed by <see cref="Country"/>.</summary>
    public required string BillingCurrency { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
