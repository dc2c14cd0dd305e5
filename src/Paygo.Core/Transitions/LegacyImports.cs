using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Access;
using Paygo.Core.Audit;
using Paygo.Core.AzurePlans;
using Paygo.Core.Catalog;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Orders;
using Paygo.Core.Users;

namespace Paygo.Core.Transitions;

/// <summary>One role assignment of an imported legacy Azure subscription, kept with its own id.</summary>
public sealed record LegacyRoleAssignmentDto(
    string? Id = null,
    string? Scope = null,
    string? RoleDefinitionId = null,
    string? RoleName = null,
    string? PrincipalId = null,
    string? PrincipalType = null,
    string? PrincipalDisplayName = null,
    string? Source = null,
    DateTimeOffset? ValidFrom = null,
    DateTimeOffset? ValidTo = null);

/// <summary>One legacy Microsoft Azure (MS-AZR-0145P) subscription: its Azure subscription id is also its commerce subscription id (reference §1.5).</summary>
public sealed record LegacySubscriptionDto(
    string? CustomerId = null,
    string? AzureSubscriptionId = null,
    string? FriendlyName = null,
    string? ResellerPartnerId = null,
    DateTimeOffset? CreatedAt = null,
    string? Status = null,
    bool PartnerSharedServices = false,
    IReadOnlyList<LegacyRoleAssignmentDto>? RoleAssignments = null);

/// <summary>The import file (samples/legacy-azure-import.json, docs/adr/0029).</summary>
public sealed record LegacyImportRequest(IReadOnlyList<LegacySubscriptionDto>? Subscriptions = null);

public sealed record LegacyImportResult(int Customers, int Subscriptions, int RoleAssignments, ResourceAttributes Attributes);

/// <summary>
/// The operator's import of legacy Microsoft Azure subscriptions that exist outside Paygo: the
/// commerce subscription, its Azure subscription and the role assignments on it, with their ids
/// and intervals as they are. All or nothing: every problem of the file is reported, each naming
/// its field (<c>subscriptions[2].roleAssignments[0].scope</c>), and then nothing is written.
/// </summary>
public sealed class LegacyImports(PaygoDbContext db, AuditTrail audit, TimeProvider clock)
{
    public const int MaxSubscriptions = 10_000;

    private static readonly string[] Statuses = ["active", "suspended"];
    private static readonly string[] PrincipalTypes = ["ForeignGroup", "User", "Group", "ServicePrincipal"];
    private static readonly string[] Sources = ["aobo", "rbac", "lighthouse", "pim"];

    public async Task<Result<LegacyImportResult>> ImportAsync(Caller caller, LegacyImportRequest? request, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.LegacyAzureImport);
        var items = request?.Subscriptions;
        if (items is null || items.Count == 0)
        {
            return ApiError.InvalidField("subscriptions", "The field 'subscriptions' must list at least one legacy Azure subscription.");
        }

        if (items.Count > MaxSubscriptions)
        {
            return ApiError.InvalidField("subscriptions", $"At most {MaxSubscriptions} subscriptions per import; split the file.");
        }

        var now = clock.GetUtcNow();
        var errors = new List<FieldError>();
        var parsed = items.Select((s, i) => Parse(s, $"subscriptions[{i}]", now, errors)).ToList();
        Duplicates(parsed.Where(p => p.AzureSubscriptionId is not null).Select(p => (p.Path + ".azureSubscriptionId", p.AzureSubscriptionId!.Value)), errors, "Azure subscription");
        Duplicates(parsed.SelectMany(p => p.Assignments).Select(a => (a.Path + ".id", a.Id)), errors, "role assignment");

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var customerIds = parsed.Where(p => p.CustomerId is not null).Select(p => p.CustomerId!.Value).Distinct().ToList();
        var customers = await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var planHolders = (await db.CommerceSubscriptions.AsNoTracking().Where(s => customerIds.Contains(s.CustomerId) && s.Kind == SkuKind.AzurePlan).Select(s => s.CustomerId).ToListAsync(cancellationToken)).ToHashSet();
        var subscriptionIds = parsed.Where(p => p.AzureSubscriptionId is not null).Select(p => p.AzureSubscriptionId!.Value).ToList();
        var taken = (await db.AzureEntitlements.AsNoTracking().Where(e => subscriptionIds.Contains(e.Id)).Select(e => e.Id).ToListAsync(cancellationToken))
            .Concat(await db.CommerceSubscriptions.AsNoTracking().Where(s => subscriptionIds.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken)).ToHashSet();
        var assignmentIds = parsed.SelectMany(p => p.Assignments).Select(a => a.Id).ToList();
        var takenAssignments = (await db.RoleAssignments.AsNoTracking().Where(r => assignmentIds.Contains(r.Id)).Select(r => r.Id).ToListAsync(cancellationToken)).ToHashSet();
        var partnerIds = customers.Values.Select(c => c.PartnerId).Distinct().ToList();
        var currencies = await db.Partners.AsNoTracking().Where(p => partnerIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.BillingCurrency, cancellationToken);

        foreach (var p in parsed)
        {
            if (p.CustomerId is { } customerId)
            {
                if (!customers.TryGetValue(customerId, out var customer))
                {
                    errors.Add(new(p.Path + ".customerId", $"No customer with id {customerId}."));
                }
                else
                {
                    if (planHolders.Contains(customerId))
                    {
                        errors.Add(new(p.Path + ".customerId", $"The customer {customerId} has an Azure plan, so it can no longer hold legacy Microsoft Azure subscriptions."));
                    }

                    if (p.ResellerId is { } reseller && customer.ResellerPartnerId != reseller)
                    {
                        errors.Add(new(p.Path + ".resellerPartnerId", $"The partner {reseller} is not the customer's indirect reseller."));
                    }
                }
            }

            if (p.AzureSubscriptionId is { } azureId && taken.Contains(azureId))
            {
                errors.Add(new(p.Path + ".azureSubscriptionId", $"The Azure subscription {azureId} is already in Paygo."));
            }

            errors.AddRange(p.Assignments.Where(a => takenAssignments.Contains(a.Id)).Select(a => new FieldError(a.Path + ".id", $"The role assignment {a.Id} is already in Paygo.")));
        }

        if (errors.Count > 0)
        {
            return ApiError.InvalidFields(errors);
        }

        var orders = new Dictionary<Guid, Order>();
        var assignments = 0;
        foreach (var p in parsed)
        {
            var customer = customers[p.CustomerId!.Value];
            var order = orders.TryGetValue(customer.Id, out var o) ? o : orders[customer.Id] = NewOrder(customer.PartnerId, customer.Id, currencies[customer.PartnerId], now, db);
            var id = p.AzureSubscriptionId!.Value;
            var createdAt = p.Dto.CreatedAt!.Value.ToUniversalTime();
            db.CommerceSubscriptions.Add(new CommerceSubscription
            {
                Id = id,
                PartnerId = customer.PartnerId,
                CustomerId = customer.Id,
                ResellerPartnerId = p.ResellerId,
                OrderId = order.Id,
                Kind = SkuKind.LegacyAzure,
                OfferId = CatalogSeed.LegacyAzureCatalogItemId,
                ProductId = CatalogSeed.LegacyAzureProductId,
                SkuId = CatalogSeed.LegacyAzureSkuId,
                OfferName = "Microsoft Azure",
                FriendlyName = p.FriendlyName,
                Quantity = 1,
                BillingCycle = "monthly",
                Status = p.Status,
                CreatedAt = createdAt,
                CommitmentEndDate = SubscriptionResource.NoCommitmentEnd,
            });
            db.AzureEntitlements.Add(new AzureEntitlement
            {
                Id = id,
                PartnerId = customer.PartnerId,
                CustomerId = customer.Id,
                SubscriptionId = id,
                FriendlyName = p.FriendlyName,
                CreatedAt = createdAt,
            });
            db.LegacyAzureImports.Add(new LegacyAzureImport
            {
                SubscriptionId = id,
                PartnerId = customer.PartnerId,
                CustomerId = customer.Id,
                PartnerSharedServices = p.Dto.PartnerSharedServices,
                ImportedAt = now,
                ImportedBy = caller.Email,
            });
            foreach (var a in p.Assignments)
            {
                var dto = a.Dto;
                db.RoleAssignments.Add(new RoleAssignment
                {
                    Id = a.Id,
                    PartnerId = customer.PartnerId,
                    CustomerId = customer.Id,
                    EntitlementId = id,
                    Scope = dto.Scope!.Trim(),
                    RoleDefinitionId = dto.RoleDefinitionId!.Trim(),
                    RoleName = dto.RoleName!.Trim(),
                    PrincipalId = Guid.Parse(dto.PrincipalId!),
                    PrincipalType = PrincipalTypes.First(t => string.Equals(t, dto.PrincipalType!.Trim(), StringComparison.OrdinalIgnoreCase)),
                    PrincipalDisplayName = dto.PrincipalDisplayName?.Trim() ?? string.Empty,
                    Source = dto.Source!.Trim().ToLowerInvariant(),
                    ValidFrom = dto.ValidFrom!.Value.ToUniversalTime(),
                    ValidTo = dto.ValidTo?.ToUniversalTime(),
                });
                assignments++;
            }
        }

        var result = new LegacyImportResult(customers.Count, parsed.Count, assignments, new ResourceAttributes("LegacyImportResult"));

        // One audit record per billing partner, on that partner's chain, so each partner's trail shows what was imported for its customers.
        foreach (var group in parsed.GroupBy(p => customers[p.CustomerId!.Value].PartnerId))
        {
            await audit.AppendAsync(new AuditEntry("import_legacy_azure_subscriptions", "subscription", AuditEntry.Succeeded, PartnerId: group.Key,
                ResourceNewValue: JsonSerializer.Serialize(group.Select(p => new { customerId = p.CustomerId, azureSubscriptionId = p.AzureSubscriptionId, roleAssignments = p.Assignments.Count }), PaygoJson.Options),
                UserPrincipalName: caller.Email), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>The order the legacy subscriptions of one customer hang from (every subscription names its order).</summary>
    private static Order NewOrder(Guid partnerId, Guid customerId, string currency, DateTimeOffset now, PaygoDbContext db)
    {
        var order = new Order
        {
            Id = Guid.NewGuid(),
            PartnerId = partnerId,
            CustomerId = customerId,
            CurrencyCode = currency,
            CreatedAt = now,
            BillingCycle = "monthly",
            LineItemsJson = "[]",
        };
        db.Orders.Add(order);
        return order;
    }

    private static void Duplicates(IEnumerable<(string Path, Guid Id)> ids, List<FieldError> errors, string what)
    {
        foreach (var group in ids.GroupBy(x => x.Id).Where(g => g.Count() > 1))
        {
            errors.AddRange(group.Skip(1).Select(x => new FieldError(x.Path, $"The {what} {group.Key} appears more than once in the file (first at {group.First().Path}).")));
        }
    }

    private static ParsedSubscription Parse(LegacySubscriptionDto? dto, string path, DateTimeOffset now, List<FieldError> errors)
    {
        dto ??= new LegacySubscriptionDto();
        var customerId = RequiredGuid(dto.CustomerId, path + ".customerId", errors);
        var azureId = RequiredGuid(dto.AzureSubscriptionId, path + ".azureSubscriptionId", errors);
        Guid? reseller = null;
        if (dto.ResellerPartnerId is not null)
        {
            reseller = RequiredGuid(dto.ResellerPartnerId, path + ".resellerPartnerId", errors);
        }

        var name = string.IsNullOrWhiteSpace(dto.FriendlyName) ? "Microsoft Azure" : dto.FriendlyName.Trim();
        if (name.Length > 200)
        {
            errors.Add(new(path + ".friendlyName", "The field 'friendlyName' is longer than 200 characters."));
        }

        if (dto.CreatedAt is null)
        {
            errors.Add(new(path + ".createdAt", "The field 'createdAt' is required: when the legacy subscription was bought (ISO 8601, UTC)."));
        }
        else if (dto.CreatedAt > now)
        {
            errors.Add(new(path + ".createdAt", "The field 'createdAt' is in the future."));
        }

        var status = string.IsNullOrWhiteSpace(dto.Status) ? "active" : dto.Status.Trim().ToLowerInvariant();
        if (!Statuses.Contains(status))
        {
            errors.Add(new(path + ".status", $"The field 'status' must be active or suspended, not '{ErrorText.Quote(dto.Status)}'."));
        }

        var assignments = new List<ParsedAssignment>();
        foreach (var (a, i) in (dto.RoleAssignments ?? []).Select((a, i) => (a ?? new LegacyRoleAssignmentDto(), i)))
        {
            var at = $"{path}.roleAssignments[{i}]";
            var id = RequiredGuid(a.Id, at + ".id", errors);
            if (string.IsNullOrWhiteSpace(a.Scope))
            {
                errors.Add(new(at + ".scope", "The field 'scope' is required: an ARM scope such as /subscriptions/{azureSubscriptionId}."));
            }
            else if (azureId is { } sub && !IsWithin(a.Scope.Trim(), sub))
            {
                errors.Add(new(at + ".scope", $"The scope '{ErrorText.Quote(a.Scope)}' is not within the Azure subscription {sub}."));
            }
            else if (a.Scope.Trim().Length > 400)
            {
                errors.Add(new(at + ".scope", "The field 'scope' is longer than 400 characters."));
            }

            Required(a.RoleDefinitionId, at + ".roleDefinitionId", 50, errors);
            Required(a.RoleName, at + ".roleName", 100, errors);
            RequiredGuid(a.PrincipalId, at + ".principalId", errors);
            if (a.PrincipalDisplayName is { Length: > 300 })
            {
                errors.Add(new(at + ".principalDisplayName", "The field 'principalDisplayName' is longer than 300 characters."));
            }

            if (!PrincipalTypes.Contains(a.PrincipalType?.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                errors.Add(new(at + ".principalType", $"The field 'principalType' must be one of {string.Join(", ", PrincipalTypes)}."));
            }

            if (!Sources.Contains(a.Source?.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                errors.Add(new(at + ".source", $"The field 'source' must be one of {string.Join(", ", Sources)}."));
            }

            if (a.ValidFrom is null)
            {
                errors.Add(new(at + ".validFrom", "The field 'validFrom' is required."));
            }
            else if (a.ValidTo is { } to && to <= a.ValidFrom)
            {
                errors.Add(new(at + ".validTo", "The field 'validTo' must be after 'validFrom' (intervals are half-open)."));
            }

            if (id is { } assignmentId)
            {
                assignments.Add(new ParsedAssignment(at, assignmentId, a));
            }
        }

        return new ParsedSubscription(path, dto, customerId, azureId, reseller, name, status, assignments);
    }

    /// <summary>The scope is the subscription or below it, compared by path segment and without case, as ARM does.</summary>
    private static bool IsWithin(string scope, Guid subscription)
    {
        var root = $"/subscriptions/{subscription}";
        return scope.Equals(root, StringComparison.OrdinalIgnoreCase)
            || scope.StartsWith(root + "/", StringComparison.OrdinalIgnoreCase);
    }

    private static void Required(string? value, string path, int maxLength, List<FieldError> errors)
    {
        var field = path[(path.LastIndexOf('.') + 1)..];
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(path, $"The field '{field}' is required."));
        }
        else if (value.Trim().Length > maxLength)
        {
            errors.Add(new(path, $"The field '{field}' is longer than {maxLength} characters."));
        }
    }

    private static Guid? RequiredGuid(string? value, string path, List<FieldError> errors)
    {
        var field = path[(path.LastIndexOf('.') + 1)..];
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(path, $"The field '{field}' is required (a GUID)."));
            return null;
        }

        if (!Guid.TryParse(value, out var id))
        {
            errors.Add(new(path, $"The field '{field}' is not a GUID: '{ErrorText.Quote(value)}'."));
            return null;
        }

        return id;
    }

    private sealed record ParsedAssignment(string Path, Guid Id, LegacyRoleAssignmentDto Dto);

    private sealed record ParsedSubscription(string Path, LegacySubscriptionDto Dto, Guid? CustomerId, Guid? AzureSubscriptionId, Guid? ResellerId, string FriendlyName, string Status,
        IReadOnlyList<ParsedAssignment> Assignments);
}
