namespace Paygo.Core.Customers;

/// <summary>
/// A customer tenant served by one partner (DOMAIN.md §1, reference §1.2). <see cref="PartnerId"/>
/// is the partner that bills the customer (a direct-bill partner or an indirect provider);
/// <see cref="ResellerPartnerId"/> is the indirect reseller of record, when there is one. The
/// country is the customer's market and never changes.
/// </summary>
public sealed class Customer
{
    /// <summary>The customer's tenant id ("Microsoft ID" in Partner Center).</summary>
    public Guid Id { get; set; }

    public Guid PartnerId { get; set; }

    /// <summary>The indirect reseller of record (Partner Center's <c>associatedPartnerId</c>), for an indirect provider's customer.</summary>
    public Guid? ResellerPartnerId { get; set; }

    public Guid CommerceId { get; set; }

    /// <summary>The tenant's initial domain, lower case, unique across the instance.</summary>
    public required string Domain { get; set; }

    public required string CompanyName { get; set; }

    public string? OrganizationRegistrationNumber { get; set; }

    public Guid BillingProfileId { get; set; }

    public required string Email { get; set; }

    public required string Culture { get; set; }

    public required string Language { get; set; }

    public required string FirstName { get; set; }

    public required string LastName { get; set; }

    public required string AddressLine1 { get; set; }

    public string? AddressLine2 { get; set; }

    public string? AddressLine3 { get; set; }

    public required string City { get; set; }

    public string? State { get; set; }

    public string? PostalCode { get; set; }

    /// <summary>ISO 3166-1 alpha-2 country: the customer's market.</summary>
    public required string Country { get; set; }

    public string? Region { get; set; }

    public string? PhoneNumber { get; set; }

    public string RelationshipToPartner { get; set; } = "reseller";

    public bool AllowDelegatedAccess { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
