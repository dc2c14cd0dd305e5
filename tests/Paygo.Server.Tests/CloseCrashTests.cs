using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Billing;
using Paygo.Core.Demo;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// PROMISES M7 with a real crash: the demo month's previous month closed straight through on one
/// database, and on a second, identically seeded database closed with the server process
/// SIGKILLed at random moments of the run (one to three times) and started again each time, the
/// background worker resuming the run. Both must end with the same invoices (numbers, partners,
/// currencies, totals) and byte-identical files, and the numbers must have no gap. The seed is
/// printed; set PAYGO_TEST_SEED to replay a run.
/// </summary>
public sealed class CloseCrashTests(ITestOutputHelper output)
{
    /// <summary>Copies of the demo's previous-month usage on other resources, so the close runs long enough to be killed inside.</summary>
    private const int ExtraCopies = 8;

    private sealed record InvoiceFacts(string Number, Guid PartnerId, string Currency, decimal Subtotal, decimal Tax, decimal Total, int Lines, int Usage);

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task CloseKilledAtRandomMoments_AndRunAgain_GivesTheSameInvoicesNumbersAndFiles(string engine)
    {
        var ct = TestContext.Current.CancellationToken;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PAYGO_TEST_SEED"), out var fixedSeed) ? fixedSeed : Random.Shared.Next();
        output.WriteLine($"CloseCrashTests seed {seed} ({engine}); replay with PAYGO_TEST_SEED={seed}");
        var random = new Random(seed);
        var month = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(-1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

        // The reference: the same demo month closed without interruption.
        await using var straight = await TestDatabase.CreateAsync(engine);
        TimeSpan closeTime;
        var straightAddress = new Uri($"http://127.0.0.1:{ServerProcess.FreePort()}");
        using (var server = await StartAsync(straight, straightAddress, ct))
        {
            using var http = await OperatorClientAsync(straightAddress, ct);
            await PostExtraUsageAsync(straightAddress, month, ct);
            await StartCloseAsync(http, month, ct);
            await WaitForStatusAsync(straight, CloseStatus.Running, ct);
            var clock = Stopwatch.StartNew();
            await WaitForStatusAsync(straight, CloseStatus.Succeeded, ct);
            closeTime = clock.Elapsed;
        }

        var expected = await FactsAsync(straight, ct);
        output.WriteLine($"straight close of {month}: {expected.Invoices.Count} invoices, running for {closeTime.TotalMilliseconds:0} ms");
        Assert.NotEmpty(expected.Invoices);

        await using var crashed = await TestDatabase.CreateAsync(engine);
        // One port and one sign-in for every restart: the signing keys live in the data directory, so the token outlives a crash.
        var address = new Uri($"http://127.0.0.1:{ServerProcess.FreePort()}");
        var running = await StartAsync(crashed, address, ct);
        using var operatorClient = await OperatorClientAsync(address, ct);
        await PostExtraUsageAsync(address, month, ct);
        try
        {
            await StartCloseAsync(operatorClient, month, ct);
            await WaitForStatusAsync(crashed, CloseStatus.Running, ct);
            var kills = random.Next(1, 4);
            var killedMidRun = 0;
            for (var kill = 0; kill < kills; kill++)
            {
                // A moment inside the run as the straight close took it (a resumed run has less left to do, so later kills may land after it).
                var delay = TimeSpan.FromMilliseconds(random.Next(0, Math.Max(1, (int)(closeTime.TotalMilliseconds * 0.8))));
                await Task.Delay(delay, ct);
                running.Kill();
                running.Dispose();
                var status = await StatusAsync(crashed, ct);
                killedMidRun += status is CloseStatus.Succeeded ? 0 : 1;
                output.WriteLine($"kill {kill + 1} of {kills} after {delay.TotalMilliseconds:0} ms: the run was {status}");
                running = await StartAsync(crashed, address, ct);
            }

            await WaitSucceededAsync(operatorClient, ct);
            Assert.True(killedMidRun > 0, "no kill landed inside the run; the test proved nothing (replay with another seed)");
        }
        finally
        {
            running.Dispose();
        }

        var actual = await FactsAsync(crashed, ct);
        Assert.Equal(expected.Invoices, actual.Invoices);
        Assert.Equal(expected.Files, actual.Files);
        var numbers = actual.Invoices.Select(i => i.Number).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(1, numbers.Count).Select(n => "G" + n.ToString("D9", System.Globalization.CultureInfo.InvariantCulture)), numbers);
    }

    private static async Task<ServerProcess> StartAsync(TestDatabase database, Uri address, CancellationToken ct)
    {
        var arguments = new List<string> { "--urls", address.ToString().TrimEnd('/'), "--data-dir", database.DataDirectory, "--demo", "true", "--demo-month", "true" };
        if (database.DatabaseOption is { } connectionString)
        {
            arguments.AddRange(["--database", connectionString]);
        }

        var process = ServerProcess.Start([.. arguments]);
        await process.WaitReadyAsync(address, ct);
        return process;
    }

    /// <summary>A client signed in as the operator's Global admin (once per database: a TOTP step is accepted once).</summary>
    private static async Task<HttpClient> OperatorClientAsync(Uri address, CancellationToken ct)
    {
        var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        {
            using var response = await http.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password",
                ["client_id"] = "paygo-cli",
                ["username"] = TestUsers.OperatorAdmin.Email,
                ["password"] = DemoUsers.Password,
                ["otp"] = TestUsers.Code(TestUsers.OperatorAdmin),
            }), ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.IsSuccessStatusCode, $"the operator's sign-in was refused: {text}");
            using var json = JsonDocument.Parse(text);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("access_token").GetString());
            return http;
        }
    }

    /// <summary>The demo month's records of <paramref name="month"/> again, <see cref="ExtraCopies"/> times, each copy on resources of its own, through the usage API.</summary>
    private static async Task PostExtraUsageAsync(Uri address, string month, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(120) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await UsageTestData.UsageFeedTokenAsync(http, ct));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var (prices, streams) = DemoMonth.Generate(today);
        var records = DemoUsage.Records(prices, streams, today).Where(r => r.UsageDate!.StartsWith(month, StringComparison.Ordinal)).ToList();
        var copies = Enumerable.Range(1, ExtraCopies).SelectMany(copy => records.Select(r => new Dictionary<string, object?>
        {
            ["id"] = $"{r.Id}-x{copy}",
            ["entitlementId"] = r.EntitlementId,
            ["resourceUri"] = $"{r.ResourceUri}-x{copy}",
            ["meterId"] = r.MeterId,
            ["usageDate"] = r.UsageDate,
            ["quantity"] = decimal.Parse(r.Quantity!, System.Globalization.CultureInfo.InvariantCulture),
            ["location"] = r.Location,
        }));
        foreach (var batch in copies.Chunk(1000))
        {
            using var response = await http.PostAsJsonAsync("/v1/usage", batch, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            using var json = JsonDocument.Parse(text);
            Assert.All(json.RootElement.GetProperty("items").EnumerateArray(), i => Assert.Equal("accepted", i.GetProperty("status").GetString()));
        }
    }

    private static async Task StartCloseAsync(HttpClient http, string month, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("/v1/billing/closes", new { month }, ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static async Task WaitSucceededAsync(HttpClient http, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            HttpResponseMessage response;
            try
            {
                response = await http.GetAsync("/v1/billing/closes", ct);
            }
            catch (HttpRequestException)
            {
                // A pooled connection to the killed process.
                await Task.Delay(100, ct);
                continue;
            }

            using var _ = response;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            var run = json.RootElement.GetProperty("items").EnumerateArray().Single();
            var status = run.GetProperty("status").GetString();
            Assert.NotEqual("failed", status);
            if (status == "succeeded")
            {
                return;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(5), $"the close did not finish: {run}");
            await Task.Delay(100, ct);
        }
    }

    /// <summary>Watches the run in the database (every few milliseconds) until it reaches <paramref name="status"/> or a later one.</summary>
    private static async Task WaitForStatusAsync(TestDatabase database, string status, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var now = await StatusAsync(database, ct);
            Assert.NotEqual(CloseStatus.Failed, now);
            if (now == status || now == CloseStatus.Succeeded)
            {
                return;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(5), $"the close did not reach {status}: it is {now}");
            await Task.Delay(5, ct);
        }
    }

    private static async Task<string> StatusAsync(TestDatabase database, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        return await db.CloseRuns.Select(r => r.Status).SingleOrDefaultAsync(ct) ?? CloseStatus.NotStarted;
    }

    private static async Task<(List<InvoiceFacts> Invoices, List<string> Files)> FactsAsync(TestDatabase database, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var invoices = (await db.Invoices.AsNoTracking().ToListAsync(ct))
            .Select(i => new InvoiceFacts(i.Number ?? "(none)", i.PartnerId, i.Currency, i.Subtotal, i.TaxTotal, i.Total, i.LineCount, i.UsageCount))
            .OrderBy(i => i.Number, StringComparer.Ordinal).ToList();
        var files = (await db.InvoiceFiles.AsNoTracking().Join(db.Invoices, f => f.InvoiceKey, i => i.Key, (f, i) => new { i.Number, f.Kind, f.Sha256 }).ToListAsync(ct))
            .Select(f => $"{f.Number} {f.Kind} {f.Sha256}").Order(StringComparer.Ordinal).ToList();
        return (invoices, files);
    }
}
