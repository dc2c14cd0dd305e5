using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Audit;
using Paygo.Core.AzurePlans;
using Paygo.Core.Common;
using Paygo.Core.Customers;
using Paygo.Core.Identity;
using Paygo.Core.Users;
using Paygo.Rating.Access;
using Paygo.Rating.Files;

namespace Paygo.Core.Access;

/// <summary>
/// The access store (DOMAIN.md §4, docs/adr/0027): reads, single creates, ends and corrections of
/// access records, the all-or-nothing import of the access CSV (DOMAIN.md §10) and its export in
/// the same CSV. Writers are the access source's app credential (scope <c>access.write</c>) and
/// partner Admin agents whose partner holds Owner or User Access Administrator through AOBO on
/// the Azure subscription written to. Nothing is deleted; <see cref="AccessLedger"/> guards it.
/// </summary>
public sealed class AccessStore(PaygoDbContext db, AuditTrail audit, TimeProvider clock, IActorAccessor actors)
{
    private const string ResourceType = "accessassignment";

    private static readonly string[] DateFormats = [ColumnTable.IsoDate, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd", "M/d/yyyy h:mm:ss tt"];

    // ---- reads ----

    public async Task<Result<AccessPage>> ListAsync(Caller caller, Guid customerId, AccessQuery query, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.AccessRead);
        ArgumentNullException.ThrowIfNull(query);
        if (!await CustomerVisibility.IsVisibleAsync(db, caller, customerId, cancellationToken))
        {
            return CustomerVisibility.NotFound(customerId);
        }

        if (query.State is { } wanted && wanted is not ("active" or "ended" or "scheduled" or "superseded"))
        {
            return ApiError.InvalidField("state", $"The parameter 'state' must be active, scheduled, ended or superseded; '{ErrorText.Quote(wanted)}' is not.");
        }

        if (query.Size is < 1 or > SeekPaging.MaxSize || query.Offset < 0)
        {
            return ApiError.InvalidField("size", $"The page size must be between 1 and {SeekPaging.MaxSize}, and the offset not negative.");
        }

        var records = db.RoleAssignments.AsNoTracking().Where(r => r.CustomerId == customerId);
        if (query.EntitlementId is { } entitlement)
        {
            records = records.Where(r => r.EntitlementId == entitlement);
        }

        var all = await records.ToListAsync(cancellationToken);
        var view = await ViewAsync(all, cancellationToken);
        var now = clock.GetUtcNow();
        var principal = string.IsNullOrWhiteSpace(query.Principal) ? null : query.Principal.Trim();
        var items = all
            .Select(r => view.ToResource(r, now))
            .Where(r => query.State is null || r.State == query.State)
            .Where(r => principal is null
                || r.PrincipalId.ToString().Contains(principal, StringComparison.OrdinalIgnoreCase)
                || r.PrincipalDisplayName.Contains(principal, StringComparison.OrdinalIgnoreCase)
                || r.AssignmentId.Contains(principal, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(r => r.Start).ThenBy(r => r.AssignmentId, StringComparer.Ordinal).ThenBy(r => r.RecordedAt)
            .ToList();
        var page = items.Skip(query.Offset).Take(query.Size).ToList();
        Link? next = query.Offset + page.Count < items.Count
            ? Link.Get($"/v1/customers/{customerId}/access/assignments?{Query(query with { Offset = query.Offset + page.Count })}")
            : null;
        return new AccessPage(items.Count, page, new CollectionLinks(next), new ResourceAttributes("Collection"));
    }

    public async Task<Result<AccessAssignmentResource>> GetAsync(Caller caller, Guid customerId, Guid id, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.AccessRead);
        var record = await FindVisibleAsync(caller, customerId, id, cancellationToken);
        if (record is null)
        {
            return NotFound(id);
        }

        var view = await ViewAsync([record], cancellationToken);
        return view.ToResource(record, clock.GetUtcNow());
    }

    /// <summary>The customers the caller sees that have Azure subscriptions, with those subscriptions: the dashboard's filters.</summary>
    public async Task<IReadOnlyList<(Guid CustomerId, string CompanyName, IReadOnlyList<(Guid Id, string FriendlyName)> Subscriptions)>> SubscriptionsAsync(Caller caller, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.AccessRead);
        var rows = await (from e in db.AzureEntitlements.AsNoTracking()
                          join c in CustomerVisibility.Of(db, caller) on e.CustomerId equals c.Id
                          select new { c.Id, c.CompanyName, Entitlement = e.Id, e.FriendlyName }).ToListAsync(cancellationToken);
        return [.. rows.GroupBy(r => (r.Id, r.CompanyName)).OrderBy(g => g.Key.CompanyName, StringComparer.OrdinalIgnoreCase)
            .Select(g => (g.Key.Id, g.Key.CompanyName, (IReadOnlyList<(Guid, string)>)[.. g.OrderBy(r => r.FriendlyName, StringComparer.OrdinalIgnoreCase).Select(r => (r.Entitlement, r.FriendlyName))]))];
    }

    /// <summary>The custom and built-in role definitions, custom ones with their latest eligibility mark.</summary>
    public async Task<IReadOnlyList<AccessRoleResource>> ListRolesAsync(Caller caller, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.AccessRead);
        var catalog = await CatalogAsync(cancellationToken);
        return [.. catalog.Roles.OrderBy(r => r.IsCustom).ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
            .Select(r => new AccessRoleResource(r.Id, r.Name, r.IsCustom, r.PecEligible, new ResourceAttributes("RoleDefinition")))];
    }

    // ---- role definitions (the operator) ----

    public async Task<Result<Created<AccessRoleResource>>> CreateCustomRoleAsync(Caller caller, CustomRoleRequest request, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.AccessRolesWrite);
        ArgumentNullException.ThrowIfNull(request);
        var name = request.Name?.Trim();
        var problems = new List<FieldError>();
        if (request.Id is not { } id || id == Guid.Empty)
        {
            problems.Add(new FieldError("id", "The role definition id (a GUID, as Azure gives it) is required."));
            id = Guid.Empty;
        }

        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            problems.Add(new FieldError("name", "The role's name is required (at most 200 characters)."));
        }

        if (problems.Count > 0)
        {
            return ApiError.InvalidFields(problems);
        }

        var catalog = await CatalogAsync(cancellationToken);
        if (catalog.TryFind(id, out _) || catalog.TryFind(name!, out _))
        {
            return ApiError.Conflict(ErrorCodes.AlreadyExists, $"A role definition with id {id} or name '{ErrorText.Quote(name)}' already exists.");
        }

        var role = new AccessRoleDefinition { Id = id, Name = name!, IsCustom = true, PecEligible = false, CreatedAt = clock.GetUtcNow(), CreatedBy = Who(caller) };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.AccessRoleDefinitions.Add(role);
        await audit.AppendAsync(new AuditEntry("create_custom_role", "roledefinition", AuditEntry.Succeeded, ResourceNewValue: Json(new { id, name })), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Created<AccessRoleResource>(new AccessRoleResource(id, role.Name, true, false, new ResourceAttributes("RoleDefinition")), "/v1/access/roleDefinitions");
    }

    /// <summary>Marks a custom role PEC-eligible or not: a new mark, the latest of which counts.</summary>
    public async Task<Result<AccessRoleResource>> MarkEligibilityAsync(Caller caller, Guid roleId, PecEligibilityRequest request, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.AccessRolesWrite);
        ArgumentNullException.ThrowIfNull(request);
        if (request.PecEligible is not { } eligible)
        {
            return ApiError.InvalidField("pecEligible", "pecEligible (true or false) is required.");
        }

        var role = await db.AccessRoleDefinitions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == roleId, cancellationToken);
        if (role is null)
        {
            return ApiError.NotFound($"No role definition with id {roleId}.");
        }

        if (!role.IsCustom)
        {
            return new ApiError(ErrorKind.Invalid, AccessCodes.BuiltInRoleNotMarkable, $"'{role.Name}' is a built-in role; its PEC eligibility is Microsoft's (reference §3.3). Only custom roles are marked.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.AccessRoleEligibilityMarks.Add(new AccessRoleEligibilityMark { Id = Guid.NewGuid(), RoleDefinitionId = roleId, PecEligible = eligible, MarkedAt = clock.GetUtcNow(), MarkedBy = Who(caller) });
        await audit.AppendAsync(new AuditEntry("mark_role_pec_eligibility", "roledefinition", AuditEntry.Succeeded, ResourceNewValue: Json(new { id = roleId, pecEligible = eligible })), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AccessRoleResource(roleId, role.Name, true, eligible, new ResourceAttributes("RoleDefinition"));
    }

    // ---- single writes ----

    public async Task<Result<Created<AccessAssignmentResource>>> CreateAsync(Caller caller, Guid customerId, AccessAssignmentRequest request, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.AccessWrite);
        ArgumentNullException.ThrowIfNull(request);
        return await RecordAsync(caller, customerId, request, corrected: null, cancellationToken);
    }

    /// <summary>Records a correction: a new record that replaces <paramref name="id"/>, which stays (superseded).</summary>
    public async Task<Result<Created<AccessAssignmentResource>>> CorrectAsync(Caller caller, Guid customerId, Guid id, AccessAssignmentRequest request, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.AccessWrite);
        ArgumentNullException.ThrowIfNull(request);
        var original = await FindVisibleAsync(caller, customerId, id, cancellationToken);
        if (original is null)
        {
            return NotFound(id);
        }

        if (await db.RoleAssignments.AnyAsync(r => r.Corrects == id, cancellationToken))
        {
            return ApiError.Conflict(AccessCodes.AlreadyEnded, $"Access record {id} has already been corrected; correct the record that corrected it.");
        }

        return await RecordAsync(caller, customerId, request with { AssignmentId = request.AssignmentId ?? original.AssignmentId }, original, cancellationToken);
    }

    public async Task<Result<AccessAssignmentResource>> EndAsync(Caller caller, Guid customerId, Guid id, AccessEndRequest request, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.AccessWrite);
        ArgumentNullException.ThrowIfNull(request);
        var record = await FindVisibleAsync(caller, customerId, id, cancellationToken, tracked: true);
        if (record is null)
        {
            return NotFound(id);
        }

        var targets = await TargetsAsync(caller, [record.EntitlementId], cancellationToken);
        var existing = await db.RoleAssignments.AsNoTracking().Where(r => r.EntitlementId == record.EntitlementId).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        if (await WriteErrorAsync(caller, targets[record.EntitlementId], existing, now, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (record.ValidTo is not null || existing.Any(r => r.Corrects == id))
        {
            return ApiError.Conflict(AccessCodes.AlreadyEnded, $"Access record {id} has already {(record.ValidTo is null ? "been corrected" : $"ended at {record.ValidTo:O}")}; an end is set once. Record a correction to change it.");
        }

        var end = request.End ?? now;
        if (end < record.ValidFrom)
        {
            return ApiError.InvalidField("end", $"The end {end:O} is before the assignment's start {record.ValidFrom:O}.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        record.ValidTo = end;
        await audit.AppendAsync(new AuditEntry("end_access_assignment", ResourceType, AuditEntry.Succeeded, record.PartnerId,
            Json(new { id, assignmentId = record.AssignmentId, end }), CustomerId: record.CustomerId), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var view = await ViewAsync([record], cancellationToken);
        return view.ToResource(record, now);
    }

    // ---- the access CSV ----

    /// <summary>
    /// Imports an access file, all or nothing: every row is checked (format, role, scope, the
    /// caller's right to write on its subscription, clashes with recorded assignments) before any
    /// is written. A row already recorded as it is changes nothing; the same row with an end
    /// ends the open record; any other difference is a problem (send a correction instead).
    /// </summary>
    public async Task<(AccessImportResource? Imported, AccessImportErrorBody? Problems)> ImportAsync(Caller caller, Stream csv, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.AccessWrite);
        ArgumentNullException.ThrowIfNull(csv);
        // Access files are thousands of rows, not millions: read whole (the CSV reader reads synchronously).
        using var buffer = new MemoryStream();
        await csv.CopyToAsync(buffer, cancellationToken);
        buffer.Position = 0;
        var read = CsvTableReader.Read(buffer, AccessFile.Table, cancellationToken);
        if (!read.Succeeded)
        {
            return (null, Refused(read.Problems.Select(p => new AccessProblemResource(p.Row, p.Column, AccessCodes.InvalidValue, p.Reason, p.Value)).ToList(), read.ProblemCount));
        }

        var rows = read.Value.Rows;
        var subscriptions = rows.Select(r => SubscriptionOf(r["Scope"])).OfType<Guid>().Distinct().ToList();
        var targets = await TargetsAsync(caller, subscriptions, cancellationToken);
        var existing = await db.RoleAssignments.Where(r => subscriptions.Contains(r.EntitlementId)).ToListAsync(cancellationToken);
        var catalog = await CatalogAsync(cancellationToken);
        var mpn = await MpnIdsAsync(existing.Select(r => r.PartnerId).Concat(targets.Values.Select(t => t.Entitlement.PartnerId)), cancellationToken);
        var now = clock.GetUtcNow();
        var problems = new List<AccessProblemResource>();
        var writable = new Dictionary<Guid, ApiError?>();
        var seen = new HashSet<(Guid, string)>();
        var added = new List<RoleAssignment>();
        var ended = new List<(RoleAssignment Record, DateTimeOffset End)>();
        var unchanged = 0;
        foreach (var row in rows)
        {
            var fields = new Draft(row["AssignmentId"], row["Kind"], row["PrincipalType"], row["PrincipalId"], row["PartnerId"], row["RoleDefinitionName"], null, row["Scope"],
                ParseInstant(row["Start"]), string.IsNullOrEmpty(row["End"]) ? null : ParseInstant(row["End"]), null, HasEnd: !string.IsNullOrEmpty(row["End"]));
            var before = problems.Count;
            var draft = Validate(fields, catalog, targets, customerId: null, problems, row.Row, caller);
            if (draft is null || problems.Count > before)
            {
                continue;
            }

            var target = targets[draft.EntitlementId];
            if (!writable.TryGetValue(draft.EntitlementId, out var refused))
            {
                refused = await WriteErrorAsync(caller, target, existing, now, cancellationToken);
                writable[draft.EntitlementId] = refused;
            }

            if (refused is not null)
            {
                problems.Add(new AccessProblemResource(row.Row, "Scope", refused.Code, refused.Description, draft.Scope));
                continue;
            }

            if (!seen.Add((draft.EntitlementId, draft.AssignmentId)))
            {
                problems.Add(new AccessProblemResource(row.Row, "AssignmentId", AccessCodes.DuplicateInFile, $"assignment {draft.AssignmentId} appears on an earlier row of this file", draft.AssignmentId));
                continue;
            }

            var current = Current(existing, draft.EntitlementId, draft.AssignmentId);
            if (current is null)
            {
                draft.Source = "import";
                added.Add(draft);
            }
            else if (SameExceptEnd(current, draft, mpn) && current.ValidTo == draft.ValidTo)
            {
                unchanged++;
            }
            else if (SameExceptEnd(current, draft, mpn) && current.ValidTo is null && draft.ValidTo is { } end && end >= current.ValidFrom)
            {
                ended.Add((current, end));
            }
            else
            {
                problems.Add(new AccessProblemResource(row.Row, "AssignmentId", AccessCodes.ConflictsWithRecord,
                    $"assignment {draft.AssignmentId} is already recorded (record {current.Id}) with other values; a recorded assignment is only ended, never changed: correct it with POST /v1/customers/{current.CustomerId}/access/assignments/{current.Id}/corrections", draft.AssignmentId));
            }
        }

        if (problems.Count > 0)
        {
            var sorted = problems.OrderBy(p => p.Row).ThenBy(p => p.Column is null ? -1 : AccessFile.Table.IndexOf(p.Column)).ToList();
            return (null, Refused(sorted.Take(FileProblems.MaxReported).ToList(), sorted.Count));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.RoleAssignments.AddRange(added);
        foreach (var (record, end) in ended)
        {
            record.ValidTo = end;
        }

        foreach (var partner in added.Select(a => a.PartnerId).Concat(ended.Select(e => e.Record.PartnerId)).Distinct())
        {
            await audit.AppendAsync(new AuditEntry("import_access", ResourceType, AuditEntry.Succeeded, partner,
                Json(new { rows = rows.Count, recorded = added.Where(a => a.PartnerId == partner).Select(a => a.AssignmentId), ended = ended.Where(e => e.Record.PartnerId == partner).Select(e => e.Record.AssignmentId) })),
                cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return (new AccessImportResource(rows.Count, added.Count, ended.Count, unchanged, new ResourceAttributes("AccessImport")), null);
    }

    /// <summary>
    /// Writes the access CSV of the records the caller may see (optionally one customer or one
    /// Azure subscription): every record not superseded by a correction, in ordinal assignment id
    /// order, so a file written in this canonical form imports and exports byte for byte.
    /// </summary>
    public async Task<ApiError?> ExportAsync(Caller caller, Guid? customerId, Guid? entitlementId, Stream output, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.AccessRead);
        ArgumentNullException.ThrowIfNull(output);
        var visible = CustomerVisibility.Of(db, caller).Select(c => c.Id);
        if (customerId is { } c && !await visible.AnyAsync(v => v == c, cancellationToken))
        {
            return CustomerVisibility.NotFound(c);
        }

        var records = db.RoleAssignments.AsNoTracking().Where(r => visible.Contains(r.CustomerId));
        if (customerId is { } customer)
        {
            records = records.Where(r => r.CustomerId == customer);
        }

        if (entitlementId is { } entitlement)
        {
            records = records.Where(r => r.EntitlementId == entitlement);
        }

        var all = await records.ToListAsync(cancellationToken);
        var view = await ViewAsync(all, cancellationToken);
        await using var writer = new CsvTableWriter(output, AccessFile.Table, leaveOpen: true);
        foreach (var record in all.Where(r => !view.Superseded.Contains(r.Id)).OrderBy(r => r.AssignmentId, StringComparer.Ordinal).ThenBy(r => r.EntitlementId).ThenBy(r => r.RecordedAt))
        {
            writer.WriteCells(
            [
                record.AssignmentId,
                record.Kind,
                PrincipalTypes.ToFile(record.PrincipalType),
                record.PrincipalId.ToString("D"),
                view.ActsFor(record) ?? string.Empty,
                record.RoleName,
                record.Scope,
                FormatInstant(record.ValidFrom),
                record.ValidTo is { } end ? FormatInstant(end) : string.Empty,
            ]);
        }

        return null;
    }

    // ---- PEC's view ----

    /// <summary>The access history of one Azure subscription billed by <paramref name="partnerId"/>, corrections applied.</summary>
    internal async Task<AccessHistory> HistoryAsync(Guid partnerId, Guid azureSubscriptionId, CancellationToken cancellationToken)
    {
        var records = await db.RoleAssignments.AsNoTracking()
            .Where(r => r.EntitlementId == azureSubscriptionId && r.PartnerId == partnerId)
            .ToListAsync(cancellationToken);
        return await HistoryOfAsync(partnerId, records, cancellationToken);
    }

    /// <summary>
    /// One history holding the records of every given Azure subscription of the partner, read in
    /// one query: what rating a partner's month needs (one query per subscription cost the close
    /// seconds per thousand subscriptions, docs/adr/0039).
    /// </summary>
    internal async Task<AccessHistory> HistoriesAsync(Guid partnerId, IReadOnlyCollection<Guid> azureSubscriptionIds, CancellationToken cancellationToken)
    {
        var wanted = azureSubscriptionIds as ISet<Guid> ?? azureSubscriptionIds.ToHashSet();
        var records = (await db.RoleAssignments.AsNoTracking().Where(r => r.PartnerId == partnerId).ToListAsync(cancellationToken))
            .Where(r => wanted.Contains(r.EntitlementId)).ToList();
        return await HistoryOfAsync(partnerId, records, cancellationToken);
    }

    private async Task<AccessHistory> HistoryOfAsync(Guid partnerId, List<RoleAssignment> records, CancellationToken cancellationToken)
    {
        var catalog = await CatalogAsync(cancellationToken);
        var mpn = await MpnIdsAsync([partnerId], cancellationToken);
        var superseded = records.Where(r => r.Corrects is not null).Select(r => r.Corrects!.Value).ToHashSet();
        var allows = new List<Paygo.Rating.Access.RoleAssignment>();
        var denies = new List<DenyAssignment>();
        foreach (var record in records.Where(r => !superseded.Contains(r.Id)))
        {
            if (!ArmScope.TryParse(record.Scope, out var scope))
            {
                continue;
            }

            var period = new AccessPeriod(record.ValidFrom.UtcDateTime, record.ValidTo?.UtcDateTime < record.ValidFrom.UtcDateTime ? record.ValidFrom.UtcDateTime : record.ValidTo?.UtcDateTime);
            if (record.Kind == AccessKinds.Deny)
            {
                denies.Add(new DenyAssignment(record.AssignmentId, scope, period));
                continue;
            }

            var actsFor = ActsFor(record, mpn);
            var principalId = record.PrincipalId.ToString("D");
            var principal = record.PrincipalType switch
            {
                PrincipalTypes.ForeignGroup => new Principal(PrincipalKind.AdminAgents, principalId, actsFor),
                PrincipalTypes.Lighthouse => new Principal(PrincipalKind.Lighthouse, principalId, actsFor),
                PrincipalTypes.ServicePrincipal => Principal.ServicePrincipal(principalId, actsFor),
                _ => Principal.User(principalId, actsFor),
            };
            var roleId = Guid.TryParse(record.RoleDefinitionId, out var id) ? id : Guid.Empty;
            allows.Add(new Paygo.Rating.Access.RoleAssignment(record.AssignmentId, principal, roleId, scope, period));
        }

        return new AccessHistory(allows, denies, catalog);
    }

    // ---- shared ----

    private sealed record Target(AzureEntitlement Entitlement, Customer Customer);

    /// <summary>An assignment as written, before it is checked; the names are the access CSV's columns.</summary>
    private sealed record Draft(string? AssignmentId, string? Kind, string? PrincipalType, string? PrincipalId, string? PartnerId, string? RoleName, string? RoleId, string? Scope,
        DateTimeOffset? Start, DateTimeOffset? End, string? DisplayName, bool HasEnd);

    private async Task<Result<Created<AccessAssignmentResource>>> RecordAsync(Caller caller, Guid customerId, AccessAssignmentRequest request, RoleAssignment? corrected, CancellationToken cancellationToken)
    {
        if (!await CustomerVisibility.IsVisibleAsync(db, caller, customerId, cancellationToken))
        {
            return CustomerVisibility.NotFound(customerId);
        }

        var catalog = await CatalogAsync(cancellationToken);
        var subscription = SubscriptionOf(request.Scope);
        var targets = await TargetsAsync(caller, subscription is { } s ? [s] : [], cancellationToken);
        var problems = new List<AccessProblemResource>();
        var draft = Validate(
            new Draft(request.AssignmentId ?? Guid.NewGuid().ToString("D"), request.Kind ?? AccessKinds.Allow, request.PrincipalType, request.PrincipalId, request.PartnerId,
                request.RoleDefinitionName, request.RoleDefinitionId, request.Scope, request.Start ?? clock.GetUtcNow(), request.End, request.PrincipalDisplayName, request.End is not null),
            catalog, targets, customerId, problems, row: 0, caller);
        if (draft is null || problems.Count > 0)
        {
            var notFound = problems.FirstOrDefault(p => p.Code == AccessCodes.UnknownSubscription);
            return notFound is not null
                ? ApiError.NotFound(AccessCodes.UnknownSubscription, notFound.Message)
                : ApiError.InvalidFields([.. problems.Select(p => new FieldError(JsonName(p.Column), p.Message))]);
        }

        var existing = await db.RoleAssignments.AsNoTracking().Where(r => r.EntitlementId == draft.EntitlementId).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        if (await WriteErrorAsync(caller, targets[draft.EntitlementId], existing, now, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (corrected is not null && corrected.EntitlementId != draft.EntitlementId)
        {
            return ApiError.InvalidField("scope", "A correction stays in the Azure subscription of the record it corrects; end that record and record a new one in the other subscription.");
        }

        var clash = Current(existing, draft.EntitlementId, draft.AssignmentId);
        if (clash is not null && clash.Id != corrected?.Id)
        {
            return ApiError.Conflict(AccessCodes.ConflictsWithRecord, $"Assignment {draft.AssignmentId} is already recorded (record {clash.Id}); end it or correct it.");
        }

        draft.Source = corrected is null ? (caller.IsApp ? "import" : "rbac") : "correction";
        draft.Corrects = corrected?.Id;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.RoleAssignments.Add(draft);
        await audit.AppendAsync(new AuditEntry(corrected is null ? "create_access_assignment" : "correct_access_assignment", ResourceType, AuditEntry.Succeeded, draft.PartnerId,
            Json(new { id = draft.Id, assignmentId = draft.AssignmentId, kind = draft.Kind, scope = draft.Scope, role = draft.RoleName, principalId = draft.PrincipalId, start = draft.ValidFrom, end = draft.ValidTo, corrects = draft.Corrects }),
            CustomerId: draft.CustomerId), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var view = await ViewAsync([draft], cancellationToken);
        return new Created<AccessAssignmentResource>(view.ToResource(draft, now), $"/v1/customers/{customerId}/access/assignments/{draft.Id}");
    }

    /// <summary>Checks one assignment as written; adds its problems and returns null, or returns the record to add.</summary>
    private RoleAssignment? Validate(Draft d, RoleCatalog catalog, Dictionary<Guid, Target> targets, Guid? customerId, List<AccessProblemResource> problems, int row, Caller caller)
    {
        var start = problems.Count;
        void Problem(string column, int code, string message, string? value) => problems.Add(new AccessProblemResource(row, column, code, message, value is null ? null : ErrorText.Quote(value)));

        var assignmentId = d.AssignmentId?.Trim();
        if (string.IsNullOrEmpty(assignmentId) || assignmentId.Length > 200 || assignmentId != d.AssignmentId)
        {
            Problem("AssignmentId", AccessCodes.InvalidValue, "AssignmentId is required: at most 200 characters, without leading or trailing spaces", d.AssignmentId);
        }

        if (d.Kind is not (AccessKinds.Allow or AccessKinds.Deny))
        {
            Problem("Kind", AccessCodes.InvalidValue, "Kind must be allow or deny", d.Kind);
        }

        var principalType = PrincipalTypes.Parse(d.PrincipalType);
        if (principalType is null)
        {
            Problem("PrincipalType", AccessCodes.InvalidValue, "PrincipalType must be foreignPrincipal, user, servicePrincipal or lighthouse", d.PrincipalType);
        }

        if (!Guid.TryParseExact(d.PrincipalId, "D", out var principalId))
        {
            Problem("PrincipalId", AccessCodes.InvalidValue, "PrincipalId must be the principal's object id, a GUID such as 0e195b37-0000-0000-0000-000000000000", d.PrincipalId);
        }

        if (d.PartnerId is { Length: > 50 })
        {
            Problem("PartnerId", AccessCodes.InvalidValue, "PartnerId must be a PartnerID (MPN id) of at most 50 characters", d.PartnerId);
        }

        RoleDefinition? role = null;
        if (!string.IsNullOrEmpty(d.RoleId))
        {
            if (!Guid.TryParse(d.RoleId, out var roleGuid) || !catalog.TryFind(roleGuid, out role))
            {
                Problem("RoleDefinitionId", AccessCodes.InvalidValue, "RoleDefinitionId is not a built-in role or a registered custom role (GET /v1/access/roleDefinitions)", d.RoleId);
            }
        }
        else if (string.IsNullOrEmpty(d.RoleName) || !catalog.TryFind(d.RoleName, out role))
        {
            Problem("RoleDefinitionName", AccessCodes.InvalidValue, "RoleDefinitionName is not a built-in role of reference §3.3 or a registered custom role (GET /v1/access/roleDefinitions)", d.RoleName);
        }

        Target? target = null;
        if (!ArmScope.TryParse(d.Scope, out var scope) || d.Scope!.EndsWith('/'))
        {
            Problem("Scope", AccessCodes.InvalidValue, "Scope must be an ARM id inside a subscription: /subscriptions/{id}, .../resourceGroups/{rg} or a resource id", d.Scope);
        }
        else if (!Guid.TryParse(scope.SubscriptionId, out var subscriptionId) || !targets.TryGetValue(subscriptionId, out target)
            || (customerId is { } customer && target.Customer.Id != customer))
        {
            Problem("Scope", AccessCodes.UnknownSubscription,
                customerId is null ? $"subscription {scope.SubscriptionId} is not an Azure subscription Paygo bills for you" : $"subscription {scope.SubscriptionId} is not an Azure subscription of customer {customerId}", d.Scope);
        }

        if (d.Start is null)
        {
            Problem("Start", AccessCodes.InvalidValue, $"Start must be a UTC instant written {ColumnTable.IsoDate}", null);
        }

        if (d.HasEnd && d.End is null)
        {
            Problem("End", AccessCodes.InvalidValue, $"End must be a UTC instant written {ColumnTable.IsoDate}, or empty while the assignment holds", null);
        }
        else if (d.End is { } e && d.Start is { } s && e < s)
        {
            Problem("End", AccessCodes.InvalidValue, $"End {FormatInstant(e)} is before Start {FormatInstant(s)}", FormatInstant(e));
        }

        if (problems.Count > start || role is null || target is null || principalType is null)
        {
            return null;
        }

        return new RoleAssignment
        {
            Id = Guid.NewGuid(),
            PartnerId = target.Entitlement.PartnerId,
            CustomerId = target.Customer.Id,
            EntitlementId = target.Entitlement.Id,
            ExternalId = assignmentId,
            Kind = d.Kind!,
            Scope = d.Scope!,
            RoleDefinitionId = role.Id.ToString("D"),
            RoleName = string.IsNullOrEmpty(d.RoleName) ? role.Name : d.RoleName,
            PrincipalId = principalId,
            PrincipalType = principalType,
            PrincipalDisplayName = string.IsNullOrWhiteSpace(d.DisplayName) ? principalId.ToString("D") : d.DisplayName.Trim(),
            ActsForPartnerId = d.PartnerId,
            Source = "rbac",
            ValidFrom = d.Start!.Value,
            ValidTo = d.End,
            RecordedAt = clock.GetUtcNow(),
            RecordedBy = Who(caller),
        };
    }

    /// <summary>
    /// Null when the caller may write access on the target's subscription: the access source's
    /// app credential may; a partner user (an Admin agent, the matrix says) may when its partner's
    /// foreign principal holds Owner or User Access Administrator on the whole subscription now.
    /// </summary>
    private async Task<ApiError?> WriteErrorAsync(Caller caller, Target target, IReadOnlyList<RoleAssignment> records, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (caller.IsApp || caller.PartnerId is not { } partner)
        {
            return null;
        }

        var mpn = await MpnIdsAsync(records.Select(r => r.PartnerId).Append(partner), cancellationToken);
        var own = mpn.GetValueOrDefault(partner);
        var superseded = records.Where(r => r.Corrects is not null).Select(r => r.Corrects!.Value).ToHashSet();
        var holds = records.Any(r => !superseded.Contains(r.Id)
            && r.Kind == AccessKinds.Allow
            && r.PrincipalType == PrincipalTypes.ForeignGroup
            && (r.RoleDefinitionId == AzureRoles.OwnerRoleDefinitionId || r.RoleDefinitionId == AzureRoles.UserAccessAdministratorRoleDefinitionId)
            && ArmScope.TryParse(r.Scope, out var scope) && scope.IsSubscription
            && r.ValidFrom <= now && (r.ValidTo is null || r.ValidTo > now)
            && own is not null && string.Equals(ActsFor(r, mpn), own, StringComparison.Ordinal));
        return holds
            ? null
            : ApiError.Forbidden(AccessCodes.NoAoboWriteAccess, $"Your organisation's foreign principal holds neither Owner nor User Access Administrator through AOBO on subscription {target.Entitlement.Id}, so you cannot change its access.");
    }

    private async Task<Dictionary<Guid, Target>> TargetsAsync(Caller caller, List<Guid> subscriptions, CancellationToken cancellationToken)
    {
        if (subscriptions.Count == 0)
        {
            return [];
        }

        var rows = await (from e in db.AzureEntitlements.AsNoTracking()
                          join c in CustomerVisibility.Of(db, caller) on e.CustomerId equals c.Id
                          where subscriptions.Contains(e.Id)
                          select new { e, c }).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.e.Id, r => new Target(r.e, r.c));
    }

    private async Task<RoleAssignment?> FindVisibleAsync(Caller caller, Guid customerId, Guid id, CancellationToken cancellationToken, bool tracked = false)
    {
        // Two queries: the visibility query is untracked, and an untracked subquery would make the record untracked too.
        if (!await CustomerVisibility.IsVisibleAsync(db, caller, customerId, cancellationToken))
        {
            return null;
        }

        var records = tracked ? db.RoleAssignments : db.RoleAssignments.AsNoTracking();
        return await records.FirstOrDefaultAsync(r => r.Id == id && r.CustomerId == customerId, cancellationToken);
    }

    internal async Task<RoleCatalog> CatalogAsync(CancellationToken cancellationToken)
    {
        var customs = await db.AccessRoleDefinitions.AsNoTracking().Where(r => r.IsCustom).ToListAsync(cancellationToken);
        if (customs.Count == 0)
        {
            return RoleCatalog.BuiltIn;
        }

        var marks = await db.AccessRoleEligibilityMarks.AsNoTracking().ToListAsync(cancellationToken);
        var latest = marks.GroupBy(m => m.RoleDefinitionId)
            .ToDictionary(g => g.Key, g => g.OrderBy(m => m.MarkedAt).ThenBy(m => m.Id).Last().PecEligible);
        return RoleCatalog.Create(customs.Select(c => RoleDefinition.Custom(c.Id, c.Name, latest.GetValueOrDefault(c.Id))));
    }

    private async Task<Dictionary<Guid, string>> MpnIdsAsync(IEnumerable<Guid> partners, CancellationToken cancellationToken)
    {
        var ids = partners.Distinct().ToList();
        return ids.Count == 0
            ? []
            : await db.Partners.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.MpnId, cancellationToken);
    }

    private async Task<View> ViewAsync(IReadOnlyList<RoleAssignment> records, CancellationToken cancellationToken)
    {
        var ids = records.Select(r => r.Id).ToList();
        var correctedBy = await db.RoleAssignments.AsNoTracking().Where(r => r.Corrects != null && ids.Contains(r.Corrects.Value))
            .Select(r => new { r.Id, Corrects = r.Corrects!.Value }).ToListAsync(cancellationToken);
        return new View(
            correctedBy.GroupBy(c => c.Corrects).ToDictionary(g => g.Key, g => g.First().Id),
            await MpnIdsAsync(records.Select(r => r.PartnerId), cancellationToken),
            await CatalogAsync(cancellationToken));
    }

    /// <summary>What turning records into resources needs: who corrected each, the partners' MPN ids, the roles.</summary>
    private sealed class View(Dictionary<Guid, Guid> correctedBy, Dictionary<Guid, string> mpn, RoleCatalog catalog)
    {
        public HashSet<Guid> Superseded { get; } = correctedBy.Keys.ToHashSet();

        public string? ActsFor(RoleAssignment record) => AccessStore.ActsFor(record, mpn);

        public AccessAssignmentResource ToResource(RoleAssignment r, DateTimeOffset now)
        {
            var corrected = correctedBy.TryGetValue(r.Id, out var by) ? by : (Guid?)null;
            var state = corrected is not null ? "superseded"
                : r.ValidTo is { } end && end <= now ? "ended"
                : r.ValidFrom > now ? "scheduled"
                : "active";
            var eligible = r.Kind == AccessKinds.Allow && Guid.TryParse(r.RoleDefinitionId, out var role) && catalog.IsPecEligible(role);
            var actsFor = ActsFor(r);
            return new AccessAssignmentResource(r.Id, r.AssignmentId, r.Kind, r.CustomerId, r.EntitlementId, r.Scope, r.RoleDefinitionId, r.RoleName, eligible,
                PrincipalTypes.ToFile(r.PrincipalType), r.PrincipalId, r.PrincipalDisplayName, string.IsNullOrEmpty(actsFor) ? null : actsFor, r.Source, r.ValidFrom, r.ValidTo,
                r.Corrects, corrected, state, r.RecordedAt, r.RecordedBy, new ResourceAttributes("AccessAssignment"));
        }
    }

    /// <summary>The MPN id a record's principal acts for; a foreign principal Paygo assigned itself acts for the record's partner.</summary>
    private static string? ActsFor(RoleAssignment record, IReadOnlyDictionary<Guid, string> mpn) =>
        record.ActsForPartnerId is null && record.PrincipalType == PrincipalTypes.ForeignGroup
            ? mpn.GetValueOrDefault(record.PartnerId)
            : string.IsNullOrEmpty(record.ActsForPartnerId) ? null : record.ActsForPartnerId;

    private static RoleAssignment? Current(IEnumerable<RoleAssignment> records, Guid entitlement, string assignmentId)
    {
        var list = records.Where(r => r.EntitlementId == entitlement).ToList();
        var superseded = list.Where(r => r.Corrects is not null).Select(r => r.Corrects!.Value).ToHashSet();
        return list.FirstOrDefault(r => !superseded.Contains(r.Id) && string.Equals(r.AssignmentId, assignmentId, StringComparison.Ordinal));
    }

    private static bool SameExceptEnd(RoleAssignment recorded, RoleAssignment row, IReadOnlyDictionary<Guid, string> mpn) =>
        recorded.Kind == row.Kind
        && recorded.PrincipalType == row.PrincipalType
        && recorded.PrincipalId == row.PrincipalId
        && string.Equals(ActsFor(recorded, mpn) ?? string.Empty, row.ActsForPartnerId ?? string.Empty, StringComparison.Ordinal)
        && string.Equals(recorded.RoleDefinitionId, row.RoleDefinitionId, StringComparison.OrdinalIgnoreCase)
        && string.Equals(recorded.Scope, row.Scope, StringComparison.OrdinalIgnoreCase)
        && recorded.ValidFrom == row.ValidFrom;

    private static Guid? SubscriptionOf(string? scope) =>
        ArmScope.TryParse(scope, out var parsed) && Guid.TryParse(parsed.SubscriptionId, out var id) ? id : null;

    private static DateTimeOffset? ParseInstant(string text) =>
        DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? new DateTimeOffset(value, TimeSpan.Zero)
            : null;

    internal static string FormatInstant(DateTimeOffset value) => value.UtcDateTime.ToString(ColumnTable.IsoDate, CultureInfo.InvariantCulture);

    private static AccessImportErrorBody Refused(List<AccessProblemResource> problems, long count)
    {
        var first = problems.Count > 0 ? Describe(problems[0]) : "the file is empty";
        var description = count == 1
            ? $"The access file was not imported: {first}."
            : $"The access file was not imported: {count} problems, the first: {first}.";
        return new AccessImportErrorBody(AccessCodes.FileRefused, description, problems, count, ErrorBody.PaygoSource);
    }

    private static string Describe(AccessProblemResource p) => p.Column is null ? $"row {p.Row}: {p.Message}" : $"row {p.Row}, column {p.Column}: {p.Message}";

    private static string JsonName(string? column) => string.IsNullOrEmpty(column) ? string.Empty : char.ToLowerInvariant(column[0]) + column[1..];

    private static ApiError NotFound(Guid id) => ApiError.NotFound($"No access record with id {id} for that customer.");

    private string Who(Caller caller) => caller.Email ?? actors.Current.UserPrincipalName ?? actors.Current.ApplicationId ?? (caller.IsApp ? "app" : "system");

    private static string Json(object value) => JsonSerializer.Serialize(value, PaygoJson.Options);

    private static string Query(AccessQuery q)
    {
        var parts = new List<string> { $"offset={q.Offset}", $"size={q.Size}" };
        if (q.EntitlementId is { } e)
        {
            parts.Add($"entitlementId={e}");
        }

        if (q.State is { } s)
        {
            parts.Add($"state={Uri.EscapeDataString(s)}");
        }

        if (q.Principal is { } p)
        {
            parts.Add($"principal={Uri.EscapeDataString(p)}");
        }

        return string.Join('&', parts);
    }
}
