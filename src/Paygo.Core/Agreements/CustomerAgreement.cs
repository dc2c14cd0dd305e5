using Paygo.Core.Common;

namespace Paygo.Core.Agreements;

/// <summary>
/// One partner attestation that a customer accepted the Microsoft Customer Agreement (reference
/// §1.3). Records are never changed or removed: a changed contact is a new record, so the
/// history shows who attested what, and when (DOMAIN.md §3).
/// </summary>
public sealed class CustomerAgreement
{
    public Guid Id { get; set; }

    public Guid PartnerId { get; set; }

    public Guid CustomerId { get; set; }

    public required string Type { get; set; }

    public required string TemplateId { get; set; }

    /// <summary>When the customer accepted (UTC); never after the attestation itself.</summary>
    public DateTimeOffset DateAgreed { get; set; }

    public required string ContactFirstName { get; set; }

    public required string ContactLastName { get; set; }

    public required string ContactEmail { get; set; }

    public string? ContactPhoneNumber { get; set; }

    /// <summary>The partner user who attested (Partner Center's <c>userId</c>).</summary>
    public Guid UserId { get; set; }

    public string? UserEmail { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The agreement Paygo records: Partner Center's MCA metadata.</summary>
public static class AgreementTypes
{
    public const string MicrosoftCustomerAgreement = "MicrosoftCustomerAgreement";
    public const string MicrosoftCloudAgreement = "MicrosoftCloudAgreement";
    public const string McaTemplateId = "117a77b0-9360-443b-8795-c6dedc750cf9";
    public const string McaLink = "https://aka.ms/customeragreement";

    /// <summary>The MCA exists since 1 October 2019; no customer accepted it before.</summary>
    public static readonly DateTimeOffset McaAvailableSince = new(2019, 10, 1, 0, 0, 0, TimeSpan.Zero);
}

public sealed record ContactDto(string? FirstName = null, string? LastName = null, string? Email = null, string? PhoneNumber = null, string? MiddleName = null);

/// <summary>Body of <c>POST /v1/customers/{id}/agreements</c>.</summary>
public sealed record AgreementCreateRequest(ContactDto? PrimaryContact = null, string? TemplateId = null, string? DateAgreed = null, string? Type = null);

public sealed record ContactResource(string FirstName, string LastName, string Email, string? PhoneNumber);

/// <summary>An attestation as Partner Center serves it, with who attested and when it was recorded.</summary>
public sealed record AgreementResource(
    string UserId,
    string? UserEmail,
    ContactResource PrimaryContact,
    DateTimeOffset DateAgreed,
    string Type,
    string TemplateId,
    string AgreementLink,
    DateTimeOffset CreatedDate,
    ResourceAttributes Attributes)
{
    public static AgreementResource From(CustomerAgreement agreement)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        return new(agreement.UserId.ToString(), agreement.UserEmail,
            new ContactResource(agreement.ContactFirstName, agreement.ContactLastName, agreement.ContactEmail, agreement.ContactPhoneNumber),
            agreement.DateAgreed, agreement.Type, agreement.TemplateId, AgreementTypes.McaLink, agreement.CreatedAt, new ResourceAttributes("Agreement"));
    }
}

/// <summary>Partner Center's <c>AgreementMetaData</c>.</summary>
public sealed record AgreementMetadataResource(string TemplateId, string AgreementType, string AgreementLink, int VersionRank, ResourceAttributes Attributes);
