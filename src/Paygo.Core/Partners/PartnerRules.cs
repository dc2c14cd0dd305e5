using Paygo.Core.Common;
using Paygo.Core.Markets;

namespace Paygo.Core.Partners;

/// <summary>Field-by-field validation of a new partner; every problem is reported, not just the first.</summary>
public static class PartnerRules
{
    public const int MaxNameLength = 200;
    public const int MinMpnIdLength = 4;
    public const int MaxMpnIdLength = 10;

    /// <summary>A partner ready to store, or the list of field errors.</summary>
    public static (Partner? Partner, IReadOnlyList<FieldError> Errors) Validate(PartnerCreateRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>();

        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(new("name", "The field 'name' is required."));
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add(new("name", $"The field 'name' must be at most {MaxNameLength} characters; it has {name.Length}."));
        }
        else if (name.Any(char.IsControl))
        {
            errors.Add(new("name", "The field 'name' must not contain control characters."));
        }

        PartnerType type = default;
        if (string.IsNullOrWhiteSpace(request.PartnerType))
        {
            errors.Add(new("partnerType", "The field 'partnerType' is required: direct-bill, indirect-provider or indirect-reseller."));
        }
        else if (!PartnerTypes.TryParse(request.PartnerType, out type))
        {
            errors.Add(new("partnerType", $"The field 'partnerType' must be direct-bill, indirect-provider or indirect-reseller; '{ErrorText.Quote(request.PartnerType)}' is not."));
        }

        var mpnId = request.MpnId?.Trim();
        if (string.IsNullOrEmpty(mpnId))
        {
            errors.Add(new("mpnId", "The field 'mpnId' (PartnerID) is required."));
        }
        else if (mpnId.Length is < MinMpnIdLength or > MaxMpnIdLength || !mpnId.All(char.IsAsciiDigit))
        {
            errors.Add(new("mpnId", $"The field 'mpnId' (PartnerID) must be {MinMpnIdLength} to {MaxMpnIdLength} digits; '{ErrorText.Quote(mpnId)}' is not."));
        }

        string? country = null;
        var currency = default(Paygo.Rating.Money.CurrencyCode);
        if (string.IsNullOrWhiteSpace(request.Country))
        {
            errors.Add(new("country", "The field 'country' is required: an ISO 3166-1 alpha-2 code such as US or DE."));
        }
        else if (!Countries.TryGetBillingCurrency(request.Country, out country, out currency))
        {
            errors.Add(new("country", $"The field 'country' must be an ISO 3166-1 alpha-2 country code such as US or DE; '{ErrorText.Quote(request.Country)}' is not."));
        }
        else if (request.BillingCurrency is { } requested && !string.Equals(requested.Trim(), currency.Value, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new("billingCurrency", $"The field 'billingCurrency' is fixed by the country: a partner in {country} is billed in {currency.Value}, not '{ErrorText.Quote(requested)}'. Leave it out."));
        }

        var tenantId = Guid.Empty;
        if (request.TenantId is not null && (!Guid.TryParse(request.TenantId, out tenantId) || tenantId == Guid.Empty))
        {
            errors.Add(new("tenantId", $"The field 'tenantId' must be a non-empty GUID; '{ErrorText.Quote(request.TenantId)}' is not."));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var partner = new Partner
        {
            Id = tenantId == Guid.Empty ? Guid.NewGuid() : tenantId,
            Name = name!,
            Type = type,
            MpnId = mpnId!,
            Country = country!,
            BillingCurrency = currency.Value,
            CreatedAt = now,
        };
        return (partner, []);
    }
}
