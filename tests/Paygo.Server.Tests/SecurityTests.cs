using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Paygo.Core.Common;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>PROMISES S1, S3 and S6 over HTTP: every endpoint declares a policy, roles mean what the matrix says, revocation is immediate.</summary>
public sealed class SecurityTests
{
    // Routes that answer without a token: health, metrics, the API description, the token endpoint and the sign-in pages.
    private static readonly HashSet<string> AnonymousAllowList = new(StringComparer.Ordinal)
    {
        "/health/live", "/health/ready", "/metrics", "/openapi/{documentName}.json", "/scalar/{documentName?}",
        "/connect/token", "/connect/authorize", "/connect/verify", "/signin", "/signin/code", "/signin/enrol", "/signout", "/enrol",
    };

    [Fact]
    public async Task EveryEndpoint_DeclaresAPolicyOrIsOnTheAnonymousAllowList()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var undeclared = new List<string>();

        foreach (var endpoint in ApiRouteTable.Endpoints(server))
        {
            var route = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var staticAsset = route.StartsWith("/_content/", StringComparison.Ordinal) || route.StartsWith("/_framework/", StringComparison.Ordinal) || Path.HasExtension(route) || route.Contains(":file}", StringComparison.Ordinal);
            if (staticAsset)
            {
                continue; // files of the dashboard (CSS, scripts), public by nature
            }

            if (anonymous)
            {
                if (!AnonymousAllowList.Contains(route))
                {
                    undeclared.Add($"{route} is anonymous but not on the allow-list");
                }
            }
            else if (!policies.Any(p => p is not null && (p.StartsWith("paygo:", StringComparison.Ordinal) || p.StartsWith("dashboard", StringComparison.Ordinal))))
            {
                undeclared.Add($"{route} declares no Paygo policy");
            }
        }

        Assert.Empty(undeclared);
    }

    [Fact]
    public async Task EveryApiEndpoint_WithoutATokenOrWithABadOne_Is401WithTheErrorBody()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateAnonymousClient();

        foreach (var (method, path, _) in ApiRoutes(server))
        {
            foreach (var token in new string?[] { null, "not-a-token", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0." })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonBody() };
                if (token is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }

                using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
                await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
                Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task EveryApiEndpoint_ForEveryDemoUser_FollowsTheRoleMatrix()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var routes = ApiRoutes(server);
        Assert.NotEmpty(routes);

        foreach (var user in DemoUsers.All)
        {
            using var client = server.CreateJsonClient(user);
            foreach (var (method, path, operation) in routes)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonBody() };
                using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
                var allowed = PermissionMatrix.AllowsUser(operation, user.PartnerId is null, user.Roles);

                // A business rule may still refuse an allowed role (an indirect reseller buying); only the matrix's own 403 counts here.
                var refusedByMatrix = response.StatusCode == HttpStatusCode.Forbidden
                    && (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Contains($"\"code\":{ErrorCodes.Forbidden}", StringComparison.Ordinal);
                Assert.True(
                    allowed ? !refusedByMatrix : refusedByMatrix,
                    $"{user.Email} ({string.Join(", ", user.Roles)}) on {method} {path}: {response.StatusCode}, matrix says {(allowed ? "allowed" : "forbidden")}");
            }
        }
    }

    [Fact]
    public async Task DisablingAUser_FailsItsVeryNextRequest()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateJsonClient();
        using (var before = await client.GetAsync("/v1/partners", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await using (var db = server.CreateDbContext())
        {
            await db.Users.Where(u => u.Email == TestUsers.OperatorAdmin.Email)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.IsDisabled, true), TestContext.Current.CancellationToken);
        }

        using var after = await client.GetAsync("/v1/partners", TestContext.Current.CancellationToken);
        await HttpAssert.ErrorBodyAsync(after, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task ResettingTheSecurityStamp_FailsTheOldTokensNextRequest()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateJsonClient();

        await using (var db = server.CreateDbContext())
        {
            await db.Users.Where(u => u.Email == TestUsers.OperatorAdmin.Email)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.SecurityStamp, "reset"), TestContext.Current.CancellationToken);
        }

        using var after = await client.GetAsync("/v1/partners", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task RevokingAnAppCredential_FailsItsVeryNextRequest()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateAnonymousClient();
        using var tokenResponse = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = DemoUsers.AppClientId,
            ["client_secret"] = DemoUsers.AppClientSecret,
            ["scope"] = AppScopes.UsageWrite,
        }), TestContext.Current.CancellationToken);
        var token = (await HttpAssert.JsonAsync(tokenResponse, HttpStatusCode.OK)).GetProperty("access_token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        // App-only tokens may not manage partners: forbidden, but authenticated.
        using (var before = await client.GetAsync("/v1/partners", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        }

        await using (var scope = server.Services.CreateAsyncScope())
        {
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var application = await applications.FindByClientIdAsync(DemoUsers.AppClientId, TestContext.Current.CancellationToken);
            await applications.DeleteAsync(application!, TestContext.Current.CancellationToken);
        }

        using var after = await client.GetAsync("/v1/partners", TestContext.Current.CancellationToken);
        await HttpAssert.ErrorBodyAsync(after, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    private static StringContent JsonBody() => new("{}", Encoding.UTF8, "application/json");

    private static readonly string FillGuid = Guid.NewGuid().ToString();

    /// <summary>Every /v1 route and method with its route values filled with a fresh GUID, and the operation it declares.</summary>
    private static List<(string Method, string Path, ApiOperation Operation)> ApiRoutes(PaygoServer server) =>
        [.. ApiRouteTable.ApiRoutes(server).Select(r => (r.Method, Fill(r.Pattern), OperationOf(r.Endpoint)))];

    private static ApiOperation OperationOf(RouteEndpoint endpoint)
    {
        var policy = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).Single(p => p!.StartsWith("paygo:", StringComparison.Ordinal))!;
        return Enum.Parse<ApiOperation>(policy["paygo:".Length..]);
    }

    private static string Fill(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, "\\{[^}]+\\}", FillGuid);
}
