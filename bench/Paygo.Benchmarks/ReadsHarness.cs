using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Paygo.Core.Demo;

namespace Paygo.Benchmarks;

/// <summary>
/// PROMISES P3, measured end to end: a real Paygo server (its own process on a loopback port,
/// demo data, its per-partner rate limit raised out of the way for the run) on SQLite and, given
/// a connection string, on PostgreSQL. One partner user signs in for a real access token, then
/// many connections (default 32) read, closed loop and in turn, <c>GET /v1/customers/{id}</c>,
/// its <c>/subscriptions</c> and the plan's <c>/azureEntitlements</c>. <c>/health/live</c> is
/// measured the same way first, as the ceiling of the HTTP stack without authentication or a
/// query. Prints req/s and p50/p99 (overall and per route) against the budget (at least
/// 5,000 req/s, p99 under 20 ms) and writes a JSON result file.
/// <code>dotnet run -c Release --project bench/Paygo.Benchmarks -- reads [--seconds 60] [--connections 32] [--postgres "Host=..."] [--out reads.json] [--server paygo-server.dll] [--pid-file server.pid]</code>
/// </summary>
public static class ReadsHarness
{
    private const double BudgetPerSecond = 5_000;
    private const double BudgetP99 = 20;
    private static readonly DemoUser Reader = DemoUsers.All.Single(u => u.Email == "globaladmin@fabrikam.example");

    public static async Task<int> RunAsync(string[] args)
    {
        // 60 s by default: in the first 15–20 s a quarter of the server's CPU is still the JIT tiering up hot code (CONTRIBUTING.md).
        var seconds = double.Parse(HarnessSupport.Option(args, "--seconds") ?? "60", CultureInfo.InvariantCulture);
        var connections = int.Parse(HarnessSupport.Option(args, "--connections") ?? "32", CultureInfo.InvariantCulture);
        var postgres = HarnessSupport.Option(args, "--postgres") ?? Environment.GetEnvironmentVariable("PAYGO_TEST_POSTGRES");
        var output = HarnessSupport.Option(args, "--out") ?? $"reads-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json";
        var server = HarnessSupport.Option(args, "--server") ?? FairnessHarness.FindServer();

        // --pid-file: the server's process id is written there when the measured window opens,
        // for attaching dotnet-trace or dotnet-counters to exactly that window.
        PidFile = HarnessSupport.Option(args, "--pid-file");

        var results = await HarnessSupport.OnEachEngineAsync(postgres, (engine, database) => MeasureAsync(engine, server, database, seconds, connections));

        var report = new ReadsReport(DateTimeOffset.UtcNow, Environment.ProcessorCount, seconds, connections, BudgetPerSecond, BudgetP99, results);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(report, JsonOptions));
        Console.WriteLine($"results written to {Path.GetFullPath(output)}");
        return results.All(r => r.WithinBudget) ? 0 : 1;
    }

    private static async Task<EngineResult> MeasureAsync(string engine, string serverPath, string? database, double seconds, int connections)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("paygo-reads-").FullName;
        var baseAddress = new Uri($"http://127.0.0.1:{FairnessHarness.FreePort()}");

        // The run measures the read path from one partner, not the limiter: the bucket is far above what
        // two cores serve, and the per-partner concurrency gate (one slot per core) is opened as the ingest harness does.
        using var process = FairnessHarness.StartServer(serverPath, dataDirectory, database, baseAddress,
            ["--Paygo:RateLimit:PermitsPerSecond=1000000", "--Paygo:RateLimit:Burst=2000000", "--Paygo:RateLimit:ConcurrentRequests=1000"]);
        try
        {
            using var client = FairnessHarness.Client(baseAddress, connections);
            await FairnessHarness.WaitUntilReadyAsync(client, process);
            var customer = $"/v1/customers/{DemoCommerce.TailspinCustomerId}";
            string[] reads = [customer, $"{customer}/subscriptions", $"{customer}/subscriptions/{DemoCommerce.TailspinPlanId}/azureEntitlements"];

            // Warm up JIT, pools and caches; the health probe runs without a token.
            await LoadAsync(client, ["/health/live"], connections, TimeSpan.FromSeconds(2));
            var health = await LoadAsync(client, ["/health/live"], connections, TimeSpan.FromSeconds(Math.Min(seconds, 5)));
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await FairnessHarness.SignInAsync(client, Reader));
            await LoadAsync(client, reads, connections, TimeSpan.FromSeconds(3));

            if (PidFile is { } pidFile)
            {
                await File.WriteAllTextAsync(pidFile, $"{process.Id}\n");
            }

            var load = FairnessHarness.LoadAverage();
            var cpu = FairnessHarness.ServerCpu(process);
            var measured = await LoadAsync(client, reads, connections, TimeSpan.FromSeconds(seconds));
            var cpuPerRequest = (FairnessHarness.ServerCpu(process) - cpu) / Math.Max(1, measured.Requests);
            var within = measured.PerSecond >= BudgetPerSecond && measured.P99 < BudgetP99 && measured.NotOk == 0;
            var result = new EngineResult(engine, health, measured, Math.Round(cpuPerRequest, 3), load, within);
            Print(result);
            return result;
        }
        finally
        {
            FairnessHarness.Stop(process);
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static void Print(EngineResult r)
    {
        static string Ms(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + " ms";
        static string Line(string name, LoadResult l) =>
            $"  {name,-22} {l.Requests,7} requests  {l.PerSecond,7:N0} req/s  p50 {Ms(l.P50),9}  p99 {Ms(l.P99),9}  non-200: {l.NotOk}";
        Console.WriteLine($"{r.Engine}:");
        Console.WriteLine(Line("/health/live", r.Health));
        Console.WriteLine(Line("reads (3 routes)", r.Reads));
        foreach (var route in r.Reads.Routes)
        {
            Console.WriteLine($"    {route.Path,-110} p50 {Ms(route.P50),9}  p99 {Ms(route.P99),9}");
        }

        Console.WriteLine($"  server CPU per read {Ms(r.CpuMsPerRead)}; load average at start {r.LoadAverage}");
        Console.WriteLine($"  budget >= {BudgetPerSecond:N0} req/s and p99 < {BudgetP99} ms: {(r.WithinBudget ? "within" : "OVER")}");
    }

    /// <summary>Closed loop: each connection sends its next request when the last one is answered, cycling through the paths.</summary>
    private static async Task<LoadResult> LoadAsync(HttpClient client, string[] paths, int connections, TimeSpan duration)
    {
        var notOk = 0;
        var latencies = new List<double>[connections, paths.Length];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            for (var p = 0; p < paths.Length; p++)
            {
                latencies[worker, p] = new List<double>(8192);
            }

            for (var i = worker; clock.Elapsed < duration; i++)
            {
                var route = i % paths.Length;
                var start = clock.Elapsed;
                try
                {
                    using var response = await client.GetAsync(paths[route], HttpCompletionOption.ResponseContentRead);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref notOk);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref notOk);
                }

                latencies[worker, route].Add((clock.Elapsed - start).TotalMilliseconds);
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        var routes = new List<RouteResult>();
        for (var p = 0; p < paths.Length; p++)
        {
            var own = Enumerable.Range(0, connections).SelectMany(w => latencies[w, p]).ToArray();
            Array.Sort(own);
            routes.Add(new RouteResult(paths[p], own.Length, FairnessHarness.Percentile(own, 0.50), FairnessHarness.Percentile(own, 0.99)));
        }

        var all = latencies.Cast<List<double>>().SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new LoadResult(all.Length, Math.Round(all.Length / elapsed), FairnessHarness.Percentile(all, 0.50), FairnessHarness.Percentile(all, 0.99),
            all.Length == 0 ? 0 : all[^1], notOk, routes);
    }

    private static string? PidFile { get; set; }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public sealed record RouteResult(string Path, int Requests, double P50, double P99);

    public sealed record LoadResult(int Requests, double PerSecond, double P50, double P99, double Max, int NotOk, IReadOnlyList<RouteResult> Routes);

    public sealed record EngineResult(string Engine, LoadResult Health, LoadResult Reads, double CpuMsPerRead, string LoadAverage, bool WithinBudget);

    public sealed record ReadsReport(DateTimeOffset At, int Processors, double Seconds, int Connections, double BudgetPerSecond, double BudgetP99Ms, IReadOnlyList<EngineResult> Engines);
}
