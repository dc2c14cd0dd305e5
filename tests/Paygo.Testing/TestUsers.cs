using Paygo.Core.Demo;
using Paygo.Core.Identity;

namespace Paygo.Testing;

/// <summary>Users for tests: the demo's, or new ones inserted directly (sharing the demo password's hash, so no PBKDF2 per user).</summary>
public static class TestUsers
{
    public static DemoUser OperatorAdmin => ByEmail("admin@northwind-ops.example");

    public static DemoUser ByEmail(string email) => DemoUsers.All.Single(u => u.Email == email);

    /// <summary>The demo user of <paramref name="partnerId"/> (or the operator) holding exactly <paramref name="role"/>, if any.</summary>
    public static DemoUser? WithRole(Guid? partnerId, PartnerRole role) =>
        DemoUsers.All.FirstOrDefault(u => u.PartnerId == partnerId && u.Roles.Count == 1 && u.Roles[0] == role);

    public static async Task<DemoUser> AddAsync(TestDatabase database, Guid? partnerId, params PartnerRole[] roles)
    {
        ArgumentNullException.ThrowIfNull(database);
        var id = Guid.NewGuid();
        var user = new DemoUser(id, partnerId, $"user-{id:N}@test.example", "Test user", roles, Totp.NewSecret());
        await using var db = database.CreateContext();
        var entity = DemoUsers.ToEntity(user, DateTimeOffset.UnixEpoch);

        // Stored as the server stores it: encrypted with the data directory's key ring.
        entity.TotpSecret = PaygoKeyRing.Protector(database.DataDirectory).Protect(entity.Id, user.TotpSecret);
        db.Users.Add(entity);
        await db.SaveChangesAsync();
        return user;
    }

    /// <summary>The current TOTP code of a user (optionally some steps ahead, for a second sign-in in the same step).</summary>
    public static string Code(DemoUser user, int stepsAhead = 0)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Totp.Code(user.TotpSecret, Totp.TimeStep(DateTimeOffset.UtcNow) + stepsAhead);
    }
}
