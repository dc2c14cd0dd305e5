using Paygo.Core.Common;

namespace Paygo.Core.Customers;

/// <summary>Partner Center's <c>Address</c>; fields read as text so every problem can name its field.</summary>
public sealed record AddressDto(
    string? Country = null,
    string? Region = null,
    string? City = null,
    string? State = null,
    string? AddressLine1 = null,
    string? AddressLine2 = null,
    string? AddressLine3 = null,
    string? PostalCode = null,
    string? FirstName = null,
    string? LastName = null,
    string? PhoneNumber = null);

public sealed record CustomerCompanyProfileDto(
    string? Domain = null,
    string? CompanyName = null,
    string? OrganizationRegistrationNumber = null,
    string? TenantId = null);

public sealed record CustomerBillingProfileDto(
    string? FirstName = null,
    string? LastName = null,
    string? Email = null,
    string? Culture = null,
    string? Language = null,
    string? CompanyName = null,
    AddressDto? DefaultAddress = null);

/// <summary>Body of <c>POST /v1/customers</c> (reference §1.2): the billing profile, the company profile's domain, and for an indirect provider the reseller of record.</summary>
public sealed record CustomerCreateRequest(
    CustomerBillingProfileDto? BillingProfile = null,
    CustomerCompanyProfileDto? CompanyProfile = null,
    string? AssociatedPartnerId = null,
    bool? EnableGdapByDefault = null);

public sealed record AddressResource(
    string Country,
    string? Region,
    string City,
    string? State,
    string AddressLine1,
    string? AddressLine2,
    string? AddressLine3,
    string? PostalCode,
    string FirstName,
    string LastName,
    string? PhoneNumber);

public sealed record CustomerCompanyProfileResource(
    Guid TenantId,
    string Domain,
    string CompanyName,
    string? OrganizationRegistrationNumber,
    ResourceAttributes Attributes);

public sealed record CustomerBillingProfileResource(
    Guid Id,
    string FirstName,
    string LastName,
    string Email,
    string Culture,
    string Language,
    string CompanyName,
    AddressResource DefaultAddress,
    ResourceAttributes Attributes);

/// <summary>A customer as Partner Center serves it.</summary>
public sealed record CustomerResource(
    Guid Id,
    Guid CommerceId,
    CustomerCompanyProfileResource CompanyProfile,
    CustomerBillingProfileResource BillingProfile,
    string RelationshipToPartner,
    bool AllowDelegatedAccess,
    string? AssociatedPartnerId,
    Guid PartnerId,
    DateTimeOffset CreatedDate,
    ResourceLinks Links,
    ResourceAttributes Attributes)
{
    public static CustomerResource From(Customer customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var address = new AddressResource(customer.Country, customer.Region, customer.City, customer.State, customer.AddressLine1,
            customer.AddressLine2, customer.AddressLine3, customer.PostalCode, customer.FirstName, customer.LastName, customer.PhoneNumber);
        return new CustomerResource(
            customer.Id,
            customer.CommerceId,
            new CustomerCompanyProfileResource(customer.Id, customer.Domain, customer.CompanyName, customer.OrganizationRegistrationNumber,
                new ResourceAttributes("CustomerCompanyProfile")),
            new CustomerBillingProfileResource(customer.BillingProfileId, customer.FirstName, customer.LastName, customer.Email,
                customer.Culture, customer.Language, customer.CompanyName, address, new ResourceAttributes("CustomerBillingProfile")),
            customer.RelationshipToPartner,
            customer.AllowDelegatedAccess,
            customer.ResellerPartnerId?.ToString(),
            customer.PartnerId,
            customer.CreatedAt,
            new ResourceLinks(Link.Get($"/v1/customers/{customer.Id}")),
            new ResourceAttributes("Customer"));
    }
}

/// <summary>Which customer field a search matches the start of.</summary>
public enum CustomerSearchField
{
    CompanyName,
    Domain,
}

/// <summary>
/// Partner Center's customer search as a typed command: customers whose <see cref="Field"/>
/// starts with <see cref="Prefix"/> (case-insensitive). The API's <c>filter</c> parameter is
/// parsed into one at the server edge (<see cref="Parse"/>); the dashboard builds one directly.
/// </summary>
public sealed record CustomerSearch(CustomerSearchField Field, string Prefix)
{
    public const int MaxPrefixLength = 200;

    /// <summary>
    /// Reads Partner Center's <c>filter</c>: <c>{"Field":"CompanyName"|"Domain","Value":"...","Operator":"starts_with"}</c>;
    /// a bad one is Invalid naming <c>filter</c>.
    /// </summary>
    public static (CustomerSearch? Search, ApiError? Error) Parse(string filter)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(filter);
            var root = document.RootElement;
            string? Get(string name) =>
                root.ValueKind == System.Text.Json.JsonValueKind.Object
                    ? root.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: System.Text.Json.JsonValueKind.String } v ? v.GetString() : null
                    : null;
            var field = Get("Field")?.ToLowerInvariant() switch
            {
                "companyname" => CustomerSearchField.CompanyName,
                "domain" => CustomerSearchField.Domain,
                _ => (CustomerSearchField?)null,
            };
            var value = Get("Value");
            var op = Get("Operator") ?? "starts_with";
            if (field is null)
            {
                return (null, Invalid("Field must be CompanyName or Domain."));
            }

            if (CheckPrefix(value) is { } valueError)
            {
                return (null, valueError);
            }

            if (!string.Equals(op, "starts_with", StringComparison.OrdinalIgnoreCase))
            {
                return (null, Invalid("Operator must be starts_with."));
            }

            return (new CustomerSearch(field.Value, value!.Trim()), null);
        }
        catch (System.Text.Json.JsonException)
        {
            return (null, Invalid("it is not valid JSON."));
        }
    }

    /// <summary>The prefix rule, for searches that do not come through <see cref="Parse"/>.</summary>
    public static ApiError? CheckPrefix(string? prefix) =>
        string.IsNullOrWhiteSpace(prefix) || prefix.Length > MaxPrefixLength ? Invalid($"Value must be 1 to {MaxPrefixLength} characters.") : null;

    /// <summary>The search as Partner Center's <c>filter</c> text, for the next-page link.</summary>
    public string ToFilterText() =>
        System.Text.Json.JsonSerializer.Serialize(new { Field = Field.ToString(), Value = Prefix, Operator = "starts_with" });

    private static ApiError Invalid(string why) => ApiError.InvalidField("filter",
        "The query parameter 'filter' must be JSON like {\"Field\":\"CompanyName\",\"Value\":\"Contoso\",\"Operator\":\"starts_with\"} (Field CompanyName or Domain): " + why);
}

/// <summary>One customer of the dashboard's list with the facts shown beside it.</summary>
public sealed record CustomerListRow(CustomerResource Customer, string BilledBy, string? Reseller, bool McaOnRecord, string? PlanStatus);

/// <summary>One page of the dashboard's customer list: its rows, the next page's token and how many customers match in all.</summary>
public sealed record CustomerListPage(IReadOnlyList<CustomerListRow> Rows, string? NextToken, int Total);
