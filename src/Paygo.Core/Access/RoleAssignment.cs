using System.Security.Cryptography;
using System.Text;

namespace Paygo.Core.Access;

/// <summary>
/// One record of Paygo's access history (DOMAIN.md §4-5, docs/adr/0027): an Azure RBAC allow or
/// deny assignment on a scope inside a customer's Azure subscription, kept as a validity interval.
/// Records are never deleted and never changed, with one exception: an open record's end
/// (<see cref="ValidTo"/>) may be set once. A mistake is fixed by a new record that names the one
/// it corrects (<see cref="Corrects"/>); the corrected record stays, superseded. The Azure plan
/// purchase writes the first record: Owner for the partner's AdminAgents foreign principal (AOBO).
/// </summary>
public sealed class RoleAssignment
{
    /// <summary>Paygo's id of this record.</summary>
    public Guid Id { get; set; }

    /// <summary>The partner whose data this is: the Azure subscription's billing partner (tenancy, not whose principal it is).</summary>
    public Guid PartnerId { get; set; }

    public Guid CustomerId { get; set; }

    /// <summary>The Azure subscription the assignment is on.</summary>
    public Guid EntitlementId { get; set; }

    /// <summary>
    /// The assignment id the access source gave (the access CSV's <c>AssignmentId</c>, kept as written);
    /// null for assignments Paygo made itself, whose id is <see cref="Id"/>. See <see cref="AssignmentId"/>.
    /// </summary>
    public string? ExternalId { get; set; }

    /// <summary><c>allow</c> or <c>deny</c> (<see cref="AccessKinds"/>).</summary>
    public string Kind { get; set; } = AccessKinds.Allow;

    /// <summary>ARM scope as written, e.g. <c>/subscriptions/{id}/resourceGroups/rg-app</c>.</summary>
    public required string Scope { get; set; }

    /// <summary>The Azure role definition id (a GUID in its <c>D</c> form).</summary>
    public required string RoleDefinitionId { get; set; }

    /// <summary>The role's name as the writer spelled it (the access CSV's <c>RoleDefinitionName</c>).</summary>
    public required string RoleName { get; set; }

    /// <summary>The principal's object id.</summary>
    public Guid PrincipalId { get; set; }

    /// <summary><c>ForeignGroup</c> for AOBO; <c>User</c>, <c>ServicePrincipal</c>, <c>Lighthouse</c> otherwise (<see cref="PrincipalTypes"/>).</summary>
    public required string PrincipalType { get; set; }

    public required string PrincipalDisplayName { get; set; }

    /// <summary>
    /// The PartnerID (MPN id) the principal acts for: the foreign principal's partner, the Lighthouse
    /// managing partner, or a user's or service principal's Partner Admin Link. Null on a foreign
    /// principal Paygo assigned itself, which acts for <see cref="PartnerId"/>'s MPN id.
    /// </summary>
    public string? ActsForPartnerId { get; set; }

    /// <summary>How the access was granted: <c>aobo</c>, <c>rbac</c>, <c>lighthouse</c>, <c>pim</c>, <c>import</c>.</summary>
    public required string Source { get; set; }

    /// <summary>Start of the half-open validity interval [ValidFrom, ValidTo).</summary>
    public DateTimeOffset ValidFrom { get; set; }

    /// <summary>End of the validity interval; null while the assignment holds. Set at most once.</summary>
    public DateTimeOffset? ValidTo { get; set; }

    /// <summary>The record this one corrects (and supersedes); null for an original record.</summary>
    public Guid? Corrects { get; set; }

    /// <summary>When Paygo wrote the record (not when the access began).</summary>
    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>Who wrote it: a user's email, an app's client id, or <c>system</c>.</summary>
    public string? RecordedBy { get; set; }

    /// <summary>The id PEC evidence and the access CSV name: the source's id, or Paygo's own.</summary>
    public string AssignmentId => ExternalId ?? Id.ToString("D");

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
        PrincipalType = PrincipalTypes.ForeignGroup,
        PrincipalDisplayName = $"Foreign Principal for '{partnerName}'",
        Source = "aobo",
        ValidFrom = from,
        RecordedAt = from,
        RecordedBy = "system",
    };
}

/// <summary>The two kinds of access record.</summary>
public static class AccessKinds
{
    public const string Allow = "allow";
    public const string Deny = "deny";
}

/// <summary>Stored principal types, and their spelling in the access CSV (DOMAIN.md §10).</summary>
public static class PrincipalTypes
{
    public const string ForeignGroup = "ForeignGroup";
    public const string User = "User";
    public const string ServicePrincipal = "ServicePrincipal";
    public const string Lighthouse = "Lighthouse";

    public static IReadOnlyList<string> All { get; } = [ForeignGroup, User, ServicePrincipal, Lighthouse];

    public static string ToFile(string stored) => stored switch
    {
        ForeignGroup => "foreignPrincipal",
        User => "user",
        ServicePrincipal => "servicePrincipal",
        Lighthouse => "lighthouse",
        _ => throw new ArgumentOutOfRangeException(nameof(stored), stored, "not a principal type"),
    };

    /// <summary>Reads the CSV's spelling or the stored one (case-insensitively); null when it is neither.</summary>
    public static string? Parse(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "FOREIGNPRINCIPAL" or "FOREIGNGROUP" => ForeignGroup,
        "USER" => User,
        "SERVICEPRINCIPAL" => ServicePrincipal,
        "LIGHTHOUSE" => Lighthouse,
        _ => null,
    };
}

/// <summary>Well-known Azure roles and principals.</summary>
public static class AzureRoles
{
    /// <summary>The built-in Owner role's definition id (the same in every tenant).</summary>
    public const string OwnerRoleDefinitionId = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

    /// <summary>The built-in User Access Administrator role's definition id.</summary>
    public const string UserAccessAdministratorRoleDefinitionId = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";

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
