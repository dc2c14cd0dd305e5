using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Demo;
using Paygo.Core.Usage;
using Paygo.Testing;
using static Paygo.Testing.UsageTestData;

namespace Paygo.Server.Tests;

/// <summary>
/// PROMISES M1: an acked usage record is stored exactly once, even if the server is killed. 10,000
/// records posted by 16 concurrent clients (5 % of ids sent again with the same body, 1 % with
/// another body), the server process SIGKILLed at a random moment and started again on the same
/// database, the clients retrying every batch that was not acked. The seed is printed; set
/// PAYGO_TEST_SEED to replay a run.
/// </summary>
public sealed class UsageCrashTests(ITestOutputHelper output)
{
    private const int Records = 10_000;
    private const int Clients = 16;
    private const int BatchSize = 50;

    /// <summary>One record sent: its id, its quantity (the body that differs for a conflicting repeat) and where it goes.</summary>
    private sealed record Send(string Id, Guid Entitlement, decimal Quantity);

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task KilledMidIngestion_EveryAckedRecordIsStoredOnce_AndEveryConflictIsReported(string engine)
    {
        var ct = TestContext.Current.CancellationToken;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PAYGO_TEST_SEED"), out var fixedSeed) ? fixedSeed : Random.Shared.Next();
        output.WriteLine($"UsageCrashTests seed {seed} ({engine}); replay with PAYGO_TEST_SEED={seed}");
        var random = new Random(seed);

        await using var database = await TestDatabase.CreateAsync(engine);
        var port = ServerProcess.FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var arguments = new List<string> { "--urls", address.ToString().TrimEnd('/'), "--data-dir", database.DataDirectory, "--demo", "true", "--demo-month", "false" };
        if (database.DatabaseOption is { } connectionString)
        {
            arguments.AddRange(["--database", connectionString]);
        }

        var server = ServerProcess.Start([.. arguments]);
        try
        {
            await server.WaitReadyAsync(address, ct);
            await SeedDemoPricesAsync(database);

            // 10,000 ids over the two demo Azure subscriptions; 5 % sent twice with the same body, 1 % twice with another.
            var entitlements = new[] { DemoCommerce.TailspinAzureSubscriptionId, DemoCommerce.LitwareAzureSubscriptionId };
            var originals = Enumerable.Range(0, Records)
                .Select(i => new Send($"crash-{i:D5}", entitlements[i % 2], decimal.Round((decimal)(random.NextDouble() * 100), 4) + 0.0001m)).ToList();
            var ids = originals.Select((s, i) => i).OrderBy(_ => random.Next()).ToList();
            var sameBody = ids.Take(Records * 5 / 100).Select(i => originals[i]).ToList();
            var otherBody = ids.Skip(sameBody.Count).Take(Records / 100).Select(i => originals[i] with { Quantity = originals[i].Quantity + 1 }).ToList();
            var sends = originals.Concat(sameBody).Concat(otherBody).OrderBy(_ => random.Next()).ToList();
            var batches = new ConcurrentQueue<Send[]>(sends.Chunk(BatchSize));
            var totalBatches = batches.Count;
            var killAfter = random.Next(totalBatches / 10, totalBatches * 7 / 10);
            output.WriteLine($"{sends.Count} records in {totalBatches} batches; the server is killed after {killAfter} acked batches");

            // Every acked answer, per send (a record sent twice has two answers).
            var answers = new ConcurrentBag<(Send Send, string Status)>();
            var acked = 0;
            var killed = 0;
            var retries = 0;
            using var tokenClient = new HttpClient { BaseAddress = address };
            var token = await UsageFeedTokenAsync(tokenClient, ct);

            async Task ClientAsync()
            {
                using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                while (batches.TryDequeue(out var batch))
                {
                    var body = batch.Select(s => Record(s.Id, s.Entitlement, Today, s.Quantity)).ToArray();
                    while (true)
                    {
                        try
                        {
                            using var response = await http.PostAsJsonAsync("/v1/usage", body, ct);
                            if (response.StatusCode == HttpStatusCode.OK)
                            {
                                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                                var items = json.RootElement.GetProperty("items").EnumerateArray().ToList();
                                Assert.Equal(batch.Length, items.Count);
                                for (var i = 0; i < batch.Length; i++)
                                {
                                    answers.Add((batch[i], items[i].GetProperty("status").GetString()!));
                                }

                                if (Interlocked.Increment(ref acked) == killAfter && Interlocked.Exchange(ref killed, 1) == 0)
                                {
                                    // SIGKILL with other clients' batches in flight, then the same server on the same database again.
                                    server.Kill();
                                    server.Dispose();
                                    server = ServerProcess.Start([.. arguments]);
                                }

                                break;
                            }

                            // 429 under the partner's concurrency limit, 503 while starting: not acked, so sent again.
                            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(100), ct);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(200, ct);
                        }
                        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
                        {
                            await Task.Delay(200, ct);
                        }

                        Interlocked.Increment(ref retries);
                    }
                }
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(ClientAsync, ct)));
            output.WriteLine($"all {totalBatches} batches acked in {clock.Elapsed.TotalSeconds:0.0} s (restart included); {retries} retries; killed: {killed == 1}");
            Assert.Equal(1, killed);

            await using var db = database.CreateContext();
            var stored = await db.UsageRecords.AsNoTracking().Select(r => new { r.RecordId, r.Quantity }).ToListAsync(ct);

            // Exactly once: one row per id (the key makes two impossible; a lost one shows here).
            Assert.Equal(Records, stored.Count);
            var storedQuantity = stored.ToDictionary(r => r.RecordId, r => r.Quantity);
            var failures = new List<string>();
            foreach (var group in answers.GroupBy(a => a.Send.Id))
            {
                if (!storedQuantity.TryGetValue(group.Key, out var quantity))
                {
                    failures.Add($"{group.Key} was acked ({string.Join(", ", group.Select(a => a.Status))}) but is not stored");
                    continue;
                }

                if (group.Count(a => a.Status == UsageStatus.Accepted) > 1)
                {
                    failures.Add($"{group.Key} was accepted twice");
                }

                foreach (var (send, status) in group)
                {
                    // An acked accepted or duplicate is the stored body; any other body was reported as a conflict.
                    var expected = send.Quantity == quantity ? new[] { UsageStatus.Accepted, UsageStatus.Duplicate } : [UsageStatus.Conflict];
                    if (!expected.Contains(status))
                    {
                        failures.Add($"{send.Id} with quantity {send.Quantity} was answered {status}; stored quantity {quantity}");
                    }
                }
            }

            Assert.Equal(sends.Count, answers.Count);
            Assert.Equal(otherBody.Count, answers.Count(a => a.Status == UsageStatus.Conflict));
            Assert.Empty(failures);
        }
        finally
        {
            server.Dispose();
        }
    }
}
