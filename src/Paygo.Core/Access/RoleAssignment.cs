using System.Security.Cryptography;
using System.Text;

namespace Paygo.Core.Access;

/// <summary>
/// An Azure RBAC role assignment on a customer's Azure subscription, kept as a validity interval
/// (the evidence Partner Earned Credit is computed from, DOMAIN.md §4-5). The Azure plan purchase
/// writes the first one: Owner for the partner's AdminAgents foreign principal (AOBO).
/// </summary>
public sealed class RoleAssignment
{
    public Guid Id { get; set; }

    public Guid PartnerId { get; set; }

    public Guid CustomerId { get; set; }

    /// <summary>The Azure subscription the assignment is on.</summary>
    public Guid EntitlementId { get; set; }

    /// <summary>ARM scope, e.g. <c>/subscriptions/{id}</c>.</summary>
    public required string Scope { get; set; }

    public required string RoleDefinitionId { get; set; }

    public required string RoleName { get; set; }

    public Guid PrincipalId { get; set; }

    /// <summary><c>ForeignGroup</c> for AOBO; <c>User</c>, <c>Group</c>, <c>ServicePrincipal</c> otherwise.</summary>
    public required string PrincipalType { get; set; }

    public required string PrincipalDisplayName { get; set; }

    /// <summary>How the access was granted: <c>aobo</c>, <c>rbac</c>, <c>lighthouse</c>, <c>pim</c>.</summary>
    public required string Source { get; set; }

    /// <summary>Start of the half-open validity interval [ValidFrom, ValidTo).</summary>
    public DateTimeOffset ValidFrom { get; set; }

    /// <summary>End of the validity interval; null while the assignment holds.</summary>
    public DateTimeOffset? ValidTo { get; set; }

    /// <summary>
    /// Owner for the partner's AdminAgents foreign principal on a new Azure subscription: what
    /// provisioning grants (reference §2.5), from <paramref name="from"/> on.
    /// </summary>
    public static RoleAssignment AoboOwner(Guid partnerId, string partnerName, Guid customerId, Guid azureSubscriptionId, DateTimeOffset from) => new()
    {
        Id = Guid.NewGuid(),
        PartnerId = partnerId,
        CustomerId = customerId,
        EntitlementId = azureSubscriptionId,
        Scope = $"/subscriptions/{azureSubscriptionId}",
        RoleDefinitionId = AzureRoles.OwnerRoleDefinitionId,
        RoleName = "Owner",
        PrincipalId = AzureRoles.AdminAgentsGroupOf(partnerId),
        PrincipalType = "ForeignGroup",
        PrincipalDisplayName = $"Foreign Principal for '{partnerName}'",
        Source = "aobo",
        ValidFrom = from,
    };
}

/// <summary>Well-known Azure roles and principals.</summary>
public static class AzureRoles
{
    /// <summary>The built-in Owner role's definition id (the same in every tenant).</summary>
    public const string OwnerRoleDefinitionId = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

    /// <summary>
    /// The object id of a partner's AdminAgents group as a foreign principal. Paygo does not yet
    /// receive the partner's directory, so the id is derived from the partner's tenant id (stable,
    /// distinct per partner); the access feed will carry real object ids (docs/adr/0012).
    /// </summary>
    public static Guid AdminAgentsGroupOf(Guid partnerId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("paygo:AdminAgents:" + partnerId.ToString("D")));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
