using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// The demo app credential plays the access source of DOMAIN.md §4 (issue 11 point 2): with the
/// scope <c>access.write</c> it posts the access CSV in bulk, on any subscription (docs/adr/0027, 0038).
/// </summary>
public sealed class DemoAccessFeedTests
{
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task DemoApp_WithAccessWrite_ImportsTheAccessCsv(string engine)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(client, AppScopes.AccessWrite, ct));

        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(AccessApiTests.SamplePath(), ct));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var imported = await HttpAssert.JsonAsync(await client.PostAsync("/v1/access/assignments", content, ct), HttpStatusCode.OK);
        Assert.Equal(5, imported.GetProperty("rows").GetInt32());
        Assert.Equal(4, imported.GetProperty("recorded").GetInt32());

        await using var db = server.CreateDbContext();
        var recorded = await db.RoleAssignments.AsNoTracking().Where(r => r.ExternalId != null).ToListAsync(ct);
        Assert.Equal(4, recorded.Count);
        Assert.All(recorded, r => Assert.Equal("import", r.Source)); // the source's records, not a partner's rbac writes
        Assert.All(recorded, r => Assert.Equal(DemoUsers.AppClientId, r.RecordedBy));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task DemoApp_WithUsageWriteOnly_IsRefusedTheAccessCsv(string engine)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(client, AppScopes.UsageWrite, ct));

        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(AccessApiTests.SamplePath(), ct));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var response = await client.PostAsync("/v1/access/assignments", content, ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static async Task<string> TokenAsync(HttpClient anonymous, string scope, CancellationToken ct)
    {
        using var response = await anonymous.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = DemoUsers.AppClientId,
            ["client_secret"] = DemoUsers.AppClientSecret,
            ["scope"] = scope,
        }), ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, $"the demo app was refused scope {scope}: {text}");
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }
}
