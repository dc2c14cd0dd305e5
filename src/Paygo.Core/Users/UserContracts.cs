using Paygo.Core.Common;
using Paygo.Core.Identity;

namespace Paygo.Core.Users;

/// <summary>Body of <c>POST /v1/users</c>: a user of the caller's own organisation.</summary>
public sealed record UserCreateRequest(string? Email, string? DisplayName, IReadOnlyList<string>? Roles, string? Password);

/// <summary>A user as the API serves it. Secrets (password hash, TOTP secret) never leave the server.</summary>
public sealed record UserResource(
    Guid Id,
    string Email,
    string DisplayName,
    IReadOnlyList<string> Roles,
    string State,
    string SecondFactor,
    DateTimeOffset? SecondFactorEnrolledDate,
    Guid? PartnerId,
    DateTimeOffset CreatedDate,
    ResourceLinks Links,
    ResourceAttributes Attributes)
{
    public static UserResource From(PaygoUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(
            user.Id,
            user.Email ?? string.Empty,
            user.DisplayName,
            [.. user.RoleList.Select(PartnerRoles.ToWire)],
            user.IsDisabled ? "disabled" : "active",
            user.HasSecondFactor ? "enrolled" : "notEnrolled",
            user.SecondFactorEnrolledAt,
            user.PartnerId,
            user.CreatedAt,
            new ResourceLinks(Link.Get($"/v1/users/{user.Id}")),
            new ResourceAttributes("User"));
    }
}

/// <summary>The MFA compliance report of one organisation: compliant when every active user has a second factor.</summary>
public sealed record MfaComplianceReport(
    Guid? PartnerId,
    bool Compliant,
    int UsersWithoutSecondFactor,
    IReadOnlyList<UserResource> Users,
    ResourceAttributes Attributes);
