using Microsoft.EntityFrameworkCore;
using Paygo.Core.Audit;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Users;

namespace Paygo.Core.Partners;

/// <summary>Onboarding and listing of partners (the operator's task; DOMAIN.md §1).</summary>
public sealed class PartnerDirectory(PaygoDbContext db, IdempotentCreates creates, TimeProvider clock)
{
    public const string CreateOperation = "POST /v1/partners";

    /// <summary>The operator's idempotency scope: partner onboarding is not any partner's request.</summary>
    public const string OperatorScope = "operator";

    public Task<Result<Created<PartnerResource>>> CreateAsync(Caller caller, PartnerCreateRequest request, string? requestId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.PartnersWrite);
        return creates.CreateAsync<PartnerResource>(
            OperatorScope,
            requestId,
            CreateOperation,
            request,
            async ct =>
            {
                var (partner, errors) = PartnerRules.Validate(request, clock.GetUtcNow());
                if (partner is null)
                {
                    return (null, ApiError.InvalidFields(errors));
                }

                if (await db.Partners.AnyAsync(p => p.MpnId == partner.MpnId, ct))
                {
                    return (null, Duplicate("mpnId", $"A partner with PartnerID {partner.MpnId} already exists."));
                }

                if (await db.Partners.AnyAsync(p => p.Id == partner.Id, ct))
                {
                    return (null, Duplicate("tenantId", $"A partner with tenant id {partner.Id} already exists."));
                }

                db.Partners.Add(partner);
                var resource = PartnerResource.From(partner);
                var audit = new AuditEntry("create_partner", "partner", AuditEntry.Succeeded, PartnerId: partner.Id);
                return (new PreparedCreate<PartnerResource>(resource, resource.Links.Self.Uri, audit), null);
            },
            _ => Duplicate("mpnId", "A partner with this PartnerID or tenant id was created at the same moment."),
            cancellationToken);
    }

    public async Task<PartnerResource?> FindAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.PartnersRead);
        var partner = await db.Partners.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        return partner is null ? null : PartnerResource.From(partner);
    }

    /// <summary>One page of partners ordered by name then id; <paramref name="continuationToken"/> continues a previous page.</summary>
    public async Task<(CollectionPage<PartnerResource>? Page, ApiError? Error)> ListAsync(Caller caller, int? size, string? continuationToken, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.PartnersRead);
        if (!SeekPaging.TryGetSize(size, out var pageSize, out var sizeError))
        {
            return (null, sizeError);
        }

        var query = db.Partners.AsNoTracking();
        if (continuationToken is not null)
        {
            if (!SeekPaging.TryDecode(continuationToken, 2, out var key) || !Guid.TryParse(key[1], out var lastId))
            {
                return (null, SeekPaging.InvalidToken());
            }

            var lastName = key[0];
            query = query.Where(p => string.Compare(p.Name, lastName) > 0 || (p.Name == lastName && p.Id.CompareTo(lastId) > 0));
        }

        var partners = await query.OrderBy(p => p.Name).ThenBy(p => p.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
        var items = partners.Take(pageSize).Select(PartnerResource.From).ToList();
        Link? next = null;
        if (partners.Count > pageSize)
        {
            var last = partners[pageSize - 1];
            next = SeekPaging.NextLink("/v1/partners", pageSize, SeekPaging.Encode(last.Name, last.Id.ToString()));
        }

        return (CollectionPage.Of(items, next), null);
    }

    /// <summary>How many partners there are: the directory's pager shows "of 1,234".</summary>
    public Task<int> CountAsync(Caller caller, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.PartnersRead);
        return db.Partners.CountAsync(cancellationToken);
    }

    /// <summary>Every partner's id and name by name, for the operator's per-partner reports.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> NamesAsync(Caller caller, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.PartnersRead);
        var partners = await db.Partners.AsNoTracking().OrderBy(p => p.Name).ThenBy(p => p.Id).Select(p => new { p.Id, p.Name }).ToListAsync(cancellationToken);
        return [.. partners.Select(p => (p.Id, p.Name))];
    }

    private static ApiError Duplicate(string field, string message) =>
        new(ErrorKind.Conflict, ErrorCodes.AlreadyExists, message, [new FieldError(field, message)]);
}
