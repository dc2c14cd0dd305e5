using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Common;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>Users, MFA compliance and audit records over HTTP, on both engines.</summary>
public sealed class UserApiTests
{
    private static readonly string[] AdminAgentRole = ["Admin agent"];
    private static readonly string[] GlobalAdminRole = ["Global admin"];
    private static readonly DemoUser FabrikamAdmin = TestUsers.ByEmail("globaladmin@fabrikam.example");
    private static readonly DemoUser FabrikamUserAdmin = TestUsers.ByEmail("usermanagementadmin@fabrikam.example");
    private static readonly DemoUser ContosoAdmin = TestUsers.ByEmail("admin@contoso-distribution.example");

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task CreateUser_ThenItMustEnrolBeforeAToken_AndTheOrganisationIsNotCompliant(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var admin = server.CreateJsonClient(FabrikamAdmin);

        using var created = await admin.PostAsJsonAsync("/v1/users", new { email = "ana@fabrikam.example", displayName = "Ana Agent", roles = AdminAgentRole, password = "a long and unusual passphrase" }, TestContext.Current.CancellationToken);
        var user = await HttpAssert.JsonAsync(created, HttpStatusCode.Created);
        Assert.Equal("notEnrolled", user.GetProperty("secondFactor").GetString());
        Assert.Equal("Admin agent", user.GetProperty("roles")[0].GetString());

        using var anonymous = server.CreateAnonymousClient();
        using var token = await anonymous.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "paygo-cli", ["username"] = "ana@fabrikam.example",
            ["password"] = "a long and unusual passphrase", ["otp"] = "123456",
        }), TestContext.Current.CancellationToken);
        Assert.Contains("second factor", await token.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        using var report = await admin.GetAsync("/v1/mfacompliance", TestContext.Current.CancellationToken);
        var compliance = await HttpAssert.JsonAsync(report, HttpStatusCode.OK);
        Assert.False(compliance.GetProperty("compliant").GetBoolean());
        Assert.Equal(1, compliance.GetProperty("usersWithoutSecondFactor").GetInt32());

        await using var db = server.CreateDbContext();
        var requirements = new SecurityRequirements(db);
        var blocked = await requirements.CheckCanTransactAsync(DemoInstance.DirectBillPartnerId, TestContext.Current.CancellationToken);
        Assert.Equal(ErrorCodes.SecurityRequirementsNotMet, blocked!.Code);
        Assert.Null(await requirements.CheckCanTransactAsync(DemoInstance.IndirectProviderPartnerId, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("""{"email":"not-an-email","displayName":"A","roles":["Admin agent"],"password":"a long and unusual passphrase"}""", "email")]
    [InlineData("""{"email":"a@b.example","displayName":"","roles":["Admin agent"],"password":"a long and unusual passphrase"}""", "displayName")]
    [InlineData("""{"email":"a@b.example","displayName":"A","roles":["Chief"],"password":"a long and unusual passphrase"}""", "roles")]
    [InlineData("""{"email":"a@b.example","displayName":"A","roles":["Admin agent"],"password":"short"}""", "password")]
    [InlineData("""{"email":"a@b.example","displayName":"A","roles":["Admin agent"],"password":"password1234"}""", "password")]
    public async Task CreateUser_BadField_Is400NamingIt(string json, string field)
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var admin = server.CreateJsonClient(FabrikamAdmin);

        using var response = await admin.PostAsync("/v1/users", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        var body = await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        Assert.Equal(field, body.GetProperty("data")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task UserManagementAdmin_CannotGrantGlobalAdmin()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateJsonClient(FabrikamUserAdmin);

        using var response = await client.PostAsJsonAsync("/v1/users", new { email = "boss@fabrikam.example", displayName = "Boss", roles = GlobalAdminRole, password = "a long and unusual passphrase" }, TestContext.Current.CancellationToken);

        await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AnotherPartnersUser_IsNotFoundForReadsAndChanges(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var contoso = server.CreateJsonClient(ContosoAdmin);
        var fabrikamUser = TestUsers.ByEmail("adminagent@fabrikam.example").Id;

        using var get = await contoso.GetAsync($"/v1/users/{fabrikamUser}", TestContext.Current.CancellationToken);
        using var disable = await contoso.PostAsync($"/v1/users/{fabrikamUser}/disable", null, TestContext.Current.CancellationToken);
        using var list = await contoso.GetAsync("/v1/users", TestContext.Current.CancellationToken);

        await HttpAssert.ErrorBodyAsync(get, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await HttpAssert.ErrorBodyAsync(disable, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        var users = await HttpAssert.JsonAsync(list, HttpStatusCode.OK);
        Assert.All(users.GetProperty("items").EnumerateArray(), u => Assert.Contains("contoso", u.GetProperty("email").GetString(), StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task DisableThenEnable_EndsTheUsersTokenAndLetsItSignInAgain(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var admin = server.CreateJsonClient(FabrikamAdmin);
        var target = FabrikamUserAdmin;
        using var targetClient = server.CreateJsonClient(target);

        using var disabled = await admin.PostAsync($"/v1/users/{target.Id}/disable", null, TestContext.Current.CancellationToken);
        Assert.Equal("disabled", (await HttpAssert.JsonAsync(disabled, HttpStatusCode.OK)).GetProperty("state").GetString());
        using var refused = await targetClient.GetAsync("/v1/users", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var enabled = await admin.PostAsync($"/v1/users/{target.Id}/enable", null, TestContext.Current.CancellationToken);
        Assert.Equal("active", (await HttpAssert.JsonAsync(enabled, HttpStatusCode.OK)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task DisableYourself_IsRefused()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var admin = server.CreateJsonClient(FabrikamAdmin);

        using var response = await admin.PostAsync($"/v1/users/{FabrikamAdmin.Id}/disable", null, TestContext.Current.CancellationToken);

        await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.Conflict, ErrorCodes.CannotChangeOwnAccess);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ResetSecondFactor_ForcesReEnrolmentAndIsAudited(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var admin = server.CreateJsonClient(FabrikamAdmin);
        var target = TestUsers.ByEmail("salesagent@fabrikam.example");

        using var reset = await admin.PostAsync($"/v1/users/{target.Id}/resetsecondfactor", null, TestContext.Current.CancellationToken);

        Assert.Equal("notEnrolled", (await HttpAssert.JsonAsync(reset, HttpStatusCode.OK)).GetProperty("secondFactor").GetString());
        using var audit = await admin.GetAsync($"/v1/auditrecords?startDate={DateTimeOffset.UtcNow.AddHours(-1):O}".Replace("+", "%2B", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        var records = await HttpAssert.JsonAsync(audit, HttpStatusCode.OK);
        var operations = records.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("operationType").GetString()).ToList();
        Assert.Contains("reset_user_second_factor", operations);
        Assert.Contains("user_sign_in", operations);
        Assert.All(records.GetProperty("items").EnumerateArray(), r => Assert.Equal(DemoInstance.DirectBillPartnerId.ToString(), r.GetProperty("partnerId").GetString()));
    }

    [Fact]
    public async Task AuditRecords_BadDates_Are400NamingTheField()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateJsonClient();

        using var missing = await client.GetAsync("/v1/auditrecords", TestContext.Current.CancellationToken);
        using var garbage = await client.GetAsync("/v1/auditrecords?startDate=yesterday", TestContext.Current.CancellationToken);
        using var tooLong = await client.GetAsync("/v1/auditrecords?startDate=2026-01-01&endDate=2026-06-01", TestContext.Current.CancellationToken);

        Assert.Equal("startDate", (await HttpAssert.ErrorBodyAsync(missing, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty)).GetProperty("data")[0].GetProperty("field").GetString());
        Assert.Equal("startDate", (await HttpAssert.ErrorBodyAsync(garbage, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty)).GetProperty("data")[0].GetProperty("field").GetString());
        Assert.Equal("endDate", (await HttpAssert.ErrorBodyAsync(tooLong, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty)).GetProperty("data")[0].GetProperty("field").GetString());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AuditRecords_OperatorSeesPartnerCreation_WithTheActor(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient();
        using (var created = await client.PostAsJsonAsync("/v1/partners", new { name = "Tailspin", partnerType = "direct-bill", mpnId = "5123456", country = "FR" }, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var response = await client.GetAsync($"/v1/auditrecords?startDate={DateTimeOffset.UtcNow.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ}&size=1000", TestContext.Current.CancellationToken);

        var records = await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
        var creation = Assert.Single(records.GetProperty("items").EnumerateArray(), r => r.GetProperty("operationType").GetString() == "create_partner");
        Assert.Equal(TestUsers.OperatorAdmin.Email, creation.GetProperty("userPrincipalName").GetString());
        Assert.Contains("Tailspin", creation.GetProperty("resourceNewValue").GetString(), StringComparison.Ordinal);
        Assert.Equal("AuditRecord", creation.GetProperty("attributes").GetProperty("objectType").GetString());
        await using var db = server.CreateDbContext();
        Assert.Null((await Paygo.Core.Audit.AuditTrail.VerifyAsync(db, server.Database.AuditKey, TestContext.Current.CancellationToken)).FirstBreak);
        Assert.True(await db.AuditRecords.AnyAsync(r => r.OperationType == "seed_demo_instance", TestContext.Current.CancellationToken));
    }
}
