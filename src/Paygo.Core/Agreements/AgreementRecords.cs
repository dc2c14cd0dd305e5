using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Audit;
using Paygo.Core.Common;
using Paygo.Core.Customers;
using Paygo.Core.Identity;
using Paygo.Core.Partners;
using Paygo.Core.Users;

namespace Paygo.Core.Agreements;

/// <summary>MCA attestations (DOMAIN.md §3, reference §2.2): the rules of confirming, the history, and the check every order makes.</summary>
public sealed class AgreementRecords(PaygoDbContext db, IdempotentCreates creates, TimeProvider clock)
{
    public const int PartnerConfirmedAgreementAlreadyExists = 600061;
    public const int McaRequiredForPurchase = 13605;

    public static IReadOnlyList<AgreementMetadataResource> Metadata(string? agreementType)
    {
        var mca = new AgreementMetadataResource(AgreementTypes.McaTemplateId, AgreementTypes.MicrosoftCustomerAgreement, AgreementTypes.McaLink, 0,
            new ResourceAttributes("AgreementMetaData"));
        return agreementType switch
        {
            "*" => [mca],
            _ when string.Equals(agreementType, AgreementTypes.MicrosoftCustomerAgreement, StringComparison.OrdinalIgnoreCase) => [mca],

            // Partner Center's default is the retired Microsoft Cloud Agreement, which Paygo does not record.
            _ => [],
        };
    }

    public Task<Result<Created<AgreementResource>>> ConfirmAsync(Caller caller, Guid customerId, AgreementCreateRequest request, string? requestId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.AgreementsWrite);
        ArgumentNullException.ThrowIfNull(request);
        return creates.CreateAsync<AgreementResource>(
            caller.Scope,
            requestId,
            $"POST /v1/customers/{customerId}/agreements",
            request,
            async ct =>
            {
                var customer = await CustomerVisibility.FindAsync(db, caller, customerId, ct);
                if (customer is null)
                {
                    return (null, CustomerVisibility.NotFound(customerId));
                }

                var partner = await db.Partners.AsNoTracking().FirstOrDefaultAsync(p => p.Id == caller.PartnerId, ct);
                if (partner is null)
                {
                    return (null, new ApiError(ErrorKind.Forbidden, ErrorCodes.PartnerTypeNotAllowed, "Only the partner that bills the customer confirms its Microsoft Customer Agreement."));
                }

                if (partner.Type == PartnerType.IndirectReseller || customer.PartnerId != partner.Id)
                {
                    return (null, new ApiError(ErrorKind.Forbidden, ErrorCodes.PartnerTypeNotAllowed,
                        "Indirect resellers cannot confirm the Microsoft Customer Agreement; the customer's indirect provider confirms it."));
                }

                var (agreement, errors) = Validate(request, clock.GetUtcNow());
                if (agreement is null)
                {
                    return (null, ApiError.InvalidFields(errors));
                }

                // Attestations of one customer take turns: this no-op update locks the customer's row
                // (PostgreSQL) or waits for the write lock (SQLite), so two requests with the same
                // contact cannot both see "no such record yet" (the second gets 600061).
                await db.Customers.Where(c => c.Id == customerId).ExecuteUpdateAsync(s => s.SetProperty(c => c.AllowDelegatedAccess, c => c.AllowDelegatedAccess), ct);

                var latest = await db.CustomerAgreements.AsNoTracking()
                    .Where(a => a.CustomerId == customerId && a.Type == agreement.Type)
                    .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id)
                    .FirstOrDefaultAsync(ct);
                if (latest is not null && SameContact(latest, agreement))
                {
                    return (null, new ApiError(ErrorKind.Conflict, PartnerConfirmedAgreementAlreadyExists,
                        "PartnerConfirmedAgreementAlreadyExists: the Microsoft Customer Agreement is already confirmed for this customer with the same contact. A new confirmation needs a changed first name, last name, e-mail or phone number."));
                }

                agreement.Id = Guid.NewGuid();
                agreement.PartnerId = partner.Id;
                agreement.CustomerId = customerId;
                agreement.UserId = caller.UserId ?? Guid.Empty;
                agreement.UserEmail = caller.Email;
                agreement.CreatedAt = clock.GetUtcNow();
                db.CustomerAgreements.Add(agreement);
                var resource = AgreementResource.From(agreement);
                return (new PreparedCreate<AgreementResource>(resource, $"/v1/customers/{customerId}/agreements",
                    new AuditEntry("confirm_customer_agreement", "agreement", AuditEntry.Succeeded, PartnerId: partner.Id, CustomerId: customerId)), null);
            },
            _ => new ApiError(ErrorKind.Conflict, ErrorCodes.AlreadyExists, "The agreement was confirmed at the same moment by another request."),
            cancellationToken);
    }

    public async Task<IReadOnlyList<AgreementResource>?> ListAsync(Caller caller, Guid customerId, string? agreementType, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.AgreementsRead);
        if (!await CustomerVisibility.IsVisibleAsync(db, caller, customerId, cancellationToken))
        {
            return null;
        }

        var query = db.CustomerAgreements.AsNoTracking().Where(a => a.CustomerId == customerId);
        if (agreementType is not null && agreementType != "*")
        {
            query = query.Where(a => a.Type == agreementType);
        }

        var records = await query.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).ToListAsync(cancellationToken);
        return [.. records.Select(AgreementResource.From)];
    }

    /// <summary>Every new order asks this first: 403 with code 13605 unless an MCA is on record.</summary>
    public async Task<ApiError?> CheckMcaOnRecordAsync(Guid customerId, CancellationToken cancellationToken) =>
        await db.CustomerAgreements.AnyAsync(a => a.CustomerId == customerId && a.Type == AgreementTypes.MicrosoftCustomerAgreement, cancellationToken)
            ? null
            : new ApiError(ErrorKind.Forbidden, McaRequiredForPurchase,
                "Either a partner confirmation of the customer acceptance of the Microsoft Customer Agreement must be provided or the customer must accept the Microsoft Customer Agreement in the Microsoft Admin Center before you can complete this purchase.");

    internal static (CustomerAgreement? Agreement, IReadOnlyList<FieldError> Errors) Validate(AgreementCreateRequest request, DateTimeOffset now)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(request.Type))
        {
            errors.Add(new("type", "The field 'type' is required: MicrosoftCustomerAgreement."));
        }
        else if (!string.Equals(request.Type.Trim(), AgreementTypes.MicrosoftCustomerAgreement, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new("type", $"The field 'type' must be MicrosoftCustomerAgreement; '{ErrorText.Quote(request.Type)}' cannot be confirmed here."));
        }

        if (string.IsNullOrWhiteSpace(request.TemplateId))
        {
            errors.Add(new("templateId", $"The field 'templateId' is required: {AgreementTypes.McaTemplateId} (GET /v1/agreements?agreementType=MicrosoftCustomerAgreement)."));
        }
        else if (!string.Equals(request.TemplateId.Trim(), AgreementTypes.McaTemplateId, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new("templateId", $"The field 'templateId' must be the MCA template {AgreementTypes.McaTemplateId}; '{ErrorText.Quote(request.TemplateId)}' is not."));
        }

        var dateAgreed = default(DateTimeOffset);
        if (string.IsNullOrWhiteSpace(request.DateAgreed))
        {
            errors.Add(new("dateAgreed", "The field 'dateAgreed' is required: when the customer accepted, e.g. 2026-11-02T00:00:00Z."));
        }
        else if (!DateTimeOffset.TryParse(request.DateAgreed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out dateAgreed))
        {
            errors.Add(new("dateAgreed", $"The field 'dateAgreed' must be an ISO 8601 date or date-time; '{ErrorText.Quote(request.DateAgreed)}' is not."));
        }
        else if (dateAgreed > now)
        {
            errors.Add(new("dateAgreed", $"The field 'dateAgreed' cannot be in the future: {dateAgreed:yyyy-MM-ddTHH:mm:ssZ} is after now."));
        }
        else if (dateAgreed < AgreementTypes.McaAvailableSince)
        {
            errors.Add(new("dateAgreed", "The field 'dateAgreed' cannot be before 2019-10-01, when the Microsoft Customer Agreement became available."));
        }

        var contact = request.PrimaryContact;
        if (contact is null)
        {
            errors.Add(new("primaryContact", "The field 'primaryContact' is required: the customer's person who accepted (firstName, lastName, email, optional phoneNumber)."));
        }

        var firstName = ContactText(contact?.FirstName, "primaryContact.firstName", errors, contact is not null);
        var lastName = ContactText(contact?.LastName, "primaryContact.lastName", errors, contact is not null);
        var email = contact?.Email?.Trim();
        if (contact is not null && string.IsNullOrEmpty(email))
        {
            errors.Add(new("primaryContact.email", "The field 'primaryContact.email' is required."));
        }
        else if (email is not null && !CustomerRules.IsEmail(email))
        {
            errors.Add(new("primaryContact.email", $"The field 'primaryContact.email' must be an e-mail address; '{ErrorText.Quote(email)}' is not."));
        }

        var phone = contact?.PhoneNumber?.Trim();
        if (phone is { Length: > 0 } && !CustomerRules.IsPhoneNumber(phone))
        {
            errors.Add(new("primaryContact.phoneNumber", $"The field 'primaryContact.phoneNumber' must be a phone number; '{ErrorText.Quote(phone)}' is not."));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new CustomerAgreement
        {
            Type = AgreementTypes.MicrosoftCustomerAgreement,
            TemplateId = AgreementTypes.McaTemplateId,
            DateAgreed = dateAgreed,
            ContactFirstName = firstName!,
            ContactLastName = lastName!,
            ContactEmail = email!,
            ContactPhoneNumber = string.IsNullOrEmpty(phone) ? null : phone,
        }, []);
    }

    private static string? ContactText(string? value, string field, List<FieldError> errors, bool required)
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

        if (text.Length > CustomerRules.MaxNameLength || text.Any(char.IsControl))
        {
            errors.Add(new(field, $"The field '{field}' must be 1 to {CustomerRules.MaxNameLength} characters without control characters."));
            return null;
        }

        return text;
    }

    private static bool SameContact(CustomerAgreement a, CustomerAgreement b) =>
        string.Equals(a.ContactFirstName, b.ContactFirstName, StringComparison.Ordinal)
        && string.Equals(a.ContactLastName, b.ContactLastName, StringComparison.Ordinal)
        && string.Equals(a.ContactEmail, b.ContactEmail, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.ContactPhoneNumber ?? string.Empty, b.ContactPhoneNumber ?? string.Empty, StringComparison.Ordinal);
}
