using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Paygo.Core.Demo;
using Paygo.Core.Identity;

namespace Paygo.Benchmarks;

/// <summary>
/// PROMISES P2, measured end to end: a real Paygo server (its own process, demo data, the rate
/// limit out of the way) on SQLite and, given a connection string, PostgreSQL. The operator's
/// admin imports a one-meter GB price list for this month; the demo usage feed (app credential)
/// then posts <c>--records</c> new records (default 200,000) in NDJSON batches of 1,000 from
/// <c>--connections</c> clients (default 4): dedup on (every id checked), durable (every batch
/// committed before its 200). Prints records/s against the budget (100,000/s) and writes a JSON file.
/// <code>dotnet run -c Release --project bench/Paygo.Benchmarks -- ingest [--records 200000] [--connections 4] [--postgres "Host=..."] [--out ingest.json]</code>
/// </summary>
public static class IngestHarness
{
    private const double BudgetPerSecond = 100_000;
    private const int BatchSize = 1_000;
    private const string Meter = "8e669c01-98fc-5288-987d-ea548f352fa6";

    public static async Task<int> RunAsync(string[] args)
    {
        var records = int.Parse(HarnessSupport.Option(args, "--records") ?? "200000", CultureInfo.InvariantCulture);
        var connections = int.Parse(HarnessSupport.Option(args, "--connections") ?? "4", CultureInfo.InvariantCulture);
        var postgres = HarnessSupport.Option(args, "--postgres") ?? Environment.GetEnvironmentVariable("PAYGO_TEST_POSTGRES");
        var output = HarnessSupport.Option(args, "--out") ?? $"ingest-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json";
        var server = HarnessSupport.Option(args, "--server") ?? FairnessHarness.FindServer();

        var results = await HarnessSupport.OnEachEngineAsync(postgres, (engine, database) => MeasureAsync(engine, server, database, records, connections));
        var report = new IngestReport(DateTimeOffset.UtcNow, Environment.ProcessorCount, records, BatchSize, connections, BudgetPerSecond, results);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(report, JsonOptions));
        Console.WriteLine($"results written to {Path.GetFullPath(output)}");
        return results.All(r => r.WithinBudget) ? 0 : 1;
    }

    private static async Task<EngineResult> MeasureAsync(string engine, string serverPath, string? database, int records, int connections)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("paygo-ingest-").FullName;
        var baseAddress = new Uri($"http://127.0.0.1:{FairnessHarness.FreePort()}");
        using var process = FairnessHarness.StartServer(serverPath, dataDirectory, database, baseAddress,
            ["--Paygo:RateLimit:PermitsPerSecond=1000000", "--Paygo:RateLimit:Burst=2000000", "--Paygo:RateLimit:ConcurrentRequests=1000"]);
        try
        {
            using var client = FairnessHarness.Client(baseAddress, connections);
            await FairnessHarness.WaitUntilReadyAsync(client, process);
            await ImportPricesAsync(client);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await FeedTokenAsync(client));

            // Warm up JIT and pools with records that are not counted.
            await PostAllAsync(client, "warm", BatchSize * 4, connections);
            var load = FairnessHarness.LoadAverage();
            var cpu = FairnessHarness.ServerCpu(process);
            var clock = Stopwatch.StartNew();
            var accepted = await PostAllAsync(client, "run", records, connections);
            var seconds = clock.Elapsed.TotalSeconds;
            var perSecond = accepted / seconds;
            var cpuPerRecord = (FairnessHarness.ServerCpu(process) - cpu) * 1000 / Math.Max(1, accepted);
            var result = new EngineResult(engine, accepted, Math.Round(seconds, 2), Math.Round(perSecond), Math.Round(cpuPerRecord, 2), load, perSecond >= BudgetPerSecond && accepted == records);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{engine,-9} {accepted} records in {seconds:0.0} s: {perSecond:0} records/s (budget {BudgetPerSecond:0}), server CPU {cpuPerRecord:0.0} µs/record, load {load}"));
            return result;
        }
        finally
        {
            FairnessHarness.Stop(process);
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task ImportPricesAsync(HttpClient client)
    {
        var admin = DemoUsers.All.Single(u => u.Email == "admin@northwind-ops.example");
        var month = DateTime.UtcNow.ToString("yyyyMM", CultureInfo.InvariantCulture);
        var csv = "ProductTitle,ProductId,SkuId,SkuTitle,Publisher,SkuDescription,UnitOfMeasure,TermDuration,Market,Currency,UnitPrice,PricingTierRangeMin,PricingTierRangeMax,EffectiveStartDate,EffectiveEndDate,MeterIds,MeterType,Tags\r\n" +
            $"Virtual Machines Dv5 Series,DZH318Z0BQ4L,0096,D2s v5 - UK South,Microsoft,D2s v5 UK South,1 Hour,payG-1,GB,USD,0.111,,,3/1/2018 12:00:00 AM,11/30/9999 11:59:59 PM,{Meter},1 Compute Hour,\"Azure,Consumption\"\r\n";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/pricing/pricelists?market=GB&month={month}") { Content = new StringContent(csv, Encoding.UTF8, "text/csv") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await FairnessHarness.SignInAsync(client, admin));
        using var response = await client.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"The price list import failed: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<string> FeedTokenAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = DemoUsers.AppClientId,
            ["client_secret"] = DemoUsers.AppClientSecret,
            ["scope"] = AppScopes.UsageWrite,
        }));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>Posts <paramref name="count"/> new records in batches from <paramref name="connections"/> clients; returns how many were accepted.</summary>
    private static async Task<int> PostAllAsync(HttpClient client, string prefix, int count, int connections)
    {
        var entitlement = DemoCommerce.TailspinAzureSubscriptionId;
        var resource = $"/subscriptions/{entitlement}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/web-";
        var day = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var run = Guid.NewGuid().ToString("N")[..8];
        var next = -1;
        var accepted = 0;
        var batches = (count + BatchSize - 1) / BatchSize;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            var body = new StringBuilder(BatchSize * 300);
            for (var batch = Interlocked.Increment(ref next); batch < batches; batch = Interlocked.Increment(ref next))
            {
                body.Clear();
                for (var i = batch * BatchSize; i < Math.Min(count, (batch + 1) * BatchSize); i++)
                {
                    body.Append(CultureInfo.InvariantCulture,
                        $"{{\"id\":\"{prefix}-{run}-{i:D9}\",\"entitlementId\":\"{entitlement}\",\"resourceUri\":\"{resource}{i % 50}\",\"meterId\":\"{Meter}\",\"usageDate\":\"{day}\",\"quantity\":{(i % 97) + 0.25m}}}\n");
                }

                using var content = new StringContent(body.ToString(), Encoding.UTF8, "application/x-ndjson");
                using var response = await client.PostAsync("/v1/usage", content);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"A batch was refused with {(int)response.StatusCode}: {text}");
                }

                using var json = JsonDocument.Parse(text);
                Interlocked.Add(ref accepted, json.RootElement.GetProperty("accepted").GetInt32());
            }
        })));
        return accepted;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public sealed record EngineResult(string Engine, int Accepted, double Seconds, double RecordsPerSecond, double ServerCpuMicrosecondsPerRecord, string LoadAverage, bool WithinBudget);

    public sealed record IngestReport(DateTimeOffset At, int Processors, int Records, int BatchSize, int Connections, double BudgetPerSecond, IReadOnlyList<EngineResult> Engines);
}
