using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.AzurePlans;
using Paygo.Core.Common;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Core.Usage;
using Paygo.Testing;
using static Paygo.Testing.UsageTestData;

namespace Paygo.Server.Tests;

/// <summary>
/// <c>POST /v1/usage</c> (DOMAIN.md §7): per-record results in the three forms, idempotency on the
/// record id per partner, every rejection reason with its code and field, who may post (S2), and
/// the size limits.
/// </summary>
public sealed class UsageApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> PostJsonAsync(HttpClient client, object records)
    {
        using var response = await client.PostAsJsonAsync("/v1/usage", records, Ct);
        return await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
    }

    private static async Task<JsonElement> PostTextAsync(HttpClient client, string body, string contentType, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using var response = await client.PostAsync("/v1/usage", content, Ct);
        return await HttpAssert.JsonAsync(response, expected);
    }

    private static List<(string Status, int? Code, string? Field)> Outcomes(JsonElement result) =>
        [.. result.GetProperty("items").EnumerateArray().Select(i => (
            i.GetProperty("status").GetString()!,
            i.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : (int?)null,
            i.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null))];

    private static async Task<Guid> AddEntitlementAsync(PaygoServer server, string status, DateTimeOffset? cancelledAt)
    {
        var id = Guid.NewGuid();
        await using var db = server.CreateDbContext();
        db.AzureEntitlements.Add(new AzureEntitlement
        {
            Id = id,
            PartnerId = DemoInstance.DirectBillPartnerId,
            CustomerId = DemoCommerce.TailspinCustomerId,
            SubscriptionId = DemoCommerce.TailspinPlanId,
            FriendlyName = "cancelled",
            Status = status,
            CancelledAt = cancelledAt,
            CreatedAt = DateTimeOffset.UnixEpoch,
        });
        await db.SaveChangesAsync(Ct);
        return id;
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task JsonBatch_FromTheUsageFeed_AnswersEveryRejectionReason_AndStoresOnlyTheGoodRecords(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        await SeedDemoPricesAsync(server.Database);
        var cancelled = await AddEntitlementAsync(server, "inactive", DateTimeOffset.UtcNow.AddDays(-2));
        var inactive = await AddEntitlementAsync(server, "inactive", null);
        using var client = await UsageFeedClientAsync(server, Ct);
        var litware = DemoCommerce.LitwareAzureSubscriptionId;

        var records = new object[]
        {
            Record("good-1"),
            Record("good-2", litware, Today.AddDays(-90), 0m),
            Record("good-3", cancelled, Today.AddDays(-2)),
            Record("negative", quantity: -1m),
            Record("nineteen-digits", quantity: 1234567890.123456789m),
            Record("not-a-number", quantity: "lots"),
            Record("future", day: Today.AddDays(1)),
            Record("too-old", day: Today.AddDays(-91)),
            Record("unknown-subscription", Guid.NewGuid()),
            Record("after-cancellation", cancelled, Today),
            Record("inactive", inactive),
            Record("other-subscriptions-resource", resource: ResourceOf(litware)),
            Record("no-price", meter: UnpricedMeter),
            Record("bad-entitlement", resource: null) is var bad ? new Dictionary<string, object?>(bad) { ["entitlementId"] = "not-a-guid" } : null,
            new Dictionary<string, object?>(Record("x")) { ["id"] = null },
            new Dictionary<string, object?>(Record("bad-date")) { ["usageDate"] = "31/12/2026" },
            new Dictionary<string, object?>(Record("bad-meter")) { ["meterId"] = "vm" },
            42,
        };
        var result = await PostJsonAsync(client, records);

        Assert.Equal(
            [
                (UsageStatus.Accepted, null, null),
                (UsageStatus.Accepted, null, null),
                (UsageStatus.Accepted, null, null),
                (UsageStatus.Rejected, UsageCodes.BadQuantity, "quantity"),
                (UsageStatus.Rejected, UsageCodes.BadQuantity, "quantity"),
                (UsageStatus.Rejected, UsageCodes.BadQuantity, "quantity"),
                (UsageStatus.Rejected, UsageCodes.DateOutOfRange, "usageDate"),
                (UsageStatus.Rejected, UsageCodes.DateOutOfRange, "usageDate"),
                (UsageStatus.Rejected, UsageCodes.UnknownSubscription, "entitlementId"),
                (UsageStatus.Rejected, UsageCodes.InactiveSubscription, "usageDate"),
                (UsageStatus.Rejected, UsageCodes.InactiveSubscription, "entitlementId"),
                (UsageStatus.Rejected, UsageCodes.ResourceNotInSubscription, "resourceUri"),
                (UsageStatus.Rejected, UsageCodes.NoPrice, "meterId"),
                (UsageStatus.Rejected, ErrorCodes.InvalidProperty, "entitlementId"),
                (UsageStatus.Rejected, ErrorCodes.InvalidProperty, "id"),
                (UsageStatus.Rejected, ErrorCodes.InvalidProperty, "usageDate"),
                (UsageStatus.Rejected, ErrorCodes.InvalidProperty, "meterId"),
                (UsageStatus.Rejected, ErrorCodes.InvalidProperty, "record"),
            ],
            Outcomes(result));
        Assert.Equal((18, 3, 15), (result.GetProperty("totalCount").GetInt32(), result.GetProperty("accepted").GetInt32(), result.GetProperty("rejected").GetInt32()));
        foreach (var item in result.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("status").GetString() == UsageStatus.Rejected))
        {
            // Each message names its field, so a client can fix the record without reading a code table.
            var field = item.GetProperty("field").GetString()!;
            Assert.Contains(field == "record" ? "object" : field, item.GetProperty("description").GetString()!, StringComparison.OrdinalIgnoreCase);
        }

        await using var db = server.CreateDbContext();
        var stored = await db.UsageRecords.AsNoTracking().OrderBy(r => r.RecordId).ToListAsync(Ct);
        Assert.Equal(["good-1", "good-2", "good-3"], stored.Select(r => r.RecordId));
        var litwareRecord = stored.Single(r => r.RecordId == "good-2");
        Assert.Equal((DemoInstance.IndirectProviderPartnerId, DemoCommerce.LitwareCustomerId, DemoCommerce.LitwarePlanId, Today.AddDays(-90), 0m),
            (litwareRecord.PartnerId, litwareRecord.CustomerId, litwareRecord.SubscriptionId, litwareRecord.UsageDate, litwareRecord.Quantity));
        Assert.Equal(1.5m, stored.Single(r => r.RecordId == "good-1").Quantity);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task RepeatedIds_SameContentIsDuplicate_OtherContentIsConflict_AndTheStoredRecordNeverChanges(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        await SeedDemoPricesAsync(server.Database);
        using var client = server.CreateJsonClient();

        var first = await PostJsonAsync(client, new[] { Record("r-1", quantity: 2.50m), Record("r-2") });
        var again = await PostJsonAsync(client, new[]
        {
            Record("r-1", quantity: 2.5m),            // the same quantity written another way: the same content
            Record("r-2", quantity: 7m),              // other content
            Record("r-3"),
            Record("r-3"),                            // twice in one batch, same content
            Record("r-3", quantity: 9m),              // and once with other content
        });

        Assert.Equal([(UsageStatus.Accepted, null, null), (UsageStatus.Accepted, null, null)], Outcomes(first));
        Assert.Equal(
            [
                (UsageStatus.Duplicate, null, null),
                (UsageStatus.Conflict, UsageCodes.IdConflict, "id"),
                (UsageStatus.Accepted, null, null),
                (UsageStatus.Duplicate, null, null),
                (UsageStatus.Conflict, UsageCodes.IdConflict, "id"),
            ],
            Outcomes(again));
        Assert.Equal((1, 2, 2), (again.GetProperty("accepted").GetInt32(), again.GetProperty("duplicates").GetInt32(), again.GetProperty("conflicts").GetInt32()));

        await using var db = server.CreateDbContext();
        var stored = await db.UsageRecords.AsNoTracking().OrderBy(r => r.RecordId).ToListAsync(Ct);
        Assert.Equal([("r-1", 2.50m), ("r-2", 1.5m), ("r-3", 1.5m)], stored.Select(r => (r.RecordId, r.Quantity)));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task NdjsonAndCsv_AreReadLikeJson_AndAnUnreadableRecordNeverLosesItsNeighbours(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        await SeedDemoPricesAsync(server.Database);
        using var client = await UsageFeedClientAsync(server, Ct);
        var e = DemoCommerce.TailspinAzureSubscriptionId;

        var ndjson = JsonSerializer.Serialize(Record("n-1")) + "\n" + "{ \"id\": \"n-2\", broken\n\n" +
            JsonSerializer.Serialize(new Dictionary<string, object?>(Record("n-3")) { ["tags"] = new { env = "prod" } }).Replace("\"entitlementId\"", "\"EntitlementId\"", StringComparison.Ordinal) + "\r\n";
        var fromNdjson = await PostTextAsync(client, ndjson, "application/x-ndjson");

        var csv = "\uFEFFId,EntitlementId,ResourceUri,MeterId,UsageDate,Quantity,Location\r\n" +
            $"c-1,{e},{ResourceOf(e)},{Meter},{Today:yyyy-MM-dd},3,uksouth\r\n" +
            $"c-2,{e},{ResourceOf(e)},{Meter},{Today:yyyy-MM-dd}\r\n" +
            $"c-3,{e},\"{ResourceOf(e, "vm,02")}\",{Meter},{Today.Month}/{Today.Day}/{Today.Year} 12:00:00 AM,0.25,\r\n" +
            $"c-4,{e},{ResourceOf(e)},{Meter},{Today:yyyy-MM-dd},-3,uksouth\r\n";
        var fromCsv = await PostTextAsync(client, csv, "text/csv");

        Assert.Equal([(UsageStatus.Accepted, null, null), (UsageStatus.Rejected, ErrorCodes.InvalidRequestInput, "record"), (UsageStatus.Accepted, null, null)], Outcomes(fromNdjson));
        Assert.Equal(
            [(UsageStatus.Accepted, null, null), (UsageStatus.Rejected, ErrorCodes.InvalidRequestInput, "record"), (UsageStatus.Accepted, null, null), (UsageStatus.Rejected, UsageCodes.BadQuantity, "quantity")],
            Outcomes(fromCsv));
        await using var db = server.CreateDbContext();
        var stored = await db.UsageRecords.AsNoTracking().OrderBy(r => r.RecordId).ToListAsync(Ct);
        Assert.Equal(["c-1", "c-3", "n-1", "n-3"], stored.Select(r => r.RecordId));
        Assert.Equal("uksouth", stored[0].Location);
        Assert.Null(stored[1].Location);
        Assert.EndsWith("vm,02", stored[1].ResourceUri, StringComparison.Ordinal);
        Assert.Equal("{\"env\":\"prod\"}", stored[3].Tags);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task PartnerUser_PostsForItsOwnCustomers_AndAnotherPartnersSubscriptionIsAnsweredAsUnknown(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        await SeedDemoPricesAsync(server.Database);
        var admin = TestUsers.WithRole(DemoInstance.DirectBillPartnerId, PartnerRole.GlobalAdmin)!;
        using var client = server.CreateJsonClient(admin);

        var nobody = Guid.NewGuid();
        var result = await PostJsonAsync(client, new[]
        {
            Record("own"),
            Record("foreign", DemoCommerce.LitwareAzureSubscriptionId),
            Record("nobody", nobody),
        });

        var items = result.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(UsageStatus.Accepted, items[0].GetProperty("status").GetString());

        // Another partner's Azure subscription gets exactly the answer of one that does not exist (PROMISES S2).
        static (string?, int, string?, string) Shape(JsonElement item, Guid id) => (item.GetProperty("status").GetString(), item.GetProperty("code").GetInt32(),
            item.GetProperty("field").GetString(), item.GetProperty("description").GetString()!.Replace(id.ToString(), "X", StringComparison.Ordinal));
        Assert.Equal(Shape(items[2], nobody), Shape(items[1], DemoCommerce.LitwareAzureSubscriptionId));
        Assert.Equal(UsageCodes.UnknownSubscription, items[1].GetProperty("code").GetInt32());
        await using var db = server.CreateDbContext();
        Assert.Equal(["own"], await db.UsageRecords.Select(r => r.RecordId).ToListAsync(Ct));
    }

    [Fact]
    public async Task Limits_TooManyRecordsOrTooManyBytesIs413_OtherContentTypes415_UnreadableBodies400()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        using var client = await UsageFeedClientAsync(server, Ct);

        var tooMany = "[" + string.Join(',', Enumerable.Repeat("{}", UsageLimits.MaxRecords + 1)) + "]";
        var manyBody = await PostTextAsync(client, tooMany, "application/json", HttpStatusCode.RequestEntityTooLarge);
        var manyLines = await PostTextAsync(client, string.Concat(Enumerable.Repeat("{}\n", UsageLimits.MaxRecords + 1)), "application/x-ndjson", HttpStatusCode.RequestEntityTooLarge);
        var huge = await PostTextAsync(client, "[\"" + new string('x', (int)UsageLimits.MaxBodyBytes) + "\"]", "application/json", HttpStatusCode.RequestEntityTooLarge);
        var xml = await PostTextAsync(client, "<usage/>", "application/xml", HttpStatusCode.UnsupportedMediaType);
        var broken = await PostTextAsync(client, "[{\"id\": ", "application/json", HttpStatusCode.BadRequest);
        var notArray = await PostTextAsync(client, "{\"id\": \"a\"}", "application/json", HttpStatusCode.BadRequest);
        var badHeader = await PostTextAsync(client, "Id,Entitlement,Quantity\r\na,b,1\r\n", "text/csv", HttpStatusCode.BadRequest);

        Assert.Equal(ErrorCodes.PayloadTooLarge, manyBody.GetProperty("code").GetInt32());
        Assert.Contains("at most 10000 usage records", manyBody.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.PayloadTooLarge, manyLines.GetProperty("code").GetInt32());
        Assert.Equal(ErrorCodes.PayloadTooLarge, huge.GetProperty("code").GetInt32());
        Assert.Equal(ErrorCodes.UnsupportedMediaType, xml.GetProperty("code").GetInt32());
        Assert.Equal(ErrorCodes.InvalidRequestInput, broken.GetProperty("code").GetInt32());
        Assert.Equal(ErrorCodes.InvalidRequestInput, notArray.GetProperty("code").GetInt32());
        Assert.Equal(ErrorCodes.InvalidProperty, badHeader.GetProperty("code").GetInt32());
        Assert.Contains(badHeader.GetProperty("data").EnumerateArray(), d => d.GetProperty("field").GetString() == "Entitlement");
        Assert.Contains(badHeader.GetProperty("data").EnumerateArray(), d => d.GetProperty("field").GetString() == "ResourceUri");
        foreach (var body in new[] { manyBody, huge, xml, broken, badHeader })
        {
            Assert.Equal("Paygo", body.GetProperty("source").GetString());
        }

        await using var db = server.CreateDbContext();
        Assert.Equal(0, await db.UsageRecords.CountAsync(Ct));
    }
}
