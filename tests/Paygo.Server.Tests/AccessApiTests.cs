using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paygo.Core.Access;
using Paygo.Core.Demo;
using Paygo.Rating.Access;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>The access store over HTTP (issue 11 point 2, docs/adr/0027), on both engines.</summary>
public sealed class AccessApiTests
{
    private static readonly Guid Tailspin = DemoCommerce.TailspinCustomerId;
    private static readonly string Subscription = $"/subscriptions/{DemoCommerce.TailspinAzureSubscriptionId}";
    private static readonly DemoUser FabrikamAdminAgent = TestUsers.ByEmail("adminagent@fabrikam.example");

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task SampleFile_ImportThenExport_IsByteIdentical_AndReimportChangesNothing(string engine)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamAdminAgent);
        var original = await File.ReadAllBytesAsync(SamplePath(), ct);

        var imported = await HttpAssert.JsonAsync(await PostCsvAsync(client, original), HttpStatusCode.OK);
        Assert.Equal(5, imported.GetProperty("rows").GetInt32());
        Assert.Equal(4, imported.GetProperty("recorded").GetInt32());
        Assert.Equal(1, imported.GetProperty("unchanged").GetInt32()); // the demo's AOBO Owner, as provisioning wrote it

        Assert.Equal(original, await ExportAsync(client, $"customerId={Tailspin}"));

        var again = await HttpAssert.JsonAsync(await PostCsvAsync(client, original), HttpStatusCode.OK);
        Assert.Equal(0, again.GetProperty("recorded").GetInt32());
        Assert.Equal(5, again.GetProperty("unchanged").GetInt32());
        Assert.Equal(original, await ExportAsync(client, $"customerId={Tailspin}"));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task FileWithOneBadRow_ImportsNothing_AndNamesRowAndColumn(string engine)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamAdminAgent);
        var lines = (await File.ReadAllTextAsync(SamplePath(), ct)).Split("\r\n");
        lines[3] = lines[3].Replace("2026-11-02T09:00:00Z", "the second of November", StringComparison.Ordinal);
        int before;
        await using (var db = server.CreateDbContext())
        {
            before = await db.RoleAssignments.CountAsync(ct);
        }

        using var response = await PostCsvAsync(client, Encoding.UTF8.GetBytes(string.Join("\r\n", lines)));
        var body = await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.BadRequest, AccessCodes.FileRefused);
        var problem = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal(4, problem.GetProperty("row").GetInt32());
        Assert.Equal("Start", problem.GetProperty("column").GetString());
        Assert.Equal(AccessCodes.InvalidValue, problem.GetProperty("code").GetInt32());
        Assert.Contains("row 4, column Start", body.GetProperty("description").GetString(), StringComparison.Ordinal);
        await using (var db = server.CreateDbContext())
        {
            Assert.Equal(before, await db.RoleAssignments.CountAsync(ct));
        }
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task RowOnAnotherPartnersSubscription_IsAProblemOfItsRow_AndNothingIsImported(string engine)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamAdminAgent);
        var text = await File.ReadAllTextAsync(SamplePath(), ct);
        var foreign = text.Split("\r\n")[1].Replace(DemoCommerce.TailspinAzureSubscriptionId.ToString(), DemoCommerce.LitwareAzureSubscriptionId.ToString(), StringComparison.Ordinal)
            .Replace("3b7e2c1a", "9f7e2c1a", StringComparison.Ordinal);

        using var response = await PostCsvAsync(client, Encoding.UTF8.GetBytes(text + foreign + "\r\n"));
        var body = await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.BadRequest, AccessCodes.FileRefused);
        var problem = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal(7, problem.GetProperty("row").GetInt32());
        Assert.Equal("Scope", problem.GetProperty("column").GetString());
        Assert.Equal(AccessCodes.UnknownSubscription, problem.GetProperty("code").GetInt32());
        await using var db = server.CreateDbContext();
        Assert.False(await db.RoleAssignments.AnyAsync(r => r.ExternalId != null, ct));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Create_End_Correct_KeepEveryRecord_AndAnEndIsSetOnce(string engine)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamAdminAgent);
        var path = $"/v1/customers/{Tailspin}/access/assignments";

        using var created = await client.PostAsJsonAsync(path, new
        {
            principalType = "user",
            principalId = "6a0f4e2b-1c3d-4a5e-8f90-0a1b2c3d4e99",
            partnerId = "4390934",
            roleDefinitionName = "Contributor",
            scope = Subscription + "/resourceGroups/rg-app",
            start = "2026-11-01T00:00:00Z",
        }, ct);
        var record = await HttpAssert.JsonAsync(created, HttpStatusCode.Created);
        var id = record.GetProperty("id").GetGuid();
        Assert.Equal("active", record.GetProperty("state").GetString());
        Assert.True(record.GetProperty("pecEligible").GetBoolean());
        Assert.Equal($"{path}/{id}", created.Headers.Location!.OriginalString);

        using (var ended = await client.PostAsJsonAsync($"{path}/{id}/end", new { end = "2026-11-13T13:00:00Z" }, ct))
        {
            var body = await HttpAssert.JsonAsync(ended, HttpStatusCode.OK);
            Assert.Equal("ended", body.GetProperty("state").GetString());
        }

        using (var again = await client.PostAsJsonAsync($"{path}/{id}/end", new { end = "2026-11-14T00:00:00Z" }, ct))
        {
            await HttpAssert.ErrorBodyAsync(again, HttpStatusCode.Conflict, AccessCodes.AlreadyEnded);
        }

        using var corrected = await client.PostAsJsonAsync($"{path}/{id}/corrections", new
        {
            principalType = "user",
            principalId = "6a0f4e2b-1c3d-4a5e-8f90-0a1b2c3d4e99",
            partnerId = "4390934",
            roleDefinitionName = "Contributor",
            scope = Subscription + "/resourceGroups/rg-app",
            start = "2026-11-01T00:00:00Z",
            end = "2026-11-13T15:00:00Z",
        }, ct);
        var correction = await HttpAssert.JsonAsync(corrected, HttpStatusCode.Created);
        Assert.Equal(id, correction.GetProperty("corrects").GetGuid());
        Assert.Equal(record.GetProperty("assignmentId").GetString(), correction.GetProperty("assignmentId").GetString());

        var original = await HttpAssert.JsonAsync(await client.GetAsync($"{path}/{id}", ct), HttpStatusCode.OK);
        Assert.Equal("superseded", original.GetProperty("state").GetString());
        Assert.Equal(correction.GetProperty("id").GetGuid(), original.GetProperty("correctedBy").GetGuid());
        using (var twice = await client.PostAsJsonAsync($"{path}/{id}/corrections", new { principalType = "user" }, ct))
        {
            await HttpAssert.ErrorBodyAsync(twice, HttpStatusCode.Conflict, AccessCodes.AlreadyEnded);
        }

        var superseded = await HttpAssert.JsonAsync(await client.GetAsync($"{path}?state=superseded", ct), HttpStatusCode.OK);
        Assert.Equal(1, superseded.GetProperty("totalCount").GetInt32());

        // Only the correction reaches PEC: the history has one assignment for the user, ending at 15:00.
        await using var scope = server.Services.CreateAsyncScope();
        var history = await scope.ServiceProvider.GetRequiredService<IAccessHistorySource>()
            .ForAzureSubscriptionAsync(DemoInstance.DirectBillPartnerId, DemoCommerce.TailspinAzureSubscriptionId, ct);
        var user = Assert.Single(history.Assignments, a => a.Principal.Kind == PrincipalKind.User);
        Assert.Equal(new DateTime(2026, 11, 13, 15, 0, 0, DateTimeKind.Utc), user.Period.End);

        await using var db = server.CreateDbContext();
        Assert.Equal(3, await db.AuditRecords.CountAsync(a => a.ResourceType == "accessassignment", ct));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AdminAgent_WhosePartnerLostItsAoboOwner_CannotWrite(string engine)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamAdminAgent);
        var path = $"/v1/customers/{Tailspin}/access/assignments";
        var aobo = DemoCommerce.TailspinAzureSubscriptionId; // the demo's AOBO record has the subscription's id
        using (var ended = await client.PostAsJsonAsync($"{path}/{aobo}/end", new { }, ct))
        {
            await HttpAssert.JsonAsync(ended, HttpStatusCode.OK);
        }

        using var refused = await client.PostAsJsonAsync(path, new
        {
            principalType = "user",
            principalId = "6a0f4e2b-1c3d-4a5e-8f90-0a1b2c3d4e99",
            roleDefinitionName = "Owner",
            scope = Subscription,
        }, ct);
        await HttpAssert.ErrorBodyAsync(refused, HttpStatusCode.Forbidden, AccessCodes.NoAoboWriteAccess);

        using var file = await PostCsvAsync(client, await File.ReadAllBytesAsync(SamplePath(), ct));
        var body = await HttpAssert.ErrorBodyAsync(file, HttpStatusCode.BadRequest, AccessCodes.FileRefused);
        Assert.All(body.GetProperty("data").EnumerateArray(), p => Assert.Equal(AccessCodes.NoAoboWriteAccess, p.GetProperty("code").GetInt32()));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AccessHistory_CannotBeDeletedOrRewritten_ThroughTheDbContext(string engine)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamAdminAgent); // starts the host, which seeds the demo
        var id = DemoCommerce.TailspinAzureSubscriptionId;

        await using (var db = server.CreateDbContext())
        {
            db.RoleAssignments.Remove(await db.RoleAssignments.SingleAsync(r => r.Id == id, ct));
            await Assert.ThrowsAsync<AccessHistoryViolationException>(() => db.SaveChangesAsync(ct));
        }

        await using (var db = server.CreateDbContext())
        {
            (await db.RoleAssignments.SingleAsync(r => r.Id == id, ct)).Scope = Subscription + "/resourceGroups/rg-other";
            await Assert.ThrowsAsync<AccessHistoryViolationException>(() => db.SaveChangesAsync(ct));
        }

        await using (var db = server.CreateDbContext())
        {
            (await db.RoleAssignments.SingleAsync(r => r.Id == id, ct)).ValidTo = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
            await db.SaveChangesAsync(ct); // the one change allowed: an open record's end, once
        }

        await using (var db = server.CreateDbContext())
        {
            (await db.RoleAssignments.SingleAsync(r => r.Id == id, ct)).ValidTo = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
            await Assert.ThrowsAsync<AccessHistoryViolationException>(() => db.SaveChangesAsync(ct));
        }

        await using (var db = server.CreateDbContext())
        {
            var owner = await db.AccessRoleDefinitions.SingleAsync(r => r.Name == "Reader", ct);
            owner.PecEligible = true;
            await Assert.ThrowsAsync<AccessHistoryViolationException>(() => db.SaveChangesAsync(ct));
        }

        await using (var db = server.CreateDbContext())
        {
            var record = await db.RoleAssignments.SingleAsync(r => r.Id == id, ct);
            Assert.Equal(Subscription, record.Scope);
            Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), record.ValidTo);
            Assert.Equal(BuiltInRoles.All.Count, await db.AccessRoleDefinitions.CountAsync(ct));
        }
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task CustomRole_EarnsPec_OnlyOnceTheOperatorMarksIt(string engine)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await PaygoServer.StartAsync(engine);
        using var operatorClient = server.CreateJsonClient();
        using var partner = server.CreateJsonClient(FabrikamAdminAgent);
        var roleId = Guid.Parse("0d7a1e2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b");
        await HttpAssert.JsonAsync(await operatorClient.PostAsJsonAsync("/v1/access/roleDefinitions", new { id = roleId, name = "Tailspin Operator" }, ct), HttpStatusCode.Created);
        var owner = BuiltInRoles.Owner.Id;
        await HttpAssert.ErrorBodyAsync(await operatorClient.PostAsJsonAsync($"/v1/access/roleDefinitions/{owner}/pecEligibility", new { pecEligible = false }, ct),
            HttpStatusCode.BadRequest, AccessCodes.BuiltInRoleNotMarkable);

        var day = new DateOnly(2026, 11, 5);
        var resource = Subscription + "/resourceGroups/rg-ops/providers/Microsoft.Compute/virtualMachines/vm1";
        var csv = "AssignmentId,Kind,PrincipalType,PrincipalId,PartnerId,RoleDefinitionName,Scope,Start,End\r\n"
            + $"custom-1,allow,user,6a0f4e2b-1c3d-4a5e-8f90-0a1b2c3d4e77,6034453,Tailspin Operator,{Subscription}/resourceGroups/rg-ops,2026-11-01T00:00:00Z,\r\n";
        await HttpAssert.JsonAsync(await PostCsvAsync(partner, Encoding.UTF8.GetBytes(csv)), HttpStatusCode.OK);

        // The user's Partner Admin Link names another partner (6034453): only the custom role can make it count for that partner.
        Assert.False((await DecideAsync(server, "6034453", resource, day)).Earned);
        await HttpAssert.JsonAsync(await operatorClient.PostAsJsonAsync($"/v1/access/roleDefinitions/{roleId}/pecEligibility", new { pecEligible = true }, ct), HttpStatusCode.OK);
        Assert.Equal(PecReason.Earned, (await DecideAsync(server, "6034453", resource, day)).Reason);

        var roles = await HttpAssert.JsonAsync(await partner.GetAsync("/v1/access/roleDefinitions", ct), HttpStatusCode.OK);
        var custom = Assert.Single(roles.GetProperty("items").EnumerateArray(), r => r.GetProperty("isCustom").GetBoolean());
        Assert.True(custom.GetProperty("pecEligible").GetBoolean());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task HistorySource_GivesPecTheImportedHistory_WithItsDenies(string engine)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamAdminAgent);
        await HttpAssert.JsonAsync(await PostCsvAsync(client, await File.ReadAllBytesAsync(SamplePath(), ct)), HttpStatusCode.OK);

        var app = Subscription + "/resourceGroups/RG-APP/providers/Microsoft.Web/sites/shop";
        var legacy = Subscription + "/resourceGroups/rg-legacy/providers/Microsoft.Web/sites/old";
        Assert.Equal(PecReason.Earned, (await DecideAsync(server, "4390934", app, new DateOnly(2026, 11, 21))).Reason);
        Assert.Equal(PecReason.Earned, (await DecideAsync(server, "4390934", legacy, new DateOnly(2026, 11, 19))).Reason);
        Assert.Equal(PecReason.Denied, (await DecideAsync(server, "4390934", legacy, new DateOnly(2026, 11, 20))).Reason);
        Assert.False((await DecideAsync(server, "6034453", app, new DateOnly(2026, 11, 21))).Earned);
    }

    private static async Task<PecDecision> DecideAsync(PaygoServer server, string partnerMpnId, string resource, DateOnly day)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var history = await scope.ServiceProvider.GetRequiredService<IAccessHistorySource>()
            .ForAzureSubscriptionAsync(DemoInstance.DirectBillPartnerId, DemoCommerce.TailspinAzureSubscriptionId, TestContext.Current.CancellationToken);
        return history.IndexFor(DemoCommerce.TailspinAzureSubscriptionId.ToString(), partnerMpnId).Decide(resource, MeterExclusion.None, day);
    }

    private static async Task<HttpResponseMessage> PostCsvAsync(HttpClient client, byte[] csv)
    {
        using var content = new ByteArrayContent(csv);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return await client.PostAsync("/v1/access/assignments", content, TestContext.Current.CancellationToken);
    }

    private static async Task<byte[]> ExportAsync(HttpClient client, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/access/assignments?" + query);
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
    }

    internal static string SamplePath()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Paygo.slnx")))
            {
                return Path.Combine(folder.FullName, "samples", "access", "tailspin-access.csv");
            }
        }

        throw new InvalidOperationException("No Paygo.slnx above the test's folder.");
    }
}
