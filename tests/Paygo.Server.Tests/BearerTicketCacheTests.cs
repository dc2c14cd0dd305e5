using System.Net;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Paygo.Core.Common;
using Paygo.Core.Demo;
using Paygo.Server.Identity;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// PROMISES P3 and S6 together: a bearer token is validated once and then answered from
/// <see cref="BearerTicketCache"/> for its remaining life, while every revocation still fails the
/// token's very next request (the revocation check runs on each request, cached or not).
/// </summary>
public sealed class BearerTicketCacheTests
{
    private static readonly DemoUser FabrikamAdmin = TestUsers.ByEmail("globaladmin@fabrikam.example");
    private static readonly DemoUser FabrikamUserAdmin = TestUsers.ByEmail("usermanagementadmin@fabrikam.example");

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ARepeatedToken_IsValidatedOnce_ThenServedFromTheCache(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamAdmin);
        var cache = server.Services.GetRequiredService<BearerTicketCache>();
        var path = $"/v1/customers/{DemoCommerce.TailspinCustomerId}";
        using (var first = await client.GetAsync(path, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var validations = cache.Validations;
        for (var i = 0; i < 5; i++)
        {
            using var again = await client.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        Assert.Equal(validations, cache.Validations);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task DisablingAUser_FailsItsVeryNextRequest_ThoughItsTokenIsCached(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var admin = server.CreateJsonClient(FabrikamAdmin);
        using var target = server.CreateJsonClient(FabrikamUserAdmin);
        var cache = server.Services.GetRequiredService<BearerTicketCache>();
        for (var i = 0; i < 3; i++)
        {
            using var warm = await target.GetAsync("/v1/users", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        using var disabled = await admin.PostAsync($"/v1/users/{FabrikamUserAdmin.Id}/disable", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        var validations = cache.Validations;
        using var refused = await target.GetAsync("/v1/users", TestContext.Current.CancellationToken);

        await HttpAssert.ErrorBodyAsync(refused, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);

        // The refusal came from the revocation check on a principal answered from the cache, not from validating the token again.
        Assert.Equal(validations, cache.Validations);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task RevokingTheTokensEntry_FailsItsVeryNextRequest_ThoughItsTokenIsCached(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamAdmin);
        var path = $"/v1/customers/{DemoCommerce.TailspinCustomerId}";
        for (var i = 0; i < 3; i++)
        {
            using var warm = await client.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        // What refresh-token reuse does to the chain's access tokens: their entries are revoked.
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
            var all = new List<object>();
            await foreach (var token in tokens.ListAsync(cancellationToken: TestContext.Current.CancellationToken))
            {
                all.Add(token);
            }

            foreach (var token in all)
            {
                Assert.True(await tokens.TryRevokeAsync(token, TestContext.Current.CancellationToken));
            }
        }

        using var refused = await client.GetAsync(path, TestContext.Current.CancellationToken);
        await HttpAssert.ErrorBodyAsync(refused, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Fact]
    public void AnEntry_LastsUntilTheTokenExpires_AndNoLonger()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero));
        var cache = new BearerTicketCache(clock);
        cache.Remember("token-a", PrincipalExpiring(clock.Now.AddMinutes(60)));

        clock.Now = clock.Now.AddMinutes(59);
        Assert.True(cache.TryGet("token-a", out var ticket));
        Assert.Equal("user-1", ticket!.Principal.FindFirst(OpenIddictConstants.Claims.Subject)?.Value);
        Assert.False(cache.TryGet("token-b", out _));

        clock.Now = clock.Now.AddMinutes(1);
        Assert.False(cache.TryGet("token-a", out _));
    }

    [Fact]
    public void ATokenWithoutAnExpiry_IsNeverRemembered_AndEachRequestGetsItsOwnCopy()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero));
        var cache = new BearerTicketCache(clock);
        cache.Remember("no-expiry", new ClaimsPrincipal(new ClaimsIdentity([new Claim(OpenIddictConstants.Claims.Subject, "user-1")], "Bearer")));
        Assert.False(cache.TryGet("no-expiry", out _));

        cache.Remember("token-a", PrincipalExpiring(clock.Now.AddMinutes(60)));
        Assert.True(cache.TryGet("token-a", out var first));
        ((ClaimsIdentity)first!.Principal.Identity!).AddClaim(new Claim("added", "by a request"));
        Assert.True(cache.TryGet("token-a", out var second));
        Assert.Null(second!.Principal.FindFirst("added"));
    }

    private static ClaimsPrincipal PrincipalExpiring(DateTimeOffset expires)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(OpenIddictConstants.Claims.Subject, "user-1")], "Bearer"));
        return principal.SetExpirationDate(expires);
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
