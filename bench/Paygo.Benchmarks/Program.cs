using BenchmarkDotNet.Running;
using Paygo.Benchmarks;

// Micro benchmarks:  dotnet run -c Release --project bench/Paygo.Benchmarks -- --filter '*'
// Import harness:    dotnet run -c Release --project bench/Paygo.Benchmarks -- import [--rows 1000000] [--postgres "Host=..."]
// PEC per CPU-second: dotnet run -c Release --project bench/Paygo.Benchmarks -- pec [--rounds 5]
// Fairness (S9):     dotnet run -c Release --project bench/Paygo.Benchmarks -- fairness [--seconds 20] [--postgres "Host=..."] [--out fairness.json]
// Ingest (P2):      dotnet run -c Release --project bench/Paygo.Benchmarks -- ingest [--records 200000] [--connections 4] [--postgres "Host=..."] [--out ingest.json]
// Reads (P3):        dotnet run -c Release --project bench/Paygo.Benchmarks -- reads [--seconds 60] [--connections 32] [--postgres "Host=..."] [--out reads.json]
// Rating race (P1):  dotnet run -c Release --project bench/Paygo.Benchmarks -- rating [--rows 10000000] [--dir path] [--out rating.json] [--keep]
// Month close (P4):  dotnet run -c Release --project bench/Paygo.Benchmarks -- close [--scale 1] [--partners 10] [--postgres "Host=..."] [--out close.json]
// Reconcile:         dotnet run -c Release --project bench/Paygo.Benchmarks -- reconcile [--rows 1000000] [--dir path]
if (args.Length > 0 && args[0] == "rating")
{
    return RatingHarness.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "import")
{
    return await ImportHarness.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "pec")
{
    return PecHarness.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "fairness")
{
    return await FairnessHarness.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "ingest")
{
    return await IngestHarness.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "reads")
{
    return await ReadsHarness.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "close")
{
    return await CloseHarness.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "reconcile")
{
    return ReconcileHarness.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(ValidationBenchmarks).Assembly).Run(args);
return 0;
