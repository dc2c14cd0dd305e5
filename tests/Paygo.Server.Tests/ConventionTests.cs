using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Paygo.Core.Common;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>DOMAIN.md §9 conventions that hold on every route.</summary>
public sealed class ConventionTests
{
    [Theory]
    [InlineData("GET", "/v1/nothing-here", HttpStatusCode.NotFound, ErrorCodes.NotFound)]
    [InlineData("GET", "/definitely/not/a/page", HttpStatusCode.NotFound, ErrorCodes.NotFound)]
    [InlineData("DELETE", "/v1/partners", HttpStatusCode.MethodNotAllowed, ErrorCodes.MethodNotAllowed)]
    [InlineData("PUT", "/v1/partners", HttpStatusCode.MethodNotAllowed, ErrorCodes.MethodNotAllowed)]
    public async Task UnknownRouteOrWrongMethod_GetsTheErrorBodyNeverHtml(string method, string path, HttpStatusCode status, int code)
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateJsonClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), TestContext.Current.CancellationToken);

        await HttpAssert.ErrorBodyAsync(response, status, code);
    }

    [Fact]
    public async Task CorrelationAndRequestIds_AreEchoed()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateJsonClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/partners");
        request.Headers.Add("MS-CorrelationId", "0f7c1e0a-0000-4000-8000-000000000001");
        request.Headers.Add("MS-RequestId", "0f7c1e0a-0000-4000-8000-000000000002");
        request.Headers.Add("X-Locale", "en-US");
        request.Headers.Add("MS-PartnerCenter-Client", "Partner Center .NET SDK");
        request.Headers.Add("MS-SdkVersion", "3.4.0");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0f7c1e0a-0000-4000-8000-000000000001", response.Headers.GetValues("MS-CorrelationId").Single());
        Assert.Equal("0f7c1e0a-0000-4000-8000-000000000002", response.Headers.GetValues("MS-RequestId").Single());
    }

    [Fact]
    public async Task OverTheRateLimit_Gets429WithRetryAfterAndTheErrorBody()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite, settings: new Dictionary<string, string?>
        {
            ["Paygo:RateLimit:PermitsPerSecond"] = "1",
            ["Paygo:RateLimit:Burst"] = "3",
        });
        using var client = server.CreateJsonClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 10 && limited is null; i++)
        {
            var response = await client.GetAsync("/v1/partners", TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.NotNull(limited);
        using (limited)
        {
            Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
            await HttpAssert.ErrorBodyAsync(limited, HttpStatusCode.TooManyRequests, ErrorCodes.TooManyRequests);
        }

        // Health stays answerable for the orchestrator while API callers are limited.
        using var health = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Theory]
    [InlineData("""{"name":"A","partnerType":"direct-bill","mpnId":"5123456","country":"US","extra":{"deep":[1,2,{"x":null}]}}""", HttpStatusCode.Created)]
    [InlineData("""{"name":"\u6771\u4EAC Cloud","partnerType":"direct-bill","mpnId":"5123456","country":"JP"}""", HttpStatusCode.Created)]
    [InlineData("""{"name":"A","partnerType":"direct-bill","mpnId":99999999999999999999999999999,"country":"US"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"name":"A","partnerType":true,"mpnId":"5123456","country":"US"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"name":"A","partnerType":"direct-bill","mpnId":"5123456","country":"US\u0000"}""", HttpStatusCode.BadRequest)]
    [InlineData("{\"name\":\"A\",\"partnerType\":\"direct-bill\",\"mpnId\":\"5123456\",\"country\":\"US", HttpStatusCode.BadRequest)]
    [InlineData("""{"name":"A","partnerType":"direct-bill","mpnId":"１２３４５６７","country":"US"}""", HttpStatusCode.BadRequest)]
    public async Task OddJsonBodies_GetA4xxOrSucceedNeverA500(string json, HttpStatusCode expected)
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite, demo: false);
        using var client = server.CreateJsonClient();

        using var response = await client.PostAsync("/v1/partners", new StringContent(json, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.BadRequest)
        {
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            using var body = JsonDocument.Parse(text);
            Assert.True(body.RootElement.GetProperty("code").GetInt32() > 0);
        }
    }

    [Fact]
    public async Task DeeplyNestedJson_Is400()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite, demo: false);
        using var client = server.CreateJsonClient();
        var json = $$"""{"name":"A","partnerType":"direct-bill","mpnId":"5123456","country":"US","x":{{new string('[', 500)}}{{new string(']', 500)}}}""";

        using var response = await client.PostAsync("/v1/partners", new StringContent(json, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidRequestInput);
    }

    [Theory]
    [InlineData("/v1/partners?size=abc")]
    [InlineData("/v1/partners?size=99999999999")]
    [InlineData("/v1/customers?size=1.5")]
    [InlineData("/v1/auditrecords?size=abc")]
    public async Task ParameterTheFrameworkCannotBind_GetsTheErrorBodyNamingIt(string path)
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateJsonClient();

        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        var body = await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidRequestInput);
        Assert.Contains("size", body.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedJsonBody_IsLoggedAsClientInputNotAsAnError()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite, demo: false);
        using var client = server.CreateJsonClient();
        using var logs = new CapturingLoggerProvider();
        server.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);

        using var response = await client.PostAsync("/v1/partners", new StringContent("{\"name\":", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidRequestInput);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.DoesNotContain(logs.Entries, e => e.Exception is not null);
        Assert.Contains(logs.Entries, e => e.Level is LogLevel.Debug or LogLevel.Information && e.Message.Contains("/v1/partners", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RealServerFailure_IsStillLoggedAsAnError()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite, demo: false);
        using var client = server.CreateJsonClient();
        using var logs = new CapturingLoggerProvider();
        server.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);

        // A table gone under the running server: a real 5xx.
        await using (var db = server.CreateDbContext())
        {
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"Partners\" RENAME TO \"PartnersGone\"", TestContext.Current.CancellationToken);
        }

        using var response = await client.GetAsync("/v1/partners", TestContext.Current.CancellationToken);

        Assert.True((int)response.StatusCode >= 500);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Exception is not null);
    }

    [Theory]
    [InlineData("MS-CorrelationId", "caf\u00e9")]
    [InlineData("MS-CorrelationId", "a\u0001b")]
    [InlineData("MS-RequestId", "caf\u00e9")]
    [InlineData("MS-RequestId", "a\u0001b")]
    public async Task UnprintableCorrelationOrRequestId_IsNotEchoedAndTheRequestIsServed(string header, string value)
    {
        // Kestrel (not the in-memory test server) refuses non-ASCII response headers: a real socket.
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var address = server.StartOnSocket();
        var token = await server.GetTokenAsync();

        var answer = await RawHttpAsync(address, $"GET /v1/partners HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {token}\r\n{header}: {value}\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200 ", answer, StringComparison.Ordinal);
        Assert.DoesNotContain(value, answer, StringComparison.Ordinal);
        if (header == "MS-CorrelationId")
        {
            var echoed = answer.Split("\r\n").Single(l => l.StartsWith("MS-CorrelationId: ", StringComparison.Ordinal));
            Assert.True(Guid.TryParse(echoed["MS-CorrelationId: ".Length..], out _), echoed);
        }
    }

    [Theory]
    [InlineData("431 ", "GET /v1/partners HTTP/1.1\r\nHost: {0}\r\nX-Big: {1}\r\nConnection: close\r\n\r\n")]
    [InlineData("400 ", "GET /v1/part%00ners HTTP/1.1\r\nHost: {0}\r\nConnection: close\r\n\r\n")]
    [InlineData("400 ", "GET /v1/part\u0000ners HTTP/1.1\r\nHost: {0}\r\nConnection: close\r\n\r\n")]
    [InlineData("400 ", "GET /v1/partners HTTP/1.1\r\nHost: caf\u00e9\r\nConnection: close\r\n\r\n")]
    public async Task RefusedByKestrelBeforeTheAppRuns_HasNoBody(string status, string template)
    {
        // Documented in docs/adr/0004: Kestrel answers these itself, with an empty body; the
        // application never sees the request. This test says when that stops being true.
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var address = server.StartOnSocket();

        var answer = await RawHttpAsync(address, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, address.Authority, new string('a', 40_000)));

        Assert.StartsWith("HTTP/1.1 " + status, answer, StringComparison.Ordinal);
        Assert.Contains("Content-Length: 0\r\n", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("MS-CorrelationId", answer, StringComparison.Ordinal);
    }

    private static async Task<string> RawHttpAsync(Uri address, string request)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request), TestContext.Current.CancellationToken);
        using var reader = new StreamReader(stream, Encoding.Latin1);
        return await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
    }
}
