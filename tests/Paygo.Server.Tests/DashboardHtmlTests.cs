using System.Net;
using System.Net.Http.Headers;
using Paygo.Core.Common;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// The dashboard's server-rendered HTML where no browser is needed: a browser's unknown address
/// gets a page in the dashboard's look (API paths keep the JSON error body), and every page
/// links the favicon.
/// </summary>
public sealed class DashboardHtmlTests
{
    private static HttpRequestMessage BrowserGet(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        return request;
    }

    [Theory]
    [InlineData("/definitely/not/a/page")]
    [InlineData("/settings/nothing")]
    public async Task UnknownAddress_FromABrowser_IsThePageNotFoundPage(string path)
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateClient(new() { AllowAutoRedirect = false });

        using var response = await client.SendAsync(BrowserGet(path), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Page not found", html, StringComparison.Ordinal);
        Assert.Contains("class=\"paygo-shell\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"not-found\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\"source\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/nothing-here")]
    [InlineData("/connect/nothing-here")]
    [InlineData("/health/nothing-here")]
    public async Task UnknownApiAddress_FromABrowser_KeepsTheJsonErrorBody(string path)
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateClient(new() { AllowAutoRedirect = false });

        using var response = await client.SendAsync(BrowserGet(path), TestContext.Current.CancellationToken);

        await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task UnknownAddress_AskedForJson_KeepsTheJsonErrorBody()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateClient(new() { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/definitely/not/a/page");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Pages_LinkTheFavicon_WhichIsServed()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateClient(new() { AllowAutoRedirect = false });

        using var page = await client.SendAsync(BrowserGet("/signin"), TestContext.Current.CancellationToken);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var link = System.Text.RegularExpressions.Regex.Match(html, "<link rel=\"icon\"[^>]*href=\"([^\"]+)\"");
        Assert.True(link.Success, "The page has no <link rel=\"icon\">: " + html[..Math.Min(html.Length, 1500)]);

        using var icon = await client.GetAsync(new Uri(link.Groups[1].Value, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);
    }
}
