using System.Diagnostics;
using System.Globalization;

namespace Paygo.Benchmarks;

/// <summary>
/// The <see cref="PecBenchmarks"/> workloads timed by CPU time as well as wall time. On a
/// shared machine BenchmarkDotNet's wall-clock mean counts the time other processes hold the
/// core; decisions per CPU-second is the per-core figure the budget (≥ 5 million/s) is about.
/// </summary>
internal static class PecHarness
{
    public static int Run(string[] args)
    {
        var rounds = args.Length > 1 && args[0] == "--rounds" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var bench = new PecBenchmarks();
        bench.Setup();
        Console.WriteLine($"{PecBenchmarks.DecisionsPerInvoke:N0} decisions per round, {rounds} rounds after one warm-up");
        Measure("SubscriptionByResourceByDay", bench.SubscriptionByResourceByDay, rounds);
        Measure("DayByResource", bench.DayByResource, rounds);
        return 0;
    }

    private static void Measure(string name, Func<int> workload, int rounds)
    {
        workload();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var checksum = 0L;
        for (var i = 0; i < rounds; i++)
        {
            checksum += workload();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        wall.Stop();
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var decisions = (double)PecBenchmarks.DecisionsPerInvoke * rounds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-28} {decisions / cpu / 1e6,6:F1} M decisions per CPU-second ({cpu * 1e9 / decisions:F1} ns each), {decisions / wall.Elapsed.TotalSeconds / 1e6,6:F1} M per wall second, {allocated} bytes allocated, checksum {checksum}"));
    }
}
