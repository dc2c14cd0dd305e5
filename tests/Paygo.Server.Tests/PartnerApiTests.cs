using System.Net;
using System.Net.Http.Json;
using System.Text;
using Paygo.Core.Common;
using Paygo.Core.Demo;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>The partners API over HTTP with Partner Center's JSON, on both engines.</summary>
public sealed class PartnerApiTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Post_ValidPartner_Is201WithLocationAndGetReturnsIt(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient();

        using var created = await client.PostAsync("/v1/partners", Json("""{"name":"Tailspin Toys SAS","partnerType":"direct-bill","mpnId":"5123456","country":"FR"}"""), TestContext.Current.CancellationToken);
        var partner = await HttpAssert.JsonAsync(created, HttpStatusCode.Created);

        Assert.Equal("EUR", partner.GetProperty("billingCurrency").GetString());
        Assert.Equal("Partner", partner.GetProperty("attributes").GetProperty("objectType").GetString());
        var id = partner.GetProperty("id").GetString();
        Assert.Equal($"/v1/partners/{id}", created.Headers.Location?.OriginalString);

        using var fetched = await client.GetAsync(created.Headers.Location, TestContext.Current.CancellationToken);
        var again = await HttpAssert.JsonAsync(fetched, HttpStatusCode.OK);
        Assert.Equal("Tailspin Toys SAS", again.GetProperty("name").GetString());
        Assert.EndsWith("Z", again.GetProperty("createdDate").GetString(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Post_SdkStyleBody_IsAccepted(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient();

        // PascalCase, explicit nulls, snake_case enum, an Attributes object: what the .NET SDK sends.
        using var response = await client.PostAsync("/v1/partners", Json("""
            {"Name":"Wingtip GmbH","PartnerType":"indirect_provider","MpnId":"5123457","Country":"de",
             "TenantId":null,"BillingCurrency":null,"Attributes":{"ObjectType":"Partner"}}
            """), TestContext.Current.CancellationToken);

        var partner = await HttpAssert.JsonAsync(response, HttpStatusCode.Created);
        Assert.Equal("indirect-provider", partner.GetProperty("partnerType").GetString());
        Assert.Equal("DE", partner.GetProperty("country").GetString());
    }

    [Fact]
    public async Task Post_MalformedJson_Is400NamingTheProblem()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateJsonClient();

        using var response = await client.PostAsync("/v1/partners", Json("""{"name": "Tailspin", "country": }"""), TestContext.Current.CancellationToken);

        var body = await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidRequestInput);
        var description = body.GetProperty("description").GetString()!;
        Assert.Contains("not valid JSON", description, StringComparison.Ordinal);
        Assert.Contains("country", description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name": 12, "partnerType":"direct-bill","mpnId":"5123456","country":"FR"}""", "name")]
    [InlineData("""[1,2,3]""", "the body")]
    [InlineData("""{"name":"A"} trailing""", "the body")]
    [InlineData("\"just a string\"", "the body")]
    public async Task Post_WrongJsonShape_Is400NamingWhere(string json, string where)
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateJsonClient();

        using var response = await client.PostAsync("/v1/partners", Json(json), TestContext.Current.CancellationToken);

        var body = await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidRequestInput);
        Assert.Contains(where, body.GetProperty("description").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_EmptyBody_Is400()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateJsonClient();

        using var response = await client.PostAsync("/v1/partners", Json(string.Empty), TestContext.Current.CancellationToken);

        await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidRequestInput);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Post_InvalidCountry_Is400NamingTheFieldAndStoresNothing(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine, demo: false);
        using var client = server.CreateJsonClient();

        using var response = await client.PostAsync("/v1/partners", Json("""{"name":"A","partnerType":"direct-bill","mpnId":"5123456","country":"XX"}"""), TestContext.Current.CancellationToken);

        var body = await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        Assert.Equal("country", body.GetProperty("data")[0].GetProperty("field").GetString());
        Assert.Contains("'country'", body.GetProperty("description").GetString()!, StringComparison.Ordinal);
        await using var db = server.CreateDbContext();
        Assert.Empty(db.Partners);
    }

    [Fact]
    public async Task Post_WithoutJsonContentType_Is415()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateJsonClient();

        using var response = await client.PostAsync("/v1/partners", new StringContent("name=A", Encoding.UTF8, "text/plain"), TestContext.Current.CancellationToken);

        await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.UnsupportedMediaType, ErrorCodes.UnsupportedMediaType);
    }

    [Fact]
    public async Task Post_ContentTypeWithoutCharset_IsAccepted()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateJsonClient();
        var content = new ByteArrayContent("""{"name":"A","partnerType":"direct-bill","mpnId":"5123456","country":"US"}"""u8.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync("/v1/partners", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Post_OversizedBody_Is413AndStoresNothing()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite, demo: false, new Dictionary<string, string?> { ["Paygo:MaxRequestBodyBytes"] = "4096" });
        using var client = server.CreateJsonClient();
        var name = new string('a', 10 * 1024 * 1024);

        using var response = await client.PostAsync("/v1/partners", Json($$"""{"name":"{{name}}","partnerType":"direct-bill","mpnId":"5123456","country":"US"}"""), TestContext.Current.CancellationToken);

        await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
        await using var db = server.CreateDbContext();
        Assert.Empty(db.Partners);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Post_RetriedWithSameRequestId_ReplaysTheSameResponse(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine, demo: false);
        using var client = server.CreateJsonClient();
        const string body = """{"name":"Tailspin","partnerType":"direct-bill","mpnId":"5123456","country":"FR"}""";

        async Task<(HttpStatusCode Status, string Body, string? Location)> PostAsync(string json)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/partners") { Content = Json(json) };
            request.Headers.Add("MS-RequestId", "7c9e6679-7425-40de-944b-e07fc1f90ae7");
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Headers.Location?.OriginalString);
        }

        var first = await PostAsync(body);
        var second = await PostAsync(body);
        var other = await PostAsync(body.Replace("5123456", "5999999", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(first, second);
        Assert.Equal(HttpStatusCode.Conflict, other.Status);
        Assert.Contains(ErrorCodes.RequestIdReused.ToString(System.Globalization.CultureInfo.InvariantCulture), other.Body, StringComparison.Ordinal);
        await using var db = server.CreateDbContext();
        Assert.Single(db.Partners);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task List_SeekPagingWithContinuationHeader_ServesEveryPartnerOnce(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient();
        for (var i = 0; i < 4; i++)
        {
            using var created = await client.PostAsJsonAsync("/v1/partners", new { name = $"Partner {i}", partnerType = "indirect-reseller", mpnId = $"700000{i}", country = "US" }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var ids = new List<string>();
        var uri = "/v1/partners?size=2";
        string? token = null;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (token is not null)
            {
                request.Headers.Add("MS-ContinuationToken", token);
            }

            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            var page = await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
            Assert.Equal("Collection", page.GetProperty("attributes").GetProperty("objectType").GetString());
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetString()!));
            if (!page.GetProperty("links").TryGetProperty("next", out var next))
            {
                break;
            }

            uri = next.GetProperty("uri").GetString()!;
            token = next.GetProperty("headers")[0].GetProperty("value").GetString();
        }

        Assert.Equal(7, ids.Count); // three demo partners and four new ones
        Assert.Equal(7, ids.Distinct().Count());
    }

    [Fact]
    public async Task List_BadSize_Is400NamingSize()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateJsonClient();

        using var response = await client.GetAsync("/v1/partners?size=0", TestContext.Current.CancellationToken);

        var body = await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        Assert.Equal("size", body.GetProperty("data")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task List_NonNumericSize_Is400()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateJsonClient();

        using var response = await client.GetAsync("/v1/partners?size=lots", TestContext.Current.CancellationToken);

        await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidRequestInput);
    }

    [Fact]
    public async Task Get_UnknownPartner_Is404AndNonGuidIs400()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateJsonClient();

        using var missing = await client.GetAsync($"/v1/partners/{Guid.NewGuid()}", TestContext.Current.CancellationToken);
        using var malformed = await client.GetAsync("/v1/partners/not-a-guid", TestContext.Current.CancellationToken);

        await HttpAssert.ErrorBodyAsync(missing, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await HttpAssert.ErrorBodyAsync(malformed, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
    }

    [Fact]
    public async Task Get_DemoPartner_IsThereOnFirstStart()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = server.CreateJsonClient();

        using var response = await client.GetAsync($"/v1/partners/{DemoInstance.DirectBillPartnerId}", TestContext.Current.CancellationToken);

        var partner = await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("direct-bill", partner.GetProperty("partnerType").GetString());
        Assert.Equal("GBP", partner.GetProperty("billingCurrency").GetString());
    }
}
