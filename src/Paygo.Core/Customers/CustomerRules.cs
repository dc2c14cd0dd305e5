using System.Net.Mail;
using System.Text.RegularExpressions;
using Paygo.Core.Common;
using Paygo.Core.Markets;

namespace Paygo.Core.Customers;

/// <summary>
/// Field-by-field validation of a new customer (reference §1.2 and its Address rules); every
/// problem is reported at once, each naming its field by its JSON path.
/// </summary>
public static partial class CustomerRules
{
    public const int MaxCompanyNameLength = 200;
    public const int MaxNameLength = 50;
    public const int MaxAddressLineLength = 200;
    public const int MaxCityLength = 100;
    public const int MaxEmailLength = 256;

    /// <summary>
    /// Countries whose customers must give an organization registration number (Partner Center
    /// asks for it in these markets).
    /// </summary>
    public static readonly IReadOnlySet<string> RegistrationNumberCountries = new HashSet<string>(StringComparer.Ordinal)
    {
        "AM", "AZ", "BY", "HU", "KZ", "KG", "MD", "RU", "TJ", "UZ", "UA", "BR", "IN", "ZA", "PL", "AE", "SA", "TR", "TH", "VN", "MM", "IQ", "SS", "VE",
    };

    /// <summary>Countries whose addresses need a state or province.</summary>
    public static readonly IReadOnlySet<string> StateCountries = new HashSet<string>(StringComparer.Ordinal) { "US", "CA", "AU", "BR", "IN", "MX" };

    /// <summary>The validated values of a create request, before the database checks (domain taken, market, reseller).</summary>
    public sealed record ValidCustomer(Customer Customer, string? AssociatedPartner);

    public static (ValidCustomer? Valid, IReadOnlyList<FieldError> Errors) Validate(CustomerCreateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>();
        var billing = request.BillingProfile;
        var company = request.CompanyProfile;
        if (billing is null)
        {
            errors.Add(new("billingProfile", "The field 'billingProfile' is required."));
        }

        if (company is null)
        {
            errors.Add(new("companyProfile", "The field 'companyProfile' is required (its 'domain' at least)."));
        }

        var domain = Domain(company?.Domain, errors);
        var companyName = Text(billing?.CompanyName ?? company?.CompanyName, "billingProfile.companyName", MaxCompanyNameLength, errors, required: billing is not null);
        var email = Email(billing?.Email, "billingProfile.email", errors, required: billing is not null);
        var culture = Culture(billing?.Culture, errors, required: billing is not null);
        var language = Language(billing?.Language, errors, required: billing is not null);

        var address = billing?.DefaultAddress;
        if (billing is not null && address is null)
        {
            errors.Add(new("billingProfile.defaultAddress", "The field 'billingProfile.defaultAddress' is required."));
        }

        const string a = "billingProfile.defaultAddress.";
        string? country = null;
        if (address is not null)
        {
            if (string.IsNullOrWhiteSpace(address.Country))
            {
                errors.Add(new(a + "country", "The field 'country' is required: an ISO 3166-1 alpha-2 code such as US or DE."));
            }
            else if (address.Country.Trim().Length != 2 || !Countries.TryGetBillingCurrency(address.Country, out country, out _))
            {
                errors.Add(new(a + "country", $"The field 'country' must be an ISO 3166-1 alpha-2 code such as US or DE (exactly 2 letters); '{ErrorText.Quote(address.Country)}' is not."));
            }
        }

        var firstName = Text(address?.FirstName ?? billing?.FirstName, a + "firstName", MaxNameLength, errors, required: address is not null);
        var lastName = Text(address?.LastName ?? billing?.LastName, a + "lastName", MaxNameLength, errors, required: address is not null);
        var line1 = Text(address?.AddressLine1, a + "addressLine1", MaxAddressLineLength, errors, required: address is not null);
        var line2 = Text(address?.AddressLine2, a + "addressLine2", MaxAddressLineLength, errors, required: false);
        var line3 = Text(address?.AddressLine3, a + "addressLine3", MaxAddressLineLength, errors, required: false);
        var city = Text(address?.City, a + "city", MaxCityLength, errors, required: address is not null);
        var region = Text(address?.Region, a + "region", MaxCityLength, errors, required: false);
        var state = Text(address?.State, a + "state", 3, errors, required: country is not null && StateCountries.Contains(country));
        var postalCode = PostalCode(address?.PostalCode, country, a + "postalCode", errors);
        var phone = Phone(address?.PhoneNumber, a + "phoneNumber", errors);

        var registration = Text(company?.OrganizationRegistrationNumber, "companyProfile.organizationRegistrationNumber", 50, errors,
            required: country is not null && RegistrationNumberCountries.Contains(country));

        var tenantId = Guid.Empty;
        if (company?.TenantId is { } tenantText && (!Guid.TryParse(tenantText, out tenantId) || tenantId == Guid.Empty))
        {
            errors.Add(new("companyProfile.tenantId", $"The field 'tenantId' must be a non-empty GUID; '{ErrorText.Quote(tenantText)}' is not."));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var customer = new Customer
        {
            Id = tenantId == Guid.Empty ? Guid.NewGuid() : tenantId,
            CommerceId = Guid.NewGuid(),
            BillingProfileId = Guid.NewGuid(),
            Domain = domain!,
            CompanyName = companyName!,
            OrganizationRegistrationNumber = registration,
            Email = email!,
            Culture = culture!,
            Language = language!,
            FirstName = firstName!,
            LastName = lastName!,
            AddressLine1 = line1!,
            AddressLine2 = line2,
            AddressLine3 = line3,
            City = city!,
            State = state?.ToUpperInvariant(),
            PostalCode = postalCode,
            Country = country!,
            Region = region,
            PhoneNumber = phone,
            AllowDelegatedAccess = request.EnableGdapByDefault == true,
        };
        return (new ValidCustomer(customer, string.IsNullOrWhiteSpace(request.AssociatedPartnerId) ? null : request.AssociatedPartnerId.Trim()), []);
    }

    private static string? Text(string? value, string field, int maxLength, List<FieldError> errors, bool required)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                errors.Add(new(field, $"The field '{field}' is required."));
            }

            return null;
        }

        if (text.Length > maxLength)
        {
            errors.Add(new(field, $"The field '{field}' must be at most {maxLength} characters; it has {text.Length}."));
            return null;
        }

        if (text.Any(char.IsControl))
        {
            errors.Add(new(field, $"The field '{field}' must not contain control characters."));
            return null;
        }

        return text;
    }

    private static string? Domain(string? value, List<FieldError> errors)
    {
        const string field = "companyProfile.domain";
        var text = value?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(new(field, "The field 'companyProfile.domain' is required, e.g. contoso.onmicrosoft.com."));
            return null;
        }

        // A bare prefix becomes the tenant's initial domain, as Partner Center's add-customer form does.
        if (!text.Contains('.', StringComparison.Ordinal))
        {
            text += ".onmicrosoft.com";
        }

        if (text.Length > 253 || !DomainPattern().IsMatch(text))
        {
            errors.Add(new(field, $"The field 'companyProfile.domain' must be a domain name such as contoso.onmicrosoft.com (letters, digits and hyphens, labels of 1 to 63 characters); '{ErrorText.Quote(value)}' is not."));
            return null;
        }

        return text;
    }

    private static string? Email(string? value, string field, List<FieldError> errors, bool required)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                errors.Add(new(field, $"The field '{field}' is required."));
            }

            return null;
        }

        if (!IsEmail(text))
        {
            errors.Add(new(field, $"The field '{field}' must be an e-mail address such as name@contoso.com; '{ErrorText.Quote(text)}' is not."));
            return null;
        }

        return text;
    }

    /// <summary>One address, a local part and a dotted domain, at most 256 characters.</summary>
    public static bool IsEmail(string text) =>
        text.Length <= MaxEmailLength
        && MailAddress.TryCreate(text, out var parsed)
        && parsed.Address == text
        && parsed.Host.Contains('.', StringComparison.Ordinal);

    /// <summary>At most 30 characters of digits, spaces, +, -, dots and parentheses, with at least 4 digits.</summary>
    public static bool IsPhoneNumber(string text) =>
        text.Length <= 30
        && text.Count(char.IsAsciiDigit) >= 4
        && text.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')' or '.');

    private static string? Culture(string? value, List<FieldError> errors, bool required)
    {
        const string field = "billingProfile.culture";
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                errors.Add(new(field, "The field 'billingProfile.culture' is required, e.g. en-US."));
            }

            return null;
        }

        // The build runs with InvariantGlobalization, so CultureInfo knows no culture but the
        // invariant one: check the shape (ISO 639 language, ISO 3166 region) against Paygo's own
        // country table instead, and write it the way .NET names cultures (en-US).
        var parts = text.Split('-');
        if (parts.Length == 2
            && parts[0].Length is 2 or 3 && parts[0].All(char.IsAsciiLetter)
            && parts[1].Length == 2 && Countries.TryGetBillingCurrency(parts[1], out var region, out _))
        {
            return parts[0].ToLowerInvariant() + "-" + region;
        }

        errors.Add(new(field, $"The field 'billingProfile.culture' must be a language and region such as en-US or de-DE; '{ErrorText.Quote(text)}' is not."));
        return null;
    }

    private static string? Language(string? value, List<FieldError> errors, bool required)
    {
        const string field = "billingProfile.language";
        var text = value?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                errors.Add(new(field, "The field 'billingProfile.language' is required: a 2-letter code such as en."));
            }

            return null;
        }

        if (text.Length != 2 || !text.All(char.IsAsciiLetterLower))
        {
            errors.Add(new(field, $"The field 'billingProfile.language' must be a 2-letter ISO 639-1 code such as en; '{ErrorText.Quote(value)}' is not."));
            return null;
        }

        return text;
    }

    private static string? PostalCode(string? value, string? country, string field, List<FieldError> errors)
    {
        var text = value?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(text))
        {
            if (country is not null && PostalPatterns.ContainsKey(country))
            {
                errors.Add(new(field, $"The field 'postalCode' is required for an address in {country}."));
            }

            return null;
        }

        if (country is not null && PostalPatterns.TryGetValue(country, out var pattern) && !pattern.IsMatch(text))
        {
            errors.Add(new(field, $"The field 'postalCode' is not a postal code of {country}: '{ErrorText.Quote(value)}'."));
            return null;
        }

        if (text.Length > 12 || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-'))
        {
            errors.Add(new(field, $"The field 'postalCode' must be at most 12 letters, digits, spaces or hyphens; '{ErrorText.Quote(value)}' is not."));
            return null;
        }

        return text;
    }

    private static string? Phone(string? value, string field, List<FieldError> errors)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!IsPhoneNumber(text))
        {
            errors.Add(new(field, $"The field 'phoneNumber' must be a phone number (digits, spaces, +, -, parentheses); '{ErrorText.Quote(text)}' is not."));
            return null;
        }

        return text;
    }

    // The markets whose postal codes have one well-known shape; others are checked for length and characters only.
    private static readonly Dictionary<string, Regex> PostalPatterns = new(StringComparer.Ordinal)
    {
        ["US"] = UsPostalCode(),
        ["CA"] = CaPostalCode(),
        ["GB"] = GbPostalCode(),
        ["DE"] = FiveDigits(),
        ["FR"] = FiveDigits(),
        ["ES"] = FiveDigits(),
        ["IT"] = FiveDigits(),
        ["NL"] = NlPostalCode(),
        ["AU"] = FourDigits(),
        ["JP"] = JpPostalCode(),
        ["IN"] = SixDigits(),
    };

    [GeneratedRegex("^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DomainPattern();

    [GeneratedRegex("^[0-9]{5}(-[0-9]{4})?$", RegexOptions.CultureInvariant)]
    private static partial Regex UsPostalCode();

    [GeneratedRegex("^[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex CaPostalCode();

    [GeneratedRegex("^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex GbPostalCode();

    [GeneratedRegex("^[0-9]{5}$", RegexOptions.CultureInvariant)]
    private static partial Regex FiveDigits();

    [GeneratedRegex("^[0-9]{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex FourDigits();

    [GeneratedRegex("^[0-9]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex SixDigits();

    [GeneratedRegex("^[0-9]{4} ?[A-Z]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex NlPostalCode();

    [GeneratedRegex("^[0-9]{3}-?[0-9]{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex JpPostalCode();
}
