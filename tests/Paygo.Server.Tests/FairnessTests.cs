using System.Net;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Common;
using Paygo.Core.Demo;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// PROMISES S9 and S6 together: a request over its partner's limit is refused before any database
/// work, and the cache that makes served requests cheap never delays a revocation.
/// </summary>
public sealed class FairnessTests
{
    private static readonly DemoUser FabrikamAdmin = TestUsers.ByEmail("globaladmin@fabrikam.example");
    private static readonly DemoUser FabrikamUserAdmin = TestUsers.ByEmail("usermanagementadmin@fabrikam.example");

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task RequestOverThePartnersLimit_IsRefusedWithoutADatabaseCommand(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine, settings: new Dictionary<string, string?>
        {
            ["Paygo:RateLimit:PermitsPerSecond"] = "1",
            ["Paygo:RateLimit:Burst"] = "1",
        });
        using var client = server.CreateJsonClient(FabrikamAdmin);
        using var commands = new CommandCounter(server.Database);
        var path = $"/v1/customers/{DemoCommerce.TailspinCustomerId}";

        var refused = 0;
        for (var i = 0; i < 6; i++)
        {
            var before = commands.Count;
            using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused++;
                Assert.True(response.Headers.RetryAfter is not null, "A 429 names when to retry.");
                await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.TooManyRequests, ErrorCodes.TooManyRequests);
                Assert.Equal(before, commands.Count);
            }
        }

        Assert.True(refused >= 4, $"{refused} of 6 requests were refused; the bucket holds one request a second.");
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task DisablingAUserThroughTheApi_FailsItsVeryNextRequest_DespiteTheCache(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var admin = server.CreateJsonClient(FabrikamAdmin);
        using var target = server.CreateJsonClient(FabrikamUserAdmin);
        for (var i = 0; i < 3; i++)
        {
            using var warm = await target.GetAsync("/v1/users", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        using var disabled = await admin.PostAsync($"/v1/users/{FabrikamUserAdmin.Id}/disable", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        using var refused = await target.GetAsync("/v1/users", TestContext.Current.CancellationToken);

        await HttpAssert.ErrorBodyAsync(refused, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        using var stillServed = await admin.GetAsync("/v1/users", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, stillServed.StatusCode);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task DisablingAUserByABulkUpdateInTheSameProcess_FailsItsVeryNextRequest_DespiteTheCache(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var target = server.CreateJsonClient(FabrikamUserAdmin);
        for (var i = 0; i < 3; i++)
        {
            using var warm = await target.GetAsync("/v1/users", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        await using (var db = server.CreateDbContext())
        {
            await db.Users.Where(u => u.Id == FabrikamUserAdmin.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.IsDisabled, true), TestContext.Current.CancellationToken);
        }

        using var refused = await target.GetAsync("/v1/users", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
