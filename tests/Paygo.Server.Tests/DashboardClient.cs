using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Paygo.Core.Demo;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// A browser without JavaScript against the in-memory server: it keeps its own cookies (so a test
/// can copy and replay them), follows redirects itself, and fills the dashboard's sign-in forms
/// (Blazor SSR forms: <c>_handler</c>, the antiforgery token, the fields' names).
/// </summary>
internal sealed partial class DashboardClient(PaygoServer server) : IDisposable
{
    private readonly HttpClient _http = server.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

    /// <summary>Signs in with the password and the current code; ends on the page after sign-in.</summary>
    public async Task SignInAsync(DemoUser user, string returnUrl = "/")
    {
        var page = await GetAsync($"/signin?returnUrl={Uri.EscapeDataString(returnUrl)}");
        var (codePage, _) = await PostFormAsync(page.Url, new()
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = AntiforgeryToken(page.Html),
            ["Input.Email"] = user.Email,
            ["Input.Password"] = DemoUsers.Password,
        });
        Assert.Contains("/signin/code", codePage.Url, StringComparison.Ordinal);
        var (_, last) = await PostFormAsync(codePage.Url, new()
        {
            ["_handler"] = "signin-code",
            ["__RequestVerificationToken"] = AntiforgeryToken(codePage.Html),
            ["Input.Code"] = TestUsers.Code(user),
        });
        Assert.True(Cookies.ContainsKey("paygo.session"), $"No session after the code step: {last.StatusCode} {last.Url}");
    }

    /// <summary>GET, following redirects within the server; the last page.</summary>
    public async Task<Page> GetAsync(string url, int redirects = 10)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var response = await SendAsync(request);
        if (IsRedirect(response) && redirects > 0 && IsLocal(response.Headers.Location!))
        {
            return await GetAsync(response.Headers.Location!.ToString(), redirects - 1);
        }

        return new Page(url, response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Headers.Location);
    }

    /// <summary>POSTs a form; the page its redirects lead to, and the POST's own response.</summary>
    public async Task<(Page Page, Page Response)> PostFormAsync(string url, Dictionary<string, string> fields, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await SendAsync(request);
        var posted = new Page(url, response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Headers.Location);
        return IsRedirect(response) && IsLocal(response.Headers.Location!)
            ? (await GetAsync(response.Headers.Location!.ToString()), posted)
            : (posted, posted);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var header in setCookies)
            {
                var pair = header.Split(';', 2)[0].Split('=', 2);
                if (pair[1].Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    Cookies.Remove(pair[0]);
                }
                else
                {
                    Cookies[pair[0]] = pair[1];
                }
            }
        }

        return response;
    }

    /// <summary>The antiforgery token of the (first) form on a page.</summary>
    public static string AntiforgeryToken(string html)
    {
        var match = AntiforgeryInput().Match(html);
        Assert.True(match.Success, "The page has no antiforgery token.");
        return WebUtility.HtmlDecode(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value);
    }

    /// <summary>Asks for a device code as <c>paygo login --device</c> does.</summary>
    public static async Task<(string DeviceCode, string UserCode)> StartDeviceFlowAsync(PaygoServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var client = server.CreateAnonymousClient();
        using var response = await client.PostAsync("/connect/device", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = "paygo-cli",
            ["scope"] = "offline_access",
        }), TestContext.Current.CancellationToken);
        var json = await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
        return (json.GetProperty("device_code").GetString()!, json.GetProperty("user_code").GetString()!);
    }

    /// <summary>The token endpoint's answer to one poll of the device code: an access token, or the OAuth error.</summary>
    public static async Task<(string? AccessToken, string? Error)> PollDeviceAsync(PaygoServer server, string deviceCode)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var client = server.CreateAnonymousClient();
        using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
            ["client_id"] = "paygo-cli",
            ["device_code"] = deviceCode,
        }), TestContext.Current.CancellationToken);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return (json.RootElement.TryGetProperty("access_token", out var token) ? token.GetString() : null,
            json.RootElement.TryGetProperty("error", out var error) ? error.GetString() : null);
    }

    public void Dispose() => _http.Dispose();

    private static bool IsRedirect(HttpResponseMessage response) => (int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is not null;

    private static bool IsLocal(Uri location) => !location.IsAbsoluteUri || location.Host is "localhost";

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"__RequestVerificationToken\"")]
    private static partial Regex AntiforgeryInput();

    public sealed record Page(string Url, HttpStatusCode StatusCode, string Html, Uri? Location);
}
