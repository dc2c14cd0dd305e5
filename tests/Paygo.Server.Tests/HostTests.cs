using System.Net;
using System.Text.Json;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>Health, OpenAPI, the API reference, metrics and the dashboard shell.</summary>
public sealed class HostTests
{
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task HealthReady_WithAMigratedDatabase_Is200(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient();

        using var live = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
        using var ready = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var body = await HttpAssert.JsonAsync(ready, HttpStatusCode.OK);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesThePartnerOperations()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateJsonClient();

        using var response = await client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        var document = await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/partners", out var partners));
        Assert.True(partners.TryGetProperty("post", out _));
        Assert.True(partners.TryGetProperty("get", out _));
        Assert.True(paths.TryGetProperty("/v1/partners/{partnerId}", out _));
    }

    [Fact]
    public async Task ApiReferencePage_IsServed()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateClient();

        using var response = await client.GetAsync("/scalar/v1", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AreServedInPrometheusFormat()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite, settings: new Dictionary<string, string?> { ["metrics-token"] = "scrape-secret" });
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "scrape-secret");
        using (await client.GetAsync("/v1/partners", TestContext.Current.CancellationToken))
        {
        }

        // The exporter refreshes its snapshot on a short cache; ask until the HTTP metric shows.
        string text = string.Empty;
        for (var attempt = 0; attempt < 20 && !text.Contains("http_server_request_duration", StringComparison.Ordinal); attempt++)
        {
            using var response = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Contains("http_server_request_duration", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/settings/partners")]
    [InlineData("/customers")]
    [InlineData("/billing")]
    public async Task DashboardPages_WithoutSignIn_RedirectToSignIn(string path)
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateAnonymousClient();

        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInPage_IsServedWithTheShell()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateAnonymousClient();

        var html = await client.GetStringAsync("/signin", TestContext.Current.CancellationToken);

        // The shell (menu) is there; before sign-in it offers only Home (the menu follows the role table).
        Assert.Contains("signin-password", html, StringComparison.Ordinal);
        Assert.Contains("nav-home", html, StringComparison.Ordinal);
        foreach (var area in new[] { "nav-customers", "nav-billing", "nav-pricing", "nav-access", "nav-partners", "nav-users" })
        {
            Assert.DoesNotContain(area, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task HealthBody_IsJson()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateClient();

        var text = await client.GetStringAsync("/health/live", TestContext.Current.CancellationToken);

        using var document = JsonDocument.Parse(text);
        Assert.Equal("Healthy", document.RootElement.GetProperty("status").GetString());
    }
}
