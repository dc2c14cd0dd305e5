using System.Security.Cryptography;
using System.Text;
using Paygo.Core.Identity;

namespace Paygo.Core.Demo;

/// <summary>A demo user as written to <c>demo-credentials.json</c>.</summary>
public sealed record DemoUser(Guid Id, Guid? PartnerId, string Email, string DisplayName, IReadOnlyList<PartnerRole> Roles, string TotpSecret);

/// <summary>
/// The demo instance's users: every Partner Center role on the direct-bill partner, the main
/// roles on the others, and the operator's admins. Deterministic (ids, e-mails, TOTP secrets) and
/// sharing one password, so the demo needs a single PBKDF2 hash: the demo is never a production
/// instance (docs/adr/0006, 0008).
/// </summary>
public static class DemoUsers
{
    public const string Password = "Paygo-Demo-Password-2026";

    private static readonly Lazy<string> SharedHash = new(() => SignInService.HashPassword(new PaygoUser(), Password));

    public static IReadOnlyList<DemoUser> All { get; } = Build();

    /// <summary>The demo's app credential (client credentials) and its scopes.</summary>
    public const string AppClientId = "demo-usage-feed";
    public const string AppClientSecret = "demo-usage-feed-secret-2026";

    /// <summary>
    /// The scopes the demo app credential may ask for: usage (the metering source), access (the
    /// access source's bulk CSV, DOMAIN.md §4) and the reads such feeds need.
    /// </summary>
    public static IReadOnlyList<string> AppScopes { get; } =
        [Identity.AppScopes.UsageWrite, Identity.AppScopes.AccessWrite, Identity.AppScopes.CatalogRead, Identity.AppScopes.PricesRead];

    public static PaygoUser ToEntity(DemoUser demo, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(demo);
        return new PaygoUser
        {
            Id = demo.Id,
            PartnerId = demo.PartnerId,
            Email = demo.Email,
            NormalizedEmail = SignInService.NormalizeEmail(demo.Email),
            UserName = demo.Email,
            NormalizedUserName = SignInService.NormalizeEmail(demo.Email),
            EmailConfirmed = true,
            DisplayName = demo.DisplayName,
            Roles = PartnerRoles.Format(demo.Roles),
            PasswordHash = SharedHash.Value,
            SecurityStamp = demo.Id.ToString("N"),
            ConcurrencyStamp = demo.Id.ToString("N"),
            LockoutEnabled = true,
            TwoFactorEnabled = true,
            TotpSecret = demo.TotpSecret,
            SecondFactorEnrolledAt = createdAt,
            CreatedAt = createdAt,
        };
    }

    private static List<DemoUser> Build()
    {
        var users = new List<DemoUser>
        {
            User(null, "admin@northwind-ops.example", "Olivia Operator", PartnerRole.GlobalAdmin, PartnerRole.UserManagementAdmin),
            User(null, "billing@northwind-ops.example", "Omar Billing", PartnerRole.BillingAdmin),
        };
        foreach (var role in Enum.GetValues<PartnerRole>())
        {
            var slug = role.ToString().ToLowerInvariant();
            users.Add(User(DemoInstance.DirectBillPartnerId, $"{slug}@fabrikam.example", $"Fabrikam {PartnerRoles.ToWire(role)}", role));
        }

        users.Add(User(DemoInstance.IndirectProviderPartnerId, "admin@contoso-distribution.example", "Contoso Global admin", PartnerRole.GlobalAdmin, PartnerRole.AdminAgent));
        users.Add(User(DemoInstance.IndirectProviderPartnerId, "sales@contoso-distribution.example", "Contoso Sales agent", PartnerRole.SalesAgent));
        users.Add(User(DemoInstance.IndirectResellerPartnerId, "admin@adatum.example", "Adatum Global admin", PartnerRole.GlobalAdmin, PartnerRole.AdminAgent));
        return users;
    }

    private static DemoUser User(Guid? partnerId, string email, string name, params PartnerRole[] roles)
    {
        // Deterministic per e-mail, so the demo's authenticator entries survive a fresh data directory.
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes("paygo-demo:" + email));
        var id = new Guid(seed.AsSpan(0, 16));
        return new DemoUser(id, partnerId, email, name, roles, Base32.Encode(seed.AsSpan(12, 20)));
    }
}
