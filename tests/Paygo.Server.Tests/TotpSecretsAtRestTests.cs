using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>TOTP secrets are encrypted at rest with the data directory's key ring (docs/adr/0015), on both engines.</summary>
public sealed class TotpSecretsAtRestTests
{
    /// <summary>The column as the database holds it, read with SQL rather than through the model.</summary>
    private static Task<List<string>> RawSecretsAsync(PaygoDbContext db) =>
        db.Database.SqlQueryRaw<string>("SELECT \"TotpSecret\" AS \"Value\" FROM \"Users\" WHERE \"TotpSecret\" IS NOT NULL").ToListAsync(TestContext.Current.CancellationToken);

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task DemoSecrets_AreStoredEncrypted_AndTotpSignInStillWorks(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);

        // Signs in with password and a TOTP code computed from the demo's clear secret.
        using var client = server.CreateJsonClient(TestUsers.ByEmail("globaladmin@fabrikam.example"));
        using var me = await client.GetAsync("/v1/users", TestContext.Current.CancellationToken);
        Assert.True(me.IsSuccessStatusCode);

        await using var db = server.CreateDbContext();
        var stored = await RawSecretsAsync(db);
        Assert.Equal(DemoUsers.All.Count, stored.Count);
        Assert.All(stored, value => Assert.StartsWith(DataProtectionSecretProtector.Prefix, value, StringComparison.Ordinal));
        foreach (var demo in DemoUsers.All)
        {
            Assert.DoesNotContain(stored, value => value.Contains(demo.TotpSecret, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ClearSecretsOfAnOlderDatabase_AreEncryptedOnStart_Audited_AndSignInWorksAfter(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine, demo: false);
        var user = new DemoUser(Guid.NewGuid(), null, "legacy@northwind-ops.example", "Legacy admin", [PartnerRole.GlobalAdmin], Totp.NewSecret());
        await using (var before = server.CreateDbContext())
        {
            // A row as Paygo wrote it before secrets were encrypted.
            before.Users.Add(DemoUsers.ToEntity(user, DateTimeOffset.UnixEpoch));
            await before.SaveChangesAsync(TestContext.Current.CancellationToken);
            Assert.Equal([user.TotpSecret], await RawSecretsAsync(before));
        }

        var token = await server.GetTokenAsync(user);

        Assert.NotEmpty(token);
        await using var db = server.CreateDbContext();
        var stored = Assert.Single(await RawSecretsAsync(db));
        Assert.StartsWith(DataProtectionSecretProtector.Prefix, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(user.TotpSecret, stored, StringComparison.OrdinalIgnoreCase);
        var audit = await db.AuditRecords.SingleAsync(r => r.OperationType == "protect_totp_secrets", TestContext.Current.CancellationToken);
        Assert.Contains(user.Id.ToString(), audit.ResourceNewValue, StringComparison.Ordinal);

        // Idempotent: a second run (another node, the next start) finds nothing to do and changes nothing.
        var again = await TotpSecretsAtRest.ProtectClearSecretsAsync(db, PaygoKeyRing.Protector(server.Database.DataDirectory), server.Database.AuditKey, TimeProvider.System, TestContext.Current.CancellationToken);
        Assert.Equal(0, again);
        Assert.Equal([stored], await RawSecretsAsync(db));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task EnrolledSecret_IsStoredEncrypted_AndItsCodesSignIn(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var user = await TestUsers.AddAsync(database, null, PartnerRole.GlobalAdmin);
        var secrets = PaygoKeyRing.Protector(database.DataDirectory);
        var secret = Totp.NewSecret();
        var now = DateTimeOffset.UtcNow;
        await using (var db = database.CreateContext())
        {
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.SecondFactorEnrolledAt, (DateTimeOffset?)null), TestContext.Current.CancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
            var codes = await SecondFactorEnrolment.ConfirmTotpAsync(db, secrets, user.Id, secret, Totp.TimeStep(now) - 1, now, TestContext.Current.CancellationToken);
            await transaction.CommitAsync(TestContext.Current.CancellationToken);
            Assert.NotNull(codes);
        }

        await using var check = database.CreateContext();
        var stored = Assert.Single(await RawSecretsAsync(check));
        Assert.DoesNotContain(secret, stored, StringComparison.OrdinalIgnoreCase);
        var entity = await check.Users.AsNoTracking().SingleAsync(u => u.Id == user.Id, TestContext.Current.CancellationToken);
        var outcome = await new SignInService(check, TimeProvider.System, secrets)
            .CheckSecondFactorAsync(entity, Totp.Code(secret, Totp.TimeStep(DateTimeOffset.UtcNow)), TestContext.Current.CancellationToken);
        Assert.True(outcome.Succeeded, outcome.Reason);
    }

    [Fact]
    public void AProtectedSecret_DecryptsOnlyForItsOwner_AndOnlyWithItsKeyRing()
    {
        var folder = Directory.CreateTempSubdirectory("paygo-keys-").FullName;
        var other = Directory.CreateTempSubdirectory("paygo-keys-").FullName;
        try
        {
            var secrets = PaygoKeyRing.Protector(folder);
            var owner = Guid.NewGuid();
            var stored = secrets.Protect(owner, "JBSWY3DPEHPK3PXP");

            Assert.Equal("JBSWY3DPEHPK3PXP", PaygoKeyRing.Protector(folder).Unprotect(owner, stored));
            Assert.Null(secrets.Unprotect(Guid.NewGuid(), stored));
            Assert.Null(PaygoKeyRing.Protector(other).Unprotect(owner, stored));
            Assert.Null(secrets.Unprotect(owner, "JBSWY3DPEHPK3PXP"));
            if (!OperatingSystem.IsWindows())
            {
                var keyFile = Assert.Single(Directory.GetFiles(PaygoKeyRing.Folder(folder), "*.xml"));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public async Task DemoCredentialsFile_StillShowsEachTotpKey()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateAnonymousClient();

        var text = await File.ReadAllTextAsync(Path.Combine(server.Database.DataDirectory, "demo-credentials.json"), TestContext.Current.CancellationToken);

        using var json = JsonDocument.Parse(text);
        var admin = json.RootElement.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("email").GetString() == TestUsers.OperatorAdmin.Email);
        Assert.Equal(TestUsers.OperatorAdmin.TotpSecret, admin.GetProperty("totpSecret").GetString());
    }
}
