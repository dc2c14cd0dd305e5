using System.Net;
using System.Text.Json;

namespace Paygo.Server.Tests;

/// <summary>Assertions on Partner Center's error body.</summary>
internal static class HttpAssert
{
    public static async Task<JsonElement> ErrorBodyAsync(HttpResponseMessage response, HttpStatusCode status, int code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("<html", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(text);
        var body = document.RootElement.Clone();
        Assert.Equal(code, body.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("description").GetString()));
        Assert.Equal(JsonValueKind.Array, body.GetProperty("data").ValueKind);
        Assert.Equal("Paygo", body.GetProperty("source").GetString());
        return body;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"Expected {status}, got {response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Follows a collection page's <c>links.next</c> as a client does (its URI, with its MS-ContinuationToken header); the next page's body.</summary>
    public static async Task<JsonElement> NextPageAsync(HttpClient client, JsonElement page)
    {
        var next = page.GetProperty("links").GetProperty("next");
        using var request = new HttpRequestMessage(HttpMethod.Get, next.GetProperty("uri").GetString());
        foreach (var header in next.GetProperty("headers").EnumerateArray())
        {
            request.Headers.Add(header.GetProperty("key").GetString()!, header.GetProperty("value").GetString());
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return await JsonAsync(response, HttpStatusCode.OK);
    }
}
