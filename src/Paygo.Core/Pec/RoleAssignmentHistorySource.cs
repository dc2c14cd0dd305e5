using Microsoft.EntityFrameworkCore;
using Paygo.Core.Access;
using Paygo.Rating.Access;
using RatingAssignment = Paygo.Rating.Access.RoleAssignment;
using StoredAssignment = Paygo.Core.Access.RoleAssignment;

namespace Paygo.Core.Pec;

/// <summary>
/// The interim access history: today's <see cref="StoredAssignment"/> rows (the AOBO Owner a
/// plan purchase writes, and whatever else was recorded on the Azure subscription), read as the
/// PEC decision's <see cref="AccessHistory"/>. Registered with TryAdd, so the access store's own
/// source (issue 11 point 2, with principals, PAL, denies and corrections) replaces it.
/// </summary>
public sealed class RoleAssignmentHistorySource(PaygoDbContext db) : IAccessHistorySource
{
    /// <summary>
    /// Every recorded assignment on the Azure subscription, whichever partner it was recorded for:
    /// another partner's access is evidence too ("access held only by another partner").
    /// </summary>
    public async Task<AccessHistory> ForAzureSubscriptionAsync(Guid partnerId, Guid azureSubscriptionId, CancellationToken cancellationToken)
    {
        var rows = await db.RoleAssignments.AsNoTracking().Where(r => r.EntitlementId == azureSubscriptionId).ToListAsync(cancellationToken);
        return new AccessHistory(rows.Select(ToHistory).OfType<RatingAssignment>());
    }

    /// <summary>
    /// One row as the decision sees it; null for a row the decision cannot read (a scope outside
    /// the subscription, a role id that is not a GUID, an end before its start). Such a row can
    /// never earn PEC, so leaving it out changes no decision to "earned".
    /// </summary>
    public static RatingAssignment? ToHistory(StoredAssignment row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (!ArmScope.TryParse(row.Scope, out var scope) || !TryRoleId(row.RoleDefinitionId, out var role))
        {
            return null;
        }

        var start = row.ValidFrom.UtcDateTime;
        var end = row.ValidTo?.UtcDateTime;
        if (end < start)
        {
            return null;
        }

        return new RatingAssignment(row.Id.ToString("D"), PrincipalOf(row), role, scope, new AccessPeriod(start, end));
    }

    /// <summary>The partner id as the PEC decision compares it: Paygo's partner id, as text.</summary>
    public static string PartnerKey(Guid partnerId) => partnerId.ToString("D");

    // A foreign group is the partner's AdminAgents (or HelpdeskAgents) group acting through AOBO;
    // a Lighthouse row acts for the partner it was recorded for; users, groups and service
    // principals are the customer's own and act for no partner until the access store records a PAL.
    private static Principal PrincipalOf(StoredAssignment row)
    {
        var id = row.PrincipalId.ToString("D");
        if (string.Equals(row.Source, "lighthouse", StringComparison.OrdinalIgnoreCase))
        {
            return Principal.Lighthouse(id, PartnerKey(row.PartnerId));
        }

        if (string.Equals(row.PrincipalType, "ForeignGroup", StringComparison.OrdinalIgnoreCase))
        {
            return row.PrincipalDisplayName.Contains("Helpdesk", StringComparison.OrdinalIgnoreCase)
                ? Principal.HelpdeskAgents(id, PartnerKey(row.PartnerId))
                : Principal.AdminAgents(id, PartnerKey(row.PartnerId));
        }

        return string.Equals(row.PrincipalType, "ServicePrincipal", StringComparison.OrdinalIgnoreCase)
            ? Principal.ServicePrincipal(id)
            : Principal.User(id);
    }

    // Azure writes a role definition as its GUID or as /.../providers/Microsoft.Authorization/roleDefinitions/{guid}.
    private static bool TryRoleId(string text, out Guid id)
    {
        var slash = text.LastIndexOf('/');
        return Guid.TryParse(slash < 0 ? text : text[(slash + 1)..], out id);
    }
}
