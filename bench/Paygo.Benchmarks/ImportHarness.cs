using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Paygo.Core;
using Paygo.Core.Audit;
using Paygo.Core.Pricing;
using Paygo.Core.Storage;
using Paygo.Data.Postgres;
using Paygo.Data.Sqlite;
using Paygo.Rating.Pricing;

namespace Paygo.Benchmarks;

/// <summary>
/// End-to-end harness for issue 5's budget: import a generated price list of N rows (default
/// 1,000,000) through <see cref="PriceListStore"/> — parse, validate, bulk insert, commit — on a
/// fresh SQLite file and, given a connection string, on PostgreSQL; then re-import (replace) the
/// month. One timed run per step, as an operator's import is; BenchmarkDotNet's repetitions would
/// take many minutes at this size.
/// <code>dotnet run -c Release --project bench/Paygo.Benchmarks -- import [--rows 1000000] [--postgres "Host=...;Database=postgres"]</code>
/// </summary>
public static class ImportHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = int.Parse(HarnessSupport.Option(args, "--rows") ?? "1000000", CultureInfo.InvariantCulture);
        var postgres = HarnessSupport.Option(args, "--postgres") ?? Environment.GetEnvironmentVariable("PAYGO_TEST_POSTGRES");
        var folder = Directory.CreateTempSubdirectory("paygo-import-bench-").FullName;
        try
        {
            var file = Path.Combine(folder, "pricelist.csv");
            var clock = Stopwatch.StartNew();
            await using (var output = File.Create(file))
            {
                PriceListFile.Write(output, PriceListGenerator.Generate(rows, seed: 42, market: "US", month: new DateOnly(2026, 11, 1)));
            }

            Console.WriteLine($"generated {rows:N0} rows, {new FileInfo(file).Length / (1024.0 * 1024):N0} MiB, in {clock.Elapsed.TotalSeconds:N1} s");
            await ImportTwiceAsync(new SqliteEngine(), $"Data Source={Path.Combine(folder, "paygo.db")}", file);
            if (!string.IsNullOrWhiteSpace(postgres))
            {
                var database = $"paygo_bench_{Guid.NewGuid():N}";
                await ImportTwiceAsync(new PostgresEngine(), HarnessSupport.WithDatabase(postgres, database), file, cleanUp: () => HarnessSupport.DropAsync(postgres, database));
            }
            else
            {
                Console.WriteLine("PostgreSQL: skipped (give --postgres or PAYGO_TEST_POSTGRES)");
            }

            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task ImportTwiceAsync(IStorageEngine engine, string connectionString, string file, Func<Task>? cleanUp = null)
    {
        var settings = new StorageSettings(engine, connectionString);
        var options = new DbContextOptionsBuilder<PaygoDbContext>();
        engine.Configure(options, connectionString);
        try
        {
            await using (var setup = new PaygoDbContext(options.Options))
            {
                await DatabaseSetup.MigrateAsync(setup, settings, seedDemo: false, CancellationToken.None);
            }

            foreach (var step in new[] { "import", "re-import (replace)" })
            {
                await using var db = new PaygoDbContext(options.Options);
                var store = new PriceListStore(db, settings, new AuditTrail(db, TimeProvider.System, new FixedActor(Actor.System), AuditAnchorKey.LoadOrCreate(settings.KeysDirectory)), TimeProvider.System);
                await using var input = File.OpenRead(file);
                var clock = Stopwatch.StartNew();
                var outcome = await store.ImportAsync(Paygo.Core.Users.Caller.OperatorSystem, input, Paygo.Core.Markets.Market.Parse("US"), new BillingMonth(2026, 11), "bench", progress: null, CancellationToken.None);
                clock.Stop();
                if (outcome.PriceList is null)
                {
                    throw new InvalidOperationException($"The generated list was refused: {outcome.Problems?.Description}");
                }

                Console.WriteLine($"{engine.Name,-10} {step,-20} {outcome.PriceList.RowCount:N0} rows in {clock.Elapsed.TotalSeconds:N1} s ({outcome.PriceList.RowCount / clock.Elapsed.TotalSeconds:N0} rows/s)");
            }
        }
        finally
        {
            if (cleanUp is not null)
            {
                await cleanUp();
            }
        }
    }

}
