using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Testing;
using static Paygo.Server.Tests.CommerceApiTests;

namespace Paygo.Server.Tests;

/// <summary>
/// Every idempotent create, retried with its <c>MS-RequestId</c>, answers byte for byte what it
/// answered first (PROMISES M2). Core gives the server a typed resource, stored as JSON and read
/// back on a replay (docs/adr/0019); these tests hold the server's serialisation of the replayed
/// resource to the first answer's bytes, status, Location and content type, and to the stored text.
/// </summary>
public sealed class CreateReplayTests
{
    private static readonly DemoUser FabrikamSales = TestUsers.WithRole(DemoInstance.DirectBillPartnerId, PartnerRole.SalesAgent)!;
    private static readonly DemoUser FabrikamAdmin = TestUsers.ByEmail("globaladmin@fabrikam.example");

    private sealed record Answer(HttpStatusCode Status, string? ContentType, string? Location, byte[] Body)
    {
        public string Text => Encoding.UTF8.GetString(Body);
    }

    private static async Task<Answer> PostAsync(HttpClient client, string path, string? json, string requestId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = json is null ? null : Json(json) };
        request.Headers.Add("MS-RequestId", requestId);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.ToString(), response.Headers.Location?.OriginalString,
            await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>Posts twice with one request id; both answers must be the same 201, and the one stored.</summary>
    private static async Task<Answer> AssertReplayIdenticalAsync(PaygoServer server, HttpClient client, string path, string? json)
    {
        var requestId = Guid.NewGuid().ToString();
        var first = await PostAsync(client, path, json, requestId);
        var replay = await PostAsync(client, path, json, requestId);

        Assert.True(first.Status == HttpStatusCode.Created, $"{path}: {(int)first.Status} {first.Text}");
        Assert.Equal(first.Status, replay.Status);
        Assert.Equal(first.ContentType, replay.ContentType);
        Assert.Equal(first.Location, replay.Location);
        Assert.Equal(first.Body, replay.Body);
        Assert.NotNull(first.Location);

        await using var db = server.CreateDbContext();
        var stored = await db.IdempotencyRecords.AsNoTracking().SingleAsync(r => r.RequestId == requestId, TestContext.Current.CancellationToken);
        Assert.Equal(stored.ResponseBody, first.Text);
        Assert.Equal(stored.Location, first.Location);
        return first;
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task EveryCreate_ReplayedWithItsRequestId_AnswersTheFirstAnswersBytes(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var operatorClient = server.CreateJsonClient();
        using var sales = server.CreateJsonClient(FabrikamSales);
        using var admin = server.CreateJsonClient(FabrikamAdmin);
        var ct = TestContext.Current.CancellationToken;

        await AssertReplayIdenticalAsync(server, operatorClient, "/v1/partners",
            """{"name":"Tailspin Ünïcode & <Toys>","partnerType":"direct-bill","mpnId":"5123499","country":"FR"}""");

        var customer = await AssertReplayIdenticalAsync(server, sales, "/v1/customers", CustomerBody("Wide World Importers", "wideworldimporters"));
        var customerId = System.Text.Json.JsonDocument.Parse(customer.Body).RootElement.GetProperty("id").GetString();

        await AssertReplayIdenticalAsync(server, sales, $"/v1/customers/{customerId}/agreements", McaBody());

        var cart = await AssertReplayIdenticalAsync(server, sales, $"/v1/customers/{customerId}/carts", CartBody());
        var cartId = System.Text.Json.JsonDocument.Parse(cart.Body).RootElement.GetProperty("id").GetString();

        await AssertReplayIdenticalAsync(server, sales, $"/v1/customers/{customerId}/carts/{cartId}/checkout", null);

        await AssertReplayIdenticalAsync(server, admin, "/v1/users",
            """{"email":"replay@fabrikam.example","displayName":"Replay Agent","roles":["Admin agent"],"password":"a long and unusual passphrase"}""");

        // Each create happened once: the replays created nothing.
        await using var db = server.CreateDbContext();
        Assert.Equal(1, await db.Partners.CountAsync(p => p.MpnId == "5123499", ct));
        Assert.Equal(1, await db.Orders.CountAsync(o => o.CustomerId == Guid.Parse(customerId!), ct));
        Assert.Equal(1, await db.Users.CountAsync(u => u.Email == "replay@fabrikam.example", ct));
    }
}
