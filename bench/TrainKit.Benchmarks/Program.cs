// Runs TrainKit's BenchmarkDotNet suites, e.g.
//   dotnet run -c Release --project bench/TrainKit.Benchmarks -- --filter '*Scheduler*'
// or the sharpness console report (values and HVP counts of every estimator on one trained small model):
//   dotnet run -c Release --project bench/TrainKit.Benchmarks -- sharpness [analysis-examples] [output-folder]
using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "sharpness")
    return TrainKit.Benchmarks.SharpnessReport.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
