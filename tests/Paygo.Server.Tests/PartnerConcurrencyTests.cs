using System.Net;
using Paygo.Core.Demo;
using Paygo.Server.Api;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// PROMISES S9: what the per-partner bucket lets through still cannot occupy the whole server;
/// one partner's requests in progress are bounded, and another partner never waits behind them.
/// </summary>
public sealed class PartnerConcurrencyTests
{
    [Fact]
    public async Task APartnerOverItsSlots_Waits_WhileAnotherPartnerEntersAtOnce()
    {
        var gates = new PartnerConcurrency(2);
        var ct = TestContext.Current.CancellationToken;
        using var first = await gates.EnterAsync("tenant:a", ct);
        var second = await gates.EnterAsync("tenant:a", ct);

        var third = gates.EnterAsync("tenant:a", ct).AsTask();
        using var other = await gates.EnterAsync("tenant:b", ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), ct);
        await Task.Delay(50, ct);
        Assert.False(third.IsCompleted, "A third request of the same partner waits for a slot.");

        second.Dispose();
        second.Dispose(); // giving a slot back twice frees it once
        using var entered = await third.WaitAsync(TimeSpan.FromSeconds(5), ct);
        var fourth = gates.EnterAsync("tenant:a", ct).AsTask();
        await Task.Delay(50, ct);
        Assert.False(fourth.IsCompleted, "Still two slots: the double release did not add one.");
    }

    [Theory]
    [InlineData("/v1/customers", false, true)]
    [InlineData("/customers/abc", false, true)]
    [InlineData("/_blazor", true, false)]
    [InlineData("/_blazor", false, false)]
    [InlineData("/_blazor/negotiate", false, false)]
    [InlineData("/anything", true, false)]
    public void TheGate_LeavesOutLongLivedDashboardConnections(string path, bool webSocket, bool gated)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Path = path;
        if (webSocket)
        {
            context.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpWebSocketFeature>(new UpgradeRequest());
        }

        Assert.Equal(gated, PartnerConcurrency.AppliesTo(context));
    }

    private sealed class UpgradeRequest : Microsoft.AspNetCore.Http.Features.IHttpWebSocketFeature
    {
        public bool IsWebSocketRequest => true;

        public Task<System.Net.WebSockets.WebSocket> AcceptAsync(Microsoft.AspNetCore.Http.WebSocketAcceptContext context) => throw new NotSupportedException();
    }

    [Fact]
    public void TheDefault_IsOneSlotPerCore()
    {
        var settings = RateLimitSettings.Read(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        Assert.Equal(Math.Max(2, Environment.ProcessorCount), settings.ConcurrentRequests);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task WithOneSlotPerPartner_ConcurrentRequestsOfAPartner_AreAllServedInTurn(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine, settings: new Dictionary<string, string?>
        {
            ["Paygo:RateLimit:ConcurrentRequests"] = "1",
        });
        using var client = server.CreateJsonClient(TestUsers.ByEmail("globaladmin@fabrikam.example"));
        var path = $"/v1/customers/{DemoCommerce.TailspinCustomerId}";

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.GetAsync(path, TestContext.Current.CancellationToken)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
