using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// The browser-facing hardening of docs/adr/0014: headers on every response, HSTS and Secure
/// cookies on https, <c>/metrics</c> only with the scrape token, and PKCE with S256 only.
/// </summary>
public sealed class SecurityHeadersTests
{
    [Theory]
    [InlineData("/signin")]
    [InlineData("/signout")]
    [InlineData("/v1/partners")]
    [InlineData("/health/live")]
    [InlineData("/no-such-page")]
    [InlineData("/scalar/v1")]
    public async Task EveryResponse_CarriesCspNosniffAndReferrerPolicy(string path)
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateAnonymousClient();

        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        var scripts = csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));
        // Paygo's own files only; the API reference's one inline starter script is named by its hash.
        Assert.All(scripts.Split(' ').Skip(1), source => Assert.True(source == "'self'" || (path.StartsWith("/scalar", StringComparison.Ordinal) && source.StartsWith("'sha256-", StringComparison.Ordinal)), source));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS over plain http means nothing and must not be sent.");
    }

    [Fact]
    public async Task Https_SendsHstsAndSecureCookies()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://paygo.example") });

        using var response = await client.GetAsync("/signin", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000", Header(response, "Strict-Transport-Security"));
        var antiforgery = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.Contains("secure", antiforgery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Metrics_AreOffByDefault()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateClient();

        using var response = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("http_server_request_duration", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    public async Task Metrics_WithoutTheScrapeToken_Are401(string? token)
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite, settings: new Dictionary<string, string?> { ["metrics-token"] = "scrape-secret" });
        using var client = server.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);

        await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.Unauthorized, 990401);
    }

    [Fact]
    public async Task Authorize_WithPkcePlain_IsRefused()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateAnonymousClient();

        using var plain = await client.GetAsync(AuthorizeUrl("plain", "verifier-in-the-clear-0123456789012345678901234"), TestContext.Current.CancellationToken);
        using var s256 = await client.GetAsync(AuthorizeUrl("S256", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"), TestContext.Current.CancellationToken);

        // Refused before anyone signs in: an error back to the client, never the sign-in page.
        var refusal = plain.Headers.Location?.ToString() ?? await plain.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("/signin", refusal, StringComparison.Ordinal);
        Assert.Contains("invalid_request", refusal, StringComparison.Ordinal);
        Assert.Contains("/signin", s256.Headers.Location?.ToString(), StringComparison.Ordinal);

        using var discovery = await client.GetAsync("/.well-known/openid-configuration", TestContext.Current.CancellationToken);
        var methods = (await HttpAssert.JsonAsync(discovery, HttpStatusCode.OK)).GetProperty("code_challenge_methods_supported");
        Assert.Equal(["S256"], methods.EnumerateArray().Select(m => m.GetString()));
    }

    private static string AuthorizeUrl(string method, string challenge) =>
        "/connect/authorize?client_id=paygo-cli&response_type=code&scope=offline_access&state=s1"
        + "&redirect_uri=" + Uri.EscapeDataString("http://127.0.0.1:49152/callback")
        + "&code_challenge=" + challenge + "&code_challenge_method=" + method;

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{name} is missing on {response.RequestMessage?.RequestUri} ({response.StatusCode}).");
}
