using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Paygo.Core.Audit;
using Paygo.Core.Common;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Core.Partners;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// Users only under the organisation's own verified domains, and no answer that tells whether
/// an address exists in another organisation (docs/adr/0015), on both engines.
/// </summary>
public sealed class VerifiedDomainTests
{
    private static readonly DemoUser FabrikamAdmin = TestUsers.ByEmail("globaladmin@fabrikam.example");
    private static readonly string[] AdminAgent = ["Admin agent"];

    private static object Domains(params string[] domains) => new { domains };

    private static Task<HttpResponseMessage> CreateUserAsync(HttpClient client, string email) =>
        client.PostAsJsonAsync("/v1/users", new { email, displayName = "New user", roles = AdminAgent, password = "a long and unusual passphrase" }, TestContext.Current.CancellationToken);

    private static async Task AssertRefusedForEmailAsync(HttpResponseMessage response)
    {
        var body = await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        Assert.Equal("email", body.GetProperty("data")[0].GetProperty("field").GetString());
        Assert.Contains("verified domains", body.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Partner_CreatingAUserUnderAnotherPartnersDomain_IsRefused(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var fabrikam = server.CreateJsonClient(FabrikamAdmin);

        using var response = await CreateUserAsync(fabrikam, "squatter@contoso-distribution.example");

        await AssertRefusedForEmailAsync(response);
        await using var db = server.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.NormalizedEmail == "SQUATTER@CONTOSO-DISTRIBUTION.EXAMPLE", TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Partner_CreatingAUserUnderTheOperatorsDomain_IsRefused(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var fabrikam = server.CreateJsonClient(FabrikamAdmin);

        using var response = await CreateUserAsync(fabrikam, "fake-admin@northwind-ops.example");

        await AssertRefusedForEmailAsync(response);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AnAddressTakenElsewhere_GetsTheSameAnswerAsAnUnusedOne(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var fabrikam = server.CreateJsonClient(FabrikamAdmin);

        foreach (var (existing, unused) in new[]
        {
            ("admin@contoso-distribution.example", "nobody@contoso-distribution.example"),
            ("admin@northwind-ops.example", "nobody@northwind-ops.example"),
        })
        {
            using var taken = await CreateUserAsync(fabrikam, existing);
            using var free = await CreateUserAsync(fabrikam, unused);

            Assert.Equal(free.StatusCode, taken.StatusCode);
            Assert.Equal(
                await free.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
                await taken.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            await AssertRefusedForEmailAsync(taken);
        }
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task OwnDomain_Works_InAnyCase_AndAnOwnAddressInUseIs409(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var fabrikam = server.CreateJsonClient(FabrikamAdmin);

        using var created = await CreateUserAsync(fabrikam, "new.agent@Fabrikam.Example");
        using var again = await CreateUserAsync(fabrikam, "new.agent@fabrikam.example");

        await HttpAssert.JsonAsync(created, HttpStatusCode.Created);
        await HttpAssert.ErrorBodyAsync(again, HttpStatusCode.Conflict, ErrorCodes.AlreadyExists);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task OperatorVerifiesADomainForAPartner_ThenItsUsersCanBeCreated_AndRemovingItStopsThat(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var fabrikam = server.CreateJsonClient(FabrikamAdmin);
        using var operatorAdmin = server.CreateJsonClient();
        var domains = $"/v1/partners/{DemoInstance.DirectBillPartnerId}/domains";

        using var before = await CreateUserAsync(fabrikam, "ana@fabrikam.co.uk");
        using var put = await operatorAdmin.PutAsJsonAsync(domains, Domains("fabrikam.example", "Fabrikam.CO.UK."), TestContext.Current.CancellationToken);
        using var list = await operatorAdmin.GetAsync(domains, TestContext.Current.CancellationToken);
        using var after = await CreateUserAsync(fabrikam, "ana@fabrikam.co.uk");
        using var removed = await operatorAdmin.PutAsJsonAsync(domains, Domains("fabrikam.example"), TestContext.Current.CancellationToken);
        using var afterRemoval = await CreateUserAsync(fabrikam, "ben@fabrikam.co.uk");

        await AssertRefusedForEmailAsync(before);
        await HttpAssert.JsonAsync(put, HttpStatusCode.OK);
        var page = await HttpAssert.JsonAsync(list, HttpStatusCode.OK);
        Assert.Equal(["fabrikam.co.uk", "fabrikam.example"], page.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("domain").GetString()));
        await HttpAssert.JsonAsync(after, HttpStatusCode.Created);
        await HttpAssert.JsonAsync(removed, HttpStatusCode.OK);
        await AssertRefusedForEmailAsync(afterRemoval);

        await using var db = server.CreateDbContext();
        Assert.Equal(2, await db.AuditRecords.CountAsync(r => r.OperationType == "update_verified_domains" && r.PartnerId == DemoInstance.DirectBillPartnerId, TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ADomain_BelongsToOneOrganisation_InTheApiAndTheDatabase(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var operatorAdmin = server.CreateJsonClient();

        using var toContoso = await operatorAdmin.PutAsJsonAsync($"/v1/partners/{DemoInstance.IndirectProviderPartnerId}/domains",
            Domains("contoso-distribution.example", "fabrikam.example"), TestContext.Current.CancellationToken);
        using var toOperator = await operatorAdmin.PutAsJsonAsync("/v1/partners/operator/domains",
            Domains("northwind-ops.example", "fabrikam.example"), TestContext.Current.CancellationToken);
        using var invalid = await operatorAdmin.PutAsJsonAsync("/v1/partners/operator/domains",
            Domains("not a domain"), TestContext.Current.CancellationToken);

        await HttpAssert.ErrorBodyAsync(toContoso, HttpStatusCode.Conflict, ErrorCodes.AlreadyExists);
        await HttpAssert.ErrorBodyAsync(toOperator, HttpStatusCode.Conflict, ErrorCodes.AlreadyExists);
        var body = await HttpAssert.ErrorBodyAsync(invalid, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        Assert.Equal("domains", body.GetProperty("data")[0].GetProperty("field").GetString());

        // The database holds the rule too, for writers that race past the check.
        await using var db = server.CreateDbContext();
        db.VerifiedDomains.Add(new VerifiedDomain { Domain = "fabrikam.example", PartnerId = DemoInstance.IndirectResellerPartnerId, CreatedAt = DateTimeOffset.UtcNow });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Bootstrap_VerifiesTheFirstAdminsDomainForTheOperator(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var db = database.CreateContext();

        var (token, error) = await new Enrolment(db, TimeProvider.System, new FixedActor(Actor.System), database.AuditKey)
            .BootstrapAsync("root@Operator.Example", "Root", "Operator", TestContext.Current.CancellationToken);

        Assert.Null(error);
        Assert.NotNull(token);
        var domain = await db.VerifiedDomains.AsNoTracking().SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal("operator.example", domain.Domain);
        Assert.Null(domain.PartnerId);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task UpgradingADatabase_VerifiesEachDomainUsedByOneOrganisationOnly(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine, migrate: false);
        await using var db = database.CreateContext();
        var migrator = db.GetService<IMigrator>();
        var migrations = db.Database.GetMigrations().ToList();
        await migrator.MigrateAsync(migrations[migrations.FindIndex(m => m.EndsWith("_VerifiedDomains", StringComparison.Ordinal)) - 1], TestContext.Current.CancellationToken);
        var partner = Guid.NewGuid();
        var other = Guid.NewGuid();
        foreach (var (email, owner) in new (string, Guid?)[]
        {
            ("a@partner.example", partner), ("b@partner.example", partner), ("ops@operator.example", null),
            ("x@shared.example", partner), ("y@shared.example", other),
        })
        {
            db.Users.Add(DemoUsers.ToEntity(new DemoUser(Guid.NewGuid(), owner, email, "User", [PartnerRole.AdminAgent], Totp.NewSecret()), DateTimeOffset.UnixEpoch));
        }

        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        await migrator.MigrateAsync(cancellationToken: TestContext.Current.CancellationToken);

        var domains = await db.VerifiedDomains.AsNoTracking().OrderBy(d => d.Domain).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([("operator.example", (Guid?)null), ("partner.example", partner)], domains.Select(d => (d.Domain, d.PartnerId)));
    }
}
