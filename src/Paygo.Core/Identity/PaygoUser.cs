using Microsoft.AspNetCore.Identity;

namespace Paygo.Core.Identity;

/// <summary>
/// A person (or service account) who signs in: a user of the operator (<see cref="PartnerId"/>
/// null) or of one partner. Identity's columns hold the e-mail, password hash and lockout; Paygo
/// adds the tenant, the roles and the second factor.
/// </summary>
public sealed class PaygoUser : IdentityUser<Guid>
{
    /// <summary>The partner this user belongs to; null for the operator's users.</summary>
    public Guid? PartnerId { get; set; }

    public string DisplayName { get; set; } = string.Empty;

    /// <summary>Partner Center roles, stored as a comma-separated list of <see cref="PartnerRole"/> names.</summary>
    public string Roles { get; set; } = string.Empty;

    /// <summary>A disabled user cannot sign in, and every token it holds stops working at once.</summary>
    public bool IsDisabled { get; set; }

    /// <summary>
    /// The TOTP secret (RFC 6238, 160 bits, base32) encrypted by <see cref="ISecretProtector"/>;
    /// null until a second factor is enrolled. Clear only between a demo seed and the server's
    /// start-up, which encrypts it (<see cref="TotpSecretsAtRest"/>).
    /// </summary>
    public string? TotpSecret { get; set; }

    /// <summary>The last TOTP time step accepted for this user; a step is never accepted twice (DOMAIN.md §2).</summary>
    public long LastTotpTimeStep { get; set; }

    /// <summary>When the first second factor (an authenticator app or a passkey) was confirmed; null means "must enrol".</summary>
    public DateTimeOffset? SecondFactorEnrolledAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public IReadOnlyList<PartnerRole> RoleList => PartnerRoles.Parse(Roles);

    public bool HasSecondFactor => SecondFactorEnrolledAt is not null;

    /// <summary>The tenant claim of this user's tokens: <c>operator</c> or the partner's tenant id.</summary>
    public string Tenant => PartnerId is { } partner ? partner.ToString() : TenantNames.Operator;
}

/// <summary>The tenant of a principal: the operator, or one partner by tenant id.</summary>
public static class TenantNames
{
    public const string Operator = "operator";
}

/// <summary>A single-use recovery code, stored only as its SHA-256 hash.</summary>
public sealed class RecoveryCode
{
    public Guid UserId { get; set; }

    public required string CodeHash { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}
