using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Common;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Core.Pricing;
using Paygo.Rating.Pricing;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>Issue 5 over HTTP on both engines: price list and FX imports, queries, Microsoft's pricing paths, diffs.</summary>
public sealed class PricingApiTests
{
    private const string Header =
        "ProductTitle,ProductId,SkuId,SkuTitle,Publisher,SkuDescription,UnitOfMeasure,TermDuration,Market,Currency,UnitPrice," +
        "PricingTierRangeMin,PricingTierRangeMax,EffectiveStartDate,EffectiveEndDate,MeterIds,MeterType,Tags\r\n";

    private const string TieredMeter = "9f0a3d1c-6b2e-4c55-9d8e-0c1f2a3b4c5d";
    private const string FlatMeter = "1b2c3d4e-0000-4c55-9d8e-0c1f2a3b4c5d";

    // Reference §4.2's graduated example (1-100 at 1, 101-100000 at 0.80, then 0.50) and one flat meter.
    private static string November(string flatPrice = "0.0450") =>
        Header +
        $"Azure Monitor,DDD123456ABC,01AB,Standard,Microsoft,Azure Monitor Standard,1 GB,payG-1,US,USD,1,1,100,3/1/2018 12:00:00 AM,11/30/9999 11:59:59 PM,{TieredMeter},1 GB,\"Azure,Consumption\"\r\n" +
        $"Azure Monitor,DDD123456ABC,01AB,Standard,Microsoft,Azure Monitor Standard,1 GB,payG-1,US,USD,0.80,101,100000,3/1/2018 12:00:00 AM,11/30/9999 11:59:59 PM,{TieredMeter},1 GB,\"Azure,Consumption\"\r\n" +
        $"Azure Monitor,DDD123456ABC,01AB,Standard,Microsoft,Azure Monitor Standard,1 GB,payG-1,US,USD,0.50,100001,9223372036854780000,3/1/2018 12:00:00 AM,11/30/9999 11:59:59 PM,{TieredMeter},1 GB,\"Azure,Consumption\"\r\n" +
        $"Virtual Machines,DZH318Z0BQ5S,0006,D2s v3,Microsoft,\"D2s v3, Linux\",100 Hours,payG-1,US,USD,{flatPrice},,,10/1/2020 12:00:00 AM,11/30/9999 11:59:59 PM,{FlatMeter},100 Hours,\"Azure,Consumption\"\r\n";

    private static ByteArrayContent CsvBody(string csv) => CsvBody(Encoding.UTF8.GetBytes(csv));

    private static ByteArrayContent CsvBody(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return content;
    }

    private static async Task ImportAsync(HttpClient client, string csv, string month = "202611")
    {
        using var response = await client.PostAsync($"/v1/pricing/pricelists?market=US&month={month}", CsvBody(csv), TestContext.Current.CancellationToken);
        await HttpAssert.JsonAsync(response, HttpStatusCode.Created);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ImportThenShowAndExport_TieredMeter_GivesTiersAndTheSameFileBack(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var admin = server.CreateJsonClient(TestUsers.OperatorAdmin);
        var ct = TestContext.Current.CancellationToken;

        using var imported = await admin.PostAsync("/v1/pricing/pricelists?market=US&month=202611", CsvBody(November()), ct);
        var list = await HttpAssert.JsonAsync(imported, HttpStatusCode.Created);
        Assert.Equal(4, list.GetProperty("rowCount").GetInt32());
        Assert.Equal("202611", list.GetProperty("month").GetString());

        using var partner = server.CreateJsonClient(TestUsers.WithRole(DemoInstance.DirectBillPartnerId, PartnerRole.SalesAgent)!);
        using var priced = await partner.GetAsync($"/v1/pricing/meters/{TieredMeter}?market=US&date=2026-11-15", ct);
        var price = await HttpAssert.JsonAsync(priced, HttpStatusCode.OK);
        var tiers = price.GetProperty("tiers").EnumerateArray().Select(t => (t.GetProperty("tierMinimumUnits").GetDecimal(), t.GetProperty("unitPrice").GetDecimal())).ToList();
        Assert.Equal([(0m, 1m), (100m, 0.80m), (100000m, 0.50m)], tiers);
        Assert.Equal("1 GB", price.GetProperty("unitOfMeasure").GetString());

        foreach (var prefix in new[] { "/v1.0/sales", "/v1/sales" })
        {
            using var sheet = await partner.GetAsync($"{prefix}/pricesheets(Market='US',PricesheetView='azure_consumption')/$value?timeline=history&month=202611", ct);
            Assert.Equal(HttpStatusCode.OK, sheet.StatusCode);
            Assert.Equal("text/csv", sheet.Content.Headers.ContentType?.MediaType);
            Assert.Equal(November(), await sheet.Content.ReadAsStringAsync(ct));
        }

        using var zipped = new HttpRequestMessage(HttpMethod.Get, "/v1.0/sales/pricesheets(Market='US',PricesheetView='azure_consumption')/$value?timeline=history&month=202611");
        zipped.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("deflate"));
        using var zipResponse = await partner.SendAsync(zipped, ct);
        Assert.Equal("application/zip", zipResponse.Content.Headers.ContentType?.MediaType);
        using var archive = new ZipArchive(await zipResponse.Content.ReadAsStreamAsync(ct));
        using var reader = new StreamReader(archive.Entries.Single().Open());
        Assert.Equal(November(), await reader.ReadToEndAsync(ct));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Import_BadDateOnRow50000_ImportsNothingAndNamesRowAndColumn(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var admin = server.CreateJsonClient(TestUsers.OperatorAdmin);
        var ct = TestContext.Current.CancellationToken;
        await ImportAsync(admin, November());

        var stream = new MemoryStream();
        PriceListFile.Write(stream, PriceListGenerator.Generate(60_000, seed: 7, market: "US", month: new DateOnly(2026, 11, 1)), ct);
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split("\r\n");
        var fields = lines[49_999].Split(',');
        var dateColumn = Array.FindIndex(fields, f => f.EndsWith(" AM", StringComparison.Ordinal) || f.EndsWith(" PM", StringComparison.Ordinal));
        fields[dateColumn] = "31/31/2026 12:00:00 AM";
        lines[49_999] = string.Join(',', fields);

        using var refused = await admin.PostAsync("/v1/pricing/pricelists?market=US&month=202611", CsvBody(string.Join("\r\n", lines)), ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(ct)).RootElement;
        Assert.Equal(PriceListStore.FileRefused, body.GetProperty("code").GetInt32());
        Assert.Equal(1, body.GetProperty("problemCount").GetInt64());
        var problem = body.GetProperty("data")[0];
        Assert.Equal(50_000, problem.GetProperty("row").GetInt32());
        Assert.Contains("EffectiveS", problem.GetProperty("column").GetString(), StringComparison.Ordinal);
        Assert.Contains("row 50000", body.GetProperty("description").GetString(), StringComparison.Ordinal);

        // All or nothing: November still holds the first import.
        await using var db = server.CreateDbContext();
        Assert.Equal(4, (await db.PriceLists.SingleAsync(ct)).RowCount);
        Assert.Equal(4, await db.PriceRows.CountAsync(ct));
    }

    // Files that used to be taken (or altered) silently; each must be refused with its problem named.
    public static TheoryData<string, string, int, string> RefusedFiles()
    {
        var rows = November().Split("\r\n")[1..^1];
        string With(int row, string from, string to) =>
            Header + string.Concat(rows.Select((r, i) => (i == row ? r.Replace(from, to, StringComparison.Ordinal) : r) + "\r\n"));
        var data = new TheoryData<string, string, int, string>();
        foreach (var engine in new[] { Engines.Sqlite, Engines.Postgres })
        {
            data.Add(engine, Header, 2, "no prices");
            data.Add(engine, With(3, ",0.0450,", ",0.00000000000000000000000000001,"), 5, "more digits");
            data.Add(engine, November()[..^3], 5, "never closed");
            data.Add(engine, With(0, "Standard,Microsoft", "Stan\0dard,Microsoft"), 2, "NUL");
            data.Add(engine, With(3, "D2s v3,Microsoft", "=cmd|' /C calc'!A0,Microsoft"), 5, "formula");
        }

        return data;
    }

    [Theory, MemberData(nameof(RefusedFiles))]
    public async Task Import_ABadFile_IsRefusedByName_AndTheMonthKeepsItsPreviousImport(string engine, string csv, int row, string reason)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var admin = server.CreateJsonClient(TestUsers.OperatorAdmin);
        var ct = TestContext.Current.CancellationToken;
        await ImportAsync(admin, November());

        using var refused = await admin.PostAsync("/v1/pricing/pricelists?market=US&month=202611", CsvBody(csv), ct);

        var body = await HttpAssert.ErrorBodyAsync(refused, HttpStatusCode.BadRequest, PriceListStore.FileRefused);
        var problem = body.GetProperty("data")[0];
        Assert.Equal(row, problem.GetProperty("row").GetInt32());
        Assert.Contains(reason, problem.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // S8: nothing lost, nothing altered; the month serves the earlier file byte for byte.
        using var sheet = await admin.GetAsync("/v1.0/sales/pricesheets(Market='US',PricesheetView='azure_consumption')/$value?timeline=history&month=202611", ct);
        Assert.Equal(November(), await sheet.Content.ReadAsStringAsync(ct));
        await using var db = server.CreateDbContext();
        Assert.Equal(4, (await db.PriceLists.SingleAsync(ct)).RowCount);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task FxImport_HeaderOnlyOrTooPrecise_IsRefusedAndTheRatesStay(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var admin = server.CreateJsonClient(TestUsers.OperatorAdmin);
        var ct = TestContext.Current.CancellationToken;
        const string header = "\"CurrencyCode\",\"USDPerUnit\",\"Month\"\r\n";
        using (var imported = await admin.PostAsync("/v1/pricing/fxrates", CsvBody(header + "\"EUR\",\"1.25\",\"202611\"\r\n"), ct))
        {
            await HttpAssert.JsonAsync(imported, HttpStatusCode.Created);
        }

        foreach (var file in new[] { header, header + "\"EUR\",\"0.000000000000000000000000000012\",\"202611\"\r\n", header + "\"EUR\",\"1.3\",\"202611" })
        {
            using var refused = await admin.PostAsync("/v1/pricing/fxrates", CsvBody(file), ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        await using var db = server.CreateDbContext();
        Assert.Equal(1.25m, (await db.FxRates.SingleAsync(r => r.Currency == "EUR", ct)).UsdPerUnit);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Reimport_ReplacesTheMonth_KeepsOtherMonths_AndDiffShowsTheChange(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var admin = server.CreateJsonClient(TestUsers.OperatorAdmin);
        var ct = TestContext.Current.CancellationToken;
        await ImportAsync(admin, November(), "202610");
        await ImportAsync(admin, November("0.0500"), "202611");
        await ImportAsync(admin, November("0.0460"), "202611");

        using var lists = await admin.GetAsync("/v1/pricing/pricelists?market=US", ct);
        var months = (await HttpAssert.JsonAsync(lists, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(l => l.GetProperty("month").GetString()).ToList();
        Assert.Equal(["202611", "202610"], months);

        using var october = await admin.GetAsync($"/v1/pricing/meters/{FlatMeter}?market=US&date=2026-10-03", ct);
        Assert.Equal(0.0450m, (await HttpAssert.JsonAsync(october, HttpStatusCode.OK)).GetProperty("tiers")[0].GetProperty("unitPrice").GetDecimal());
        using var november = await admin.GetAsync($"/v1/pricing/meters/{FlatMeter}?market=US&date=2026-11-03", ct);
        Assert.Equal(0.0460m, (await HttpAssert.JsonAsync(november, HttpStatusCode.OK)).GetProperty("tiers")[0].GetProperty("unitPrice").GetDecimal());

        using var diff = await admin.GetAsync("/v1/pricing/diff?market=US&from=202610&to=202611", ct);
        var change = (await HttpAssert.JsonAsync(diff, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Single();
        Assert.Equal("PriceChanged", change.GetProperty("kind").GetString());
        Assert.Equal(FlatMeter, change.GetProperty("meterId").GetString());

        using var missing = await admin.GetAsync($"/v1/pricing/meters/{FlatMeter}?market=US&date=2026-12-01", ct);
        await HttpAssert.ErrorBodyAsync(missing, HttpStatusCode.NotFound, PriceListStore.NotImported);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Search_FiltersAndPages_InFileOrder(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var admin = server.CreateJsonClient(TestUsers.OperatorAdmin);
        var ct = TestContext.Current.CancellationToken;
        await ImportAsync(admin, November());

        using var monitor = await admin.GetAsync("/v1/pricing/prices?market=US&month=202611&product=monitor&size=2", ct);
        var page = await HttpAssert.JsonAsync(monitor, HttpStatusCode.OK);
        Assert.Equal([2, 3], page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("rowNumber").GetInt32()));
        Assert.Equal(4, (await HttpAssert.NextPageAsync(admin, page)).GetProperty("items").EnumerateArray().Single().GetProperty("rowNumber").GetInt32());

        using var byTag = await admin.GetAsync("/v1/pricing/prices?market=US&month=202611&tag=consumption&sku=d2s", ct);
        Assert.Equal(FlatMeter, (await HttpAssert.JsonAsync(byTag, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Single().GetProperty("meterIds").GetString());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Import_ByAPartnerOrForAnotherMarket_IsRefused(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        using var partner = server.CreateJsonClient(TestUsers.WithRole(DemoInstance.DirectBillPartnerId, PartnerRole.GlobalAdmin)!);
        using var forbidden = await partner.PostAsync("/v1/pricing/pricelists?market=US&month=202611", CsvBody(November()), ct);
        await HttpAssert.ErrorBodyAsync(forbidden, HttpStatusCode.Forbidden, ErrorCodes.Forbidden);

        using var admin = server.CreateJsonClient(TestUsers.OperatorAdmin);
        using var wrongMarket = await admin.PostAsync("/v1/pricing/pricelists?market=GB&month=202611", CsvBody(November()), ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrongMarket.StatusCode);
        var body = JsonDocument.Parse(await wrongMarket.Content.ReadAsStringAsync(ct)).RootElement;
        Assert.Equal(4, body.GetProperty("problemCount").GetInt64());
        Assert.Equal("Market", body.GetProperty("data")[0].GetProperty("column").GetString());

        using var badMonth = await admin.PostAsync("/v1/pricing/pricelists?market=US&month=2026-11", CsvBody(November()), ct);
        var monthError = await HttpAssert.ErrorBodyAsync(badMonth, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        Assert.Equal("month", monthError.GetProperty("data")[0].GetProperty("field").GetString());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task FxRates_ImportExportAndPcToBc_WithAClearErrorForAMissingMonth(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var admin = server.CreateJsonClient(TestUsers.OperatorAdmin);
        var ct = TestContext.Current.CancellationToken;
        const string fx = "\"CurrencyCode\",\"USDPerUnit\",\"Month\"\r\n\"AED\",\"0.27224589249009701\",\"202611\"\r\n\"EUR\",\"1.25\",\"202611\"\r\n\"GBP\",\"1.3\",\"202611\"\r\n";

        using var imported = await admin.PostAsync("/v1/pricing/fxrates", CsvBody(fx), ct);
        var summary = await HttpAssert.JsonAsync(imported, HttpStatusCode.Created);
        Assert.Equal(3, summary.GetProperty("rates").GetInt32());

        using var eur = await admin.GetAsync("/v1/pricing/exchangerates?currency=EUR&month=202611", ct);
        Assert.Equal(0.8m, (await HttpAssert.JsonAsync(eur, HttpStatusCode.OK)).GetProperty("pcToBcExchangeRate").GetDecimal());

        using var missing = await admin.GetAsync("/v1/pricing/exchangerates?currency=EUR&month=202612", ct);
        var error = await HttpAssert.ErrorBodyAsync(missing, HttpStatusCode.NotFound, PriceListStore.NotImported);
        Assert.Contains("EUR in 202612", error.GetProperty("description").GetString(), StringComparison.Ordinal);

        foreach (var prefix in new[] { "/v1.0/sales", "/v1/sales" })
        {
            using var file = await admin.GetAsync($"{prefix}/fxrates(Month='202611')/$value", ct);
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Equal(fx, await file.Content.ReadAsStringAsync(ct));
        }

        using var bad = await admin.PostAsync("/v1/pricing/fxrates", CsvBody("\"CurrencyCode\",\"USDPerUnit\",\"Month\"\r\n\"EUR\",\"-1\",\"202611\"\r\n"), ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        await using var db = server.CreateDbContext();
        Assert.Equal(1.25m, (await db.FxRates.SingleAsync(r => r.Currency == "EUR", ct)).UsdPerUnit);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task PriceSheet_OfThousandsOfRows_StreamsTheWholeFileBack(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var admin = server.CreateJsonClient(TestUsers.OperatorAdmin);
        var ct = TestContext.Current.CancellationToken;
        var file = new MemoryStream();
        PriceListFile.Write(file, PriceListGenerator.Generate(5_000, seed: 3, market: "US", month: new DateOnly(2026, 11, 1)), ct);
        using var imported = await admin.PostAsync("/v1/pricing/pricelists?market=US&month=202611", CsvBody(file.ToArray()), ct);
        await HttpAssert.JsonAsync(imported, HttpStatusCode.Created);

        using var sheet = await admin.GetAsync("/v1.0/sales/pricesheets(Market='US',PricesheetView='azure_consumption')/$value?timeline=history&month=202611", ct);

        Assert.Equal(HttpStatusCode.OK, sheet.StatusCode);
        Assert.Equal(file.ToArray(), await sheet.Content.ReadAsByteArrayAsync(ct));
    }
}
