using Paygo.Core.Common;

namespace Paygo.Core.Partners;

/// <summary>
/// Body of <c>POST /v1/partners</c>. Every field is read as text so that a wrong value gets a
/// message naming its field instead of a generic JSON error.
/// </summary>
public sealed record PartnerCreateRequest(
    string? Name,
    string? PartnerType,
    string? MpnId,
    string? Country,
    string? TenantId = null,
    string? BillingCurrency = null);

/// <summary>A partner as the API serves it.</summary>
public sealed record PartnerResource(
    Guid Id,
    string Name,
    string PartnerType,
    string MpnId,
    string Country,
    string BillingCurrency,
    DateTimeOffset CreatedDate,
    ResourceLinks Links,
    ResourceAttributes Attributes)
{
    public static PartnerResource From(Partner partner)
    {
        ArgumentNullException.ThrowIfNull(partner);
        return new(
            partner.Id,
            partner.Name,
            PartnerTypes.ToWire(partner.Type),
            partner.MpnId,
            partner.Country,
            partner.BillingCurrency,
            partner.CreatedAt,
            new ResourceLinks(Link.Get($"/v1/partners/{partner.Id}")),
            new ResourceAttributes("Partner"));
    }
}
