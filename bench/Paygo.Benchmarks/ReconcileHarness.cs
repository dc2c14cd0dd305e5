using System.Diagnostics;
using System.Globalization;
using System.Text;
using Paygo.Rating.Files;
using Paygo.Rating.Reconcile;

namespace Paygo.Benchmarks;

/// <summary>
/// <c>reconcile</c> harness (issue 13 point 6, docs/adr/0038): writes a pair of 55-column daily
/// rated usage files (<c>--rows</c>, one million by default; every 100th row of the second file
/// changed, every 1,000th left out) and times <see cref="DailyFileReconciler"/> over them,
/// printing wall and CPU seconds, rows per second and the process's peak memory.
/// </summary>
internal static class ReconcileHarness
{
    public static int Run(string[] args)
    {
        var rows = 1_000_000L;
        string? dir = null;
        for (var i = 0; i < args.Length - 1; i++)
        {
            switch (args[i])
            {
                case "--rows":
                    rows = long.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--dir":
                    dir = args[++i];
                    break;
            }
        }

        var folder = dir ?? Directory.CreateTempSubdirectory("paygo-reconcile-").FullName;
        var expected = Path.Combine(folder, "expected.csv");
        var actual = Path.Combine(folder, "actual.csv");
        var changed = Generate(expected, actual, rows);
        Console.WriteLine(Invariant($"{rows:N0} rows per file, {new FileInfo(expected).Length / 1e6:F0} MB and {new FileInfo(actual).Length / 1e6:F0} MB; {changed:N0} keys changed or left out"));

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        ReconcileResult result;
        using (var e = File.OpenRead(expected))
        using (var a = File.OpenRead(actual))
        {
            result = DailyFileReconciler.Reconcile(e, a);
        }

        clock.Stop();
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        Console.WriteLine(Invariant($"keys {result.Keys:N0}, differing {result.Differences.Count:N0}, groups with a difference {result.Report.Count:N0}"));
        Console.WriteLine(Invariant($"wall {clock.Elapsed.TotalSeconds:F2} s, CPU {cpu:F2} s, {2 * rows / clock.Elapsed.TotalSeconds:N0} rows/s (both files), peak working set {process.PeakWorkingSet64 / (1 << 20):N0} MiB"));
        if (dir is null)
        {
            Directory.Delete(folder, recursive: true);
        }

        return result.Differences.Count == changed ? 0 : 1;
    }

    // 2,000 Azure subscriptions, 20 resources each, 50 meters, 30 days: one row per key, so keys = rows.
    private static long Generate(string expectedPath, string actualPath, long rows)
    {
        using var expected = new StreamWriter(expectedPath, false, CsvText.Utf8NoBom, 1 << 20);
        using var actual = new StreamWriter(actualPath, false, CsvText.Utf8NoBom, 1 << 20);
        var header = string.Join(',', DailyRatedUsageFile.Table.Header);
        expected.Write(header + CsvText.NewLine);
        actual.Write(header + CsvText.NewLine);
        var index = DailyRatedUsageFile.Table.Header.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i);
        var cells = new string[DailyRatedUsageFile.Table.Count];
        var line = new StringBuilder(1024);
        long changed = 0;
        for (long r = 0; r < rows; r++)
        {
            var day = (int)(r % 30);
            var meter = (int)(r / 30 % 50);
            var resource = (int)(r / 1500 % 20);
            var subscription = (int)(r / 30000);
            var quantity = 1 + (r % 97 / 4m);
            var price = 0.01m * (1 + (meter % 13));
            const decimal rate = 0.924898261m;
            Array.Fill(cells, string.Empty);
            cells[index["PartnerId"]] = "5a4e3b2c-1d0e-4f9a-8b7c-6d5e4f3a2b10";
            cells[index["PartnerName"]] = "Adatum CSP";
            cells[index["CustomerId"]] = Invariant($"{subscription / 3:x8}-6375-4000-8000-000000000000");
            cells[index["CustomerName"]] = Invariant($"Customer {subscription / 3}");
            cells[index["CustomerCountry"]] = "US";
            cells[index["MPNID"]] = "1234567";
            cells[index["SubscriptionId"]] = Invariant($"{subscription / 3:x8}-706c-4000-8000-000000000000");
            cells[index["ChargeStartDate"]] = "11/1/2026 12:00:00 AM";
            cells[index["ChargeEndDate"]] = "11/30/2026 12:00:00 AM";
            cells[index["UsageDate"]] = Invariant($"11/{day + 1}/2026 12:00:00 AM");
            cells[index["MeterId"]] = Invariant($"{meter:x8}-6d65-4000-8000-000000000000");
            cells[index["MeterName"]] = Invariant($"Meter {meter}");
            cells[index["ResourceURI"]] = Invariant($"/subscriptions/{subscription:x8}-7375-4000-8000-000000000000/resourceGroups/rg-{resource % 4}/providers/Microsoft.Compute/virtualMachines/vm-{resource}");
            cells[index["Tags"]] = "\"{\"\"env\"\":\"\"prod\"\"}\"";
            cells[index["EntitlementId"]] = Invariant($"{subscription:x8}-7375-4000-8000-000000000000");
            WriteRow(expected, cells, index, line, quantity, price, 15, rate);

            if (r % 1000 == 999)
            {
                changed++; // left out of the actual file
                continue;
            }

            if (r % 100 == 7)
            {
                changed++;
                WriteRow(actual, cells, index, line, quantity, price, 0, rate); // PEC lost
                continue;
            }

            WriteRow(actual, cells, index, line, quantity, price, 15, rate);
        }

        return changed;
    }

    private static void WriteRow(StreamWriter writer, string[] cells, Dictionary<string, int> index, StringBuilder line, decimal quantity, decimal price, decimal pec, decimal rate)
    {
        var effective = price * (1 - (pec / 100));
        var pricing = quantity * effective;
        cells[index["Quantity"]] = Invariant($"{quantity}");
        cells[index["UnitPrice"]] = Invariant($"{price}");
        cells[index["EffectiveUnitPrice"]] = Invariant($"{effective}");
        cells[index["PricingPreTaxTotal"]] = Invariant($"{pricing}");
        cells[index["PCToBCExchangeRate"]] = Invariant($"{rate}");
        cells[index["BillingPreTaxTotal"]] = Invariant($"{pricing * rate}");
        cells[index["PartnerEarnedCreditPercentage"]] = Invariant($"{pec}");
        line.Clear();
        line.AppendJoin(',', cells);
        line.Append(CsvText.NewLine);
        writer.Write(line);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
