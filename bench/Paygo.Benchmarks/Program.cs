using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Paygo.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Paygo.Benchmarks.ValidationBenchmarks).Assembly).Run(args);
