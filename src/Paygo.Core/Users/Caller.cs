using System.Security.Claims;
using Paygo.Core.Identity;

namespace Paygo.Core.Users;

/// <summary>
/// Who calls, read from the token's claims: the organisation (operator or a partner) that every
/// query is scoped to, and the roles. Features never take the tenant from the request body.
/// </summary>
public sealed record Caller(Guid? PartnerId, Guid? UserId, string? Email, IReadOnlyList<PartnerRole> Roles)
{
    public bool IsOperator => PartnerId is null;

    public string Scope => PartnerId?.ToString() ?? TenantNames.Operator;

    public static Caller From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var tenant = principal.FindFirst(PaygoClaims.Tenant)?.Value
            ?? throw new InvalidOperationException("An authorised principal always has a tenant.");
        var roles = principal.FindAll(PaygoClaims.Role)
            .Select(c => Enum.TryParse<PartnerRole>(c.Value, out var role) ? role : (PartnerRole?)null)
            .OfType<PartnerRole>()
            .ToList();
        var kind = principal.FindFirst(PaygoClaims.Kind)?.Value;
        return new Caller(
            tenant == TenantNames.Operator ? null : Guid.Parse(tenant),
            kind == PaygoClaims.UserKind && Guid.TryParse(principal.FindFirst(PaygoClaims.Subject)?.Value, out var id) ? id : null,
            principal.FindFirst(PaygoClaims.Email)?.Value,
            roles);
    }
}
