using System.Security.Claims;
using OpenIddict.Abstractions;
using Paygo.Core.Common;
using Paygo.Core.Identity;

namespace Paygo.Core.Users;

/// <summary>
/// Who calls, read from the token's claims: the organisation (operator or a partner) that every
/// query is scoped to, and the roles (a user) or the scopes (an app credential). Features never
/// take the tenant from the request body. Every Core operation calls <see cref="PermissionMatrix.Demand"/> with its
/// <see cref="ApiOperation"/> first, so a CLI command, a background job or a page gets the same
/// answer from <see cref="PermissionMatrix"/> as the route policy gives an HTTP request (docs/adr/0020).
/// </summary>
public sealed record Caller(Guid? PartnerId, Guid? UserId, string? Email, IReadOnlyList<PartnerRole> Roles)
{
    public bool IsOperator => PartnerId is null;

    public string Scope => PartnerId?.ToString() ?? TenantNames.Operator;

    /// <summary>An app credential's token: it holds scopes, not roles.</summary>
    public bool IsApp { get; init; }

    /// <summary>The scopes of an app credential's token (empty for a user).</summary>
    public IReadOnlyList<string> AppScopes { get; init; } = [];

    /// <summary>
    /// The operator's own unattended work (a CLI command on the database, a background job): the
    /// operator organisation with the Global admin role, so it can do what the operator's Global
    /// admin can and, like them, cannot buy for or add a partner's customers.
    /// </summary>
    public static Caller OperatorSystem { get; } = new(null, null, null, [PartnerRole.GlobalAdmin]);

    /// <summary>True when the role table lets this caller do <paramref name="operation"/>.</summary>
    public bool Allows(ApiOperation operation) =>
        IsApp ? PermissionMatrix.AllowsApp(operation, AppScopes) : PermissionMatrix.AllowsUser(operation, IsOperator, Roles);

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
            roles)
        {
            IsApp = kind == PaygoClaims.AppKind,
            AppScopes = kind == PaygoClaims.AppKind ? [.. principal.GetScopes()] : [],
        };
    }
}

/// <summary>The caller's organisation, roles or scopes do not allow the operation; served as Partner Center's 403 body.</summary>
public sealed class OperationForbiddenException(ApiOperation operation)
    : Exception($"The caller's organisation and roles do not allow {operation}.")
{
    public ApiOperation Operation { get; } = operation;

    public static ApiError Error => ApiError.Forbidden("Your roles do not allow this operation.");
}
