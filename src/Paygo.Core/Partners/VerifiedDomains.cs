using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Audit;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Users;

namespace Paygo.Core.Partners;

/// <summary>
/// A DNS domain verified for one organisation (a partner, or the operator when
/// <see cref="PartnerId"/> is null). An organisation creates users only under its own verified
/// domains, and a domain belongs to one organisation at most (the primary key), so no
/// organisation can squat another's addresses or learn which of them exist (docs/adr/0015).
/// </summary>
public sealed class VerifiedDomain
{
    /// <summary>Lower case, internationalised names in their ASCII (punycode) form.</summary>
    public required string Domain { get; set; }

    public Guid? PartnerId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Body of <c>PUT /v1/partners/{partnerId}/domains</c>: the organisation's whole list of verified domains.</summary>
public sealed record VerifiedDomainsUpdate(IReadOnlyList<string?>? Domains);

/// <summary>A verified domain as the API serves it.</summary>
public sealed record VerifiedDomainResource(string Domain, Guid? PartnerId, DateTimeOffset CreatedDate, ResourceAttributes Attributes)
{
    public static VerifiedDomainResource From(VerifiedDomain domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return new(domain.Domain, domain.PartnerId, domain.CreatedAt, new ResourceAttributes("VerifiedDomain"));
    }
}

/// <summary>The verified domains of each organisation, managed by the operator.</summary>
public sealed class VerifiedDomainDirectory(PaygoDbContext db, AuditTrail audit, TimeProvider clock, IDatabaseErrors databaseErrors)
{
    public const int MaxDomains = 50;
    public const int MaxLength = 253;

    private static readonly IdnMapping Idn = new();

    /// <summary>The canonical form of a domain name (lower case, ASCII), or null when it is not a host name of two labels or more.</summary>
    public static string? Normalize(string? text)
    {
        var trimmed = text?.Trim().TrimEnd('.');
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxLength)
        {
            return null;
        }

        string ascii;
        try
        {
            ascii = Idn.GetAscii(trimmed).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }

        var labels = ascii.Split('.');
        var valid = ascii.Length <= MaxLength && labels.Length >= 2 && labels.All(label =>
            label.Length is > 0 and <= 63 && label[0] != '-' && label[^1] != '-' && label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'));
        return valid ? ascii : null;
    }

    /// <summary>The canonical domain of an e-mail address (what follows its last '@'), or null.</summary>
    public static string? DomainOf(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var at = email.LastIndexOf('@');
        return at < 0 ? null : Normalize(email[(at + 1)..]);
    }

    public async Task<IReadOnlyList<VerifiedDomainResource>> ListAsync(Caller caller, Guid? organisation, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.PartnersRead);
        var domains = await db.VerifiedDomains.AsNoTracking().Where(d => d.PartnerId == organisation).OrderBy(d => d.Domain).ToListAsync(cancellationToken);
        return [.. domains.Select(VerifiedDomainResource.From)];
    }

    /// <summary>
    /// Makes <paramref name="request"/> the organisation's whole list. A domain of another
    /// organisation is refused (only the operator calls this, so naming the holder leaks nothing).
    /// Removing a domain leaves its users as they are; it only stops new users under it.
    /// </summary>
    public async Task<(IReadOnlyList<VerifiedDomainResource>? Domains, ApiError? Error)> ReplaceAsync(
        Caller caller, Guid? organisation, VerifiedDomainsUpdate request, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.PartnersWrite);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Domains is null)
        {
            return (null, ApiError.InvalidField("domains", "The field 'domains' is required: the organisation's whole list of verified domains, such as [\"contoso.com\"] ([] for none)."));
        }

        if (request.Domains.Count > MaxDomains)
        {
            return (null, ApiError.InvalidField("domains", $"An organisation has at most {MaxDomains} verified domains."));
        }

        var errors = new List<FieldError>();
        var wanted = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var text in request.Domains)
        {
            if (Normalize(text) is { } domain)
            {
                wanted.Add(domain);
            }
            else
            {
                errors.Add(new("domains", $"'{ErrorText.Quote(text ?? string.Empty)}' is not a domain name such as contoso.com."));
            }
        }

        if (errors.Count > 0)
        {
            return (null, ApiError.InvalidFields(errors));
        }

        if (organisation is { } partnerId && !await db.Partners.AnyAsync(p => p.Id == partnerId, cancellationToken))
        {
            return (null, ApiError.NotFound($"No partner with id {partnerId}."));
        }

        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var names = wanted.ToList();
            var taken = await db.VerifiedDomains.AsNoTracking()
                .Where(d => names.Contains(d.Domain) && d.PartnerId != organisation)
                .OrderBy(d => d.Domain).ToListAsync(cancellationToken);
            if (taken.Count > 0)
            {
                return (null, Taken(taken[0].Domain, taken[0].PartnerId));
            }

            var current = await db.VerifiedDomains.Where(d => d.PartnerId == organisation).ToListAsync(cancellationToken);
            var removed = current.Where(d => !wanted.Contains(d.Domain)).ToList();
            var added = wanted.Where(w => current.All(d => d.Domain != w)).ToList();
            db.VerifiedDomains.RemoveRange(removed);
            var now = clock.GetUtcNow();
            db.VerifiedDomains.AddRange(added.Select(d => new VerifiedDomain { Domain = d, PartnerId = organisation, CreatedAt = now }));
            if (removed.Count > 0 || added.Count > 0)
            {
                await audit.AppendAsync(new AuditEntry("update_verified_domains", "partner", AuditEntry.Succeeded, PartnerId: organisation,
                    ResourceNewValue: JsonSerializer.Serialize(new { domains = wanted, added, removed = removed.Select(d => d.Domain) }, PaygoJson.Options)), cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (databaseErrors.IsUniqueViolation(e, out _))
        {
            // Another organisation got one of these domains at the same moment.
            db.ChangeTracker.Clear();
            return (null, new ApiError(ErrorKind.Conflict, ErrorCodes.AlreadyExists, "One of these domains was verified for another organisation a moment ago: read the lists and try again.",
                [new FieldError("domains", "Already verified for another organisation.")]));
        }

        return (await ListAsync(caller, organisation, cancellationToken), null);
    }

    /// <summary>True when <paramref name="domain"/> (canonical) is verified for <paramref name="organisation"/>.</summary>
    public Task<bool> IsVerifiedForAsync(Guid? organisation, string domain, CancellationToken cancellationToken) =>
        db.VerifiedDomains.AnyAsync(d => d.Domain == domain && d.PartnerId == organisation, cancellationToken);

    private static ApiError Taken(string domain, Guid? holder)
    {
        var message = $"{domain} is already a verified domain of {(holder is { } id ? $"partner {id}" : "the operator")}; a domain belongs to one organisation.";
        return new ApiError(ErrorKind.Conflict, ErrorCodes.AlreadyExists, message, [new FieldError("domains", message)]);
    }
}
