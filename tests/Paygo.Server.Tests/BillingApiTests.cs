using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paygo.Core.Billing;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Core.Pricing;
using Paygo.Rating.Billing;
using Paygo.Rating.Files;
using Paygo.Testing;
using static Paygo.Testing.UsageTestData;

namespace Paygo.Server.Tests;

/// <summary>
/// The month close and invoices over HTTP (issue 13, docs/adr/0036), with the real rating: usage
/// posted for last month, the close run by the server's background worker, the invoices, line
/// items and files served to the operator and the partner, and hidden from another partner.
/// </summary>
public sealed class BillingApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Close_ThroughTheApi_ServesInvoicesLineItemsAndFiles(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        await SeedDemoPricesAsync(server.Database);
        var lastMonth = new DateOnly(Today.Year, Today.Month, 1).AddMonths(-1);
        await using (var db = server.CreateDbContext())
        {
            db.FxRates.Add(new StoredFxRate { Month = (lastMonth.Year * 100) + lastMonth.Month, Currency = "GBP", UsdPerUnit = 1.27m, ImportedAt = DateTimeOffset.UnixEpoch });
            await db.SaveChangesAsync(Ct);
        }

        using (var feed = await UsageFeedClientAsync(server, Ct))
        {
            var records = Enumerable.Range(0, 5).Select(i => Record($"bill-{i}", day: lastMonth.AddDays(i), quantity: 10m + i)).ToList();
            using var posted = await feed.PostAsJsonAsync("/v1/usage", records, Ct);
            var answer = await HttpAssert.JsonAsync(posted, HttpStatusCode.OK);
            Assert.Equal(5, answer.GetProperty("accepted").GetInt32());
        }

        using var operatorClient = server.CreateJsonClient();

        // The month still running is refused, naming the field.
        using (var early = await operatorClient.PostAsJsonAsync("/v1/billing/closes", new { month = $"{Today:yyyy-MM}" }, Ct))
        {
            var error = await HttpAssert.JsonAsync(early, HttpStatusCode.BadRequest);
            Assert.Equal(BillingCodes.MonthNotOver, error.GetProperty("code").GetInt32());
            Assert.Equal("month", error.GetProperty("data")[0].GetProperty("field").GetString());
        }

        using var started = await operatorClient.PostAsJsonAsync("/v1/billing/closes", new { month = $"{lastMonth:yyyy-MM}" }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var location = started.Headers.Location!.ToString();
        var run = await WaitAsync(operatorClient, location);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(1, run.GetProperty("progress").GetProperty("invoices").GetInt32());

        // Asking again answers the same run.
        using (var again = await operatorClient.PostAsJsonAsync("/v1/billing/closes", new { month = $"{lastMonth:yyyy-MM}" }, Ct))
        {
            var same = await HttpAssert.JsonAsync(again, HttpStatusCode.OK);
            Assert.Equal(run.GetProperty("id").GetString(), same.GetProperty("id").GetString());
        }

        var list = await HttpAssert.JsonAsync(await operatorClient.GetAsync("/v1/invoices", Ct), HttpStatusCode.OK);
        var invoice = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("G000000001", invoice.GetProperty("id").GetString());
        Assert.Equal("GBP", invoice.GetProperty("currencyCode").GetString());
        Assert.Equal("Invoice", invoice.GetProperty("attributes").GetProperty("objectType").GetString());

        // The partner's billing admin sees it; another partner's does not.
        var own = await TestUsers.AddAsync(server.Database, DemoInstance.DirectBillPartnerId, PartnerRole.BillingAdmin);
        var foreign = await TestUsers.AddAsync(server.Database, DemoInstance.IndirectProviderPartnerId, PartnerRole.BillingAdmin);
        using var partner = server.CreateJsonClient(own);
        using var stranger = server.CreateJsonClient(foreign);
        var got = await HttpAssert.JsonAsync(await partner.GetAsync("/v1/invoices/G000000001", Ct), HttpStatusCode.OK);
        Assert.Equal(invoice.GetProperty("totalCharges").GetDecimal(), got.GetProperty("totalCharges").GetDecimal());
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/v1/invoices/G000000001", Ct)).StatusCode);
        Assert.Empty((await HttpAssert.JsonAsync(await stranger.GetAsync("/v1/invoices", Ct), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());

        // The files: the stored bytes with their hash, 46 and 55 columns.
        using var recon = await partner.GetAsync("/v1/invoices/G000000001/files/reconciliation", Ct);
        Assert.Equal(HttpStatusCode.OK, recon.StatusCode);
        var reconBytes = await recon.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(got.GetProperty("files").GetProperty("reconciliation").GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(reconBytes)));
        Assert.StartsWith(string.Join(',', InvoiceReconciliationFile.Table.Header), Encoding.UTF8.GetString(reconBytes), StringComparison.Ordinal);
        using var daily = await partner.GetAsync("/v1/invoices/G000000001/files/dailyusage", Ct);
        var dailyText = await daily.Content.ReadAsStringAsync(Ct);
        Assert.StartsWith(string.Join(',', DailyRatedUsageFile.Table.Header), dailyText, StringComparison.Ordinal);
        Assert.Equal(6, dailyText.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);

        // Line items, seek-paged two at a time.
        var seen = 0;
        var uri = "/v1/invoices/G000000001/lineitems?provider=onetime&invoicelineitemtype=usagelineitems&currencycode=GBP&size=2";
        string? token = null;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (token is not null)
            {
                request.Headers.Add("MS-ContinuationToken", token);
            }

            var page = await HttpAssert.JsonAsync(await partner.SendAsync(request, Ct), HttpStatusCode.OK);
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                Assert.Equal("DailyRatedUsageLineItem", item.GetProperty("attributes").GetProperty("objectType").GetString());
                Assert.Equal("G000000001", item.GetProperty("invoiceNumber").GetString());
                seen++;
            }

            if (!page.GetProperty("links").TryGetProperty("next", out var next) || next.ValueKind == JsonValueKind.Null)
            {
                break;
            }

            uri = next.GetProperty("uri").GetString()!;
            token = next.GetProperty("headers")[0].GetProperty("value").GetString();
        }

        Assert.Equal(5, seen);
        var billing = await HttpAssert.JsonAsync(await partner.GetAsync("/v1/invoices/G000000001/lineitems?provider=onetime&invoicelineitemtype=billinglineitems", Ct), HttpStatusCode.OK);
        var subtotal = billing.GetProperty("items").EnumerateArray().Sum(i => i.GetProperty("subtotal").GetDecimal());
        Assert.Equal(got.GetProperty("subtotal").GetDecimal(), subtotal);
        using var badType = await partner.GetAsync("/v1/invoices/G000000001/lineitems?provider=onetime&invoicelineitemtype=nope", Ct);
        var badError = await HttpAssert.JsonAsync(badType, HttpStatusCode.BadRequest);
        Assert.Equal("invoicelineitemtype", badError.GetProperty("data")[0].GetProperty("field").GetString());
        var summaries = await HttpAssert.JsonAsync(await partner.GetAsync("/v1/invoices/summaries", Ct), HttpStatusCode.OK);
        Assert.Equal("GBP", summaries.GetProperty("collectionOfSummary")[0].GetProperty("currencyCode").GetString());

        // The statement: Partner Center's PDF; the printable page with the invoice's own figures.
        using var pdf = await partner.GetAsync("/v1/invoices/G000000001/documents/statement", Ct);
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        var pdfBytes = await pdf.Content.ReadAsByteArrayAsync(Ct);
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(pdfBytes, 0, 5), StringComparison.Ordinal);
        // A closed invoice's statement is the same file each time it is downloaded (StablePdf).
        Assert.Equal(pdfBytes, await partner.GetByteArrayAsync("/v1/invoices/g000000001/documents/statement?format=PDF", Ct));
        using var html = await partner.GetAsync("/v1/invoices/G000000001/documents/statement?format=html", Ct);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        var printable = await html.Content.ReadAsStringAsync(Ct);
        Assert.Contains("G000000001", printable, StringComparison.Ordinal);
        Assert.Contains($"{Statement.Amount(got.GetProperty("totalCharges").GetDecimal(), 2)} GBP", printable, StringComparison.Ordinal);
        Assert.Contains($"{Statement.Amount(subtotal, 2)} GBP", printable, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/v1/invoices/G000000001/documents/statement", Ct)).StatusCode);
        using var badFormat = await partner.GetAsync("/v1/invoices/G000000001/documents/statement?format=docx", Ct);
        Assert.Equal("format", (await HttpAssert.JsonAsync(badFormat, HttpStatusCode.BadRequest)).GetProperty("data")[0].GetProperty("field").GetString());

        // The FOCUS export of the closed month: one row per billed daily row, BilledCost adding up to the daily file's BillingPreTaxTotal.
        using (var focus = await partner.GetAsync($"/v1/billing/focus?month={lastMonth:yyyy-MM}", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, focus.StatusCode);
            Assert.Equal("text/csv", focus.Content.Headers.ContentType?.MediaType);
            var focusRows = ReadUntyped(await focus.Content.ReadAsByteArrayAsync(Ct), FocusFile.Table.Header);
            var dailyRows = ReadUntyped(Encoding.UTF8.GetBytes(dailyText), DailyRatedUsageFile.Table.Header);
            Assert.Equal(5, focusRows.Count);
            Assert.All(focusRows, r => Assert.Equal("G000000001", r["InvoiceId"]));
            Assert.All(focusRows, r => Assert.Equal("GBP", r["BillingCurrency"]));
            Assert.Equal(dailyRows.Sum(r => decimal.Parse(r["BillingPreTaxTotal"], CultureInfo.InvariantCulture)), focusRows.Sum(r => decimal.Parse(r["BilledCost"], CultureInfo.InvariantCulture)));
            Assert.Equal("5", focus.Headers.GetValues("X-Paygo-Row-Count").Single());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/v1/billing/focus?month={lastMonth:yyyy-MM}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await partner.GetAsync($"/v1/billing/focus?month={lastMonth.AddMonths(-1):yyyy-MM}", Ct)).StatusCode);
        using (var badMonth = await partner.GetAsync("/v1/billing/focus?month=2026-13", Ct))
        {
            Assert.Equal("month", (await HttpAssert.JsonAsync(badMonth, HttpStatusCode.BadRequest)).GetProperty("data")[0].GetProperty("field").GetString());
        }

        // The asynchronous export (reference §8.3): the invoice's billed usage, full and basic, and the previous period's unbilled usage.
        var full = await ExportAsync(partner, "/v1/billedusage/invoices/G000000001?fragment=full");
        Assert.Equal(5, full.Count);
        Assert.All(full, l => Assert.Equal("G000000001", l["invoiceNumber"]!.GetValue<string>()));
        Assert.Equal(dailyText.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Count(), full.Count);
        var basic = await ExportAsync(partner, "/v1/billedusage/invoices/G000000001?fragment=basic");
        Assert.All(basic, l => Assert.Subset(BillingExports.BasicFields.ToHashSet(), l.Select(p => p.Key).ToHashSet()));
        Assert.Equal(full.Sum(l => l["billingPreTaxTotal"]!.GetValue<decimal>()), basic.Sum(l => l["billingPreTaxTotal"]!.GetValue<decimal>()));
        var unbilledLines = await ExportAsync(partner, "/v1/unbilledusage?fragment=full&period=last&currencyCode=GBP");
        Assert.Equal(5, unbilledLines.Count);
        using (var badFragment = await partner.PostAsync("/v1/billedusage/invoices/G000000001?fragment=huge", null, Ct))
        {
            Assert.Equal("fragment", (await HttpAssert.JsonAsync(badFragment, HttpStatusCode.BadRequest)).GetProperty("data")[0].GetProperty("field").GetString());
        }

        using (var badPeriod = await partner.PostAsync("/v1/unbilledusage?period=someday&currencyCode=GBP", null, Ct))
        {
            Assert.Equal("period", (await HttpAssert.JsonAsync(badPeriod, HttpStatusCode.BadRequest)).GetProperty("data")[0].GetProperty("field").GetString());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsync("/v1/billedusage/invoices/G000000001", null, Ct)).StatusCode);
        using (var mine = await partner.PostAsync("/v1/billedusage/invoices/G000000001", null, Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, mine.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(mine.Headers.GetValues("Operation-Location").Single(), Ct)).StatusCode);
        }

        // Closing is the operator's.
        using var refused = await partner.PostAsJsonAsync("/v1/billing/closes", new { month = $"{lastMonth:yyyy-MM}" }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    /// <summary>Asks for an export, polls its operation, reads the manifest and every blob: the JSON lines.</summary>
    private static async Task<List<JsonObject>> ExportAsync(HttpClient client, string request)
    {
        using var started = await client.PostAsync(request, null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var operationPath = started.Headers.GetValues("Operation-Location").Single();
        var operation = await WaitAsync(client, operationPath);
        var manifest = await HttpAssert.JsonAsync(await client.GetAsync(operation.GetProperty("resourceLocation").GetString(), Ct), HttpStatusCode.OK);
        Assert.Equal("compressedJSONLines", manifest.GetProperty("dataFormat").GetString());
        Assert.Equal("ItemCount", manifest.GetProperty("partitionType").GetString());
        var lines = new List<JsonObject>();
        foreach (var blob in manifest.GetProperty("blobs").EnumerateArray())
        {
            var bytes = await client.GetByteArrayAsync($"{manifest.GetProperty("rootFolder").GetString()}/{blob.GetProperty("name").GetString()}", Ct);
            Assert.Equal(blob.GetProperty("sizeInBytes").GetInt64(), bytes.Length);
            using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Encoding.UTF8);
            while (await reader.ReadLineAsync(Ct) is { } line)
            {
                lines.Add(System.Text.Json.Nodes.JsonNode.Parse(line)!.AsObject());
            }
        }

        Assert.Equal(manifest.GetProperty("blobCount").GetInt32(), manifest.GetProperty("blobs").GetArrayLength());
        return lines;
    }

    private static List<CsvRecord> ReadUntyped(byte[] content, IReadOnlyList<string> header)
    {
        var table = new ColumnTable("read-back", [.. header.Select(h => new FileColumn(h, ColumnType.Text))]);
        using var stream = new MemoryStream(content);
        var read = CsvTableReader.Read(stream, table, Ct);
        Assert.True(read.Succeeded, string.Join("\n", read.Problems));
        return [.. read.Value!.Rows];
    }

    private static async Task<JsonElement> WaitAsync(HttpClient client, string location)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var run = await HttpAssert.JsonAsync(await client.GetAsync(location, Ct), HttpStatusCode.OK);
            var status = run.GetProperty("status").GetString();
            if (status is "succeeded" or "failed" || DateTime.UtcNow > deadline)
            {
                Assert.True(status == "succeeded", run.ToString());
                return run;
            }

            await Task.Delay(200, Ct);
        }
    }
}
