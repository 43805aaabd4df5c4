// Runs TrainKit's BenchmarkDotNet suites, e.g.
//   dotnet run -c Release --project bench/TrainKit.Benchmarks -- --filter '*Scheduler*'
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
