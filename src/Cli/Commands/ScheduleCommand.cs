using System.CommandLine;
using System.Globalization;
using TrainKit.Schedulers.Config;
using TrainKit.Schedulers.Golden;
using TrainKit.Training.Plots;

namespace TrainKit.Cli.Commands;

/// <summary>`trainkit schedule plot|csv|replay|kinds`: look at schedules and check them against PyTorch.</summary>
public static class ScheduleCommand
{
    const string SpecHelp = "Schedules: a .json spec (or golden) file, inline JSON, or Kind:name=value,... e.g. CosineAnnealingLR:T_max=100";

    public static Command Create()
    {
        var command = new Command("schedule", "Plot, tabulate and verify learning-rate schedules.");
        command.Subcommands.Add(Plot());
        command.Subcommands.Add(Csv());
        command.Subcommands.Add(Replay());
        command.Subcommands.Add(Differential());
        command.Subcommands.Add(Kinds());
        return command;
    }

    const int MaxSampledSteps = 1_000_000;

    sealed record SamplingOptions(Argument<string[]> Specs, Option<int> Steps, Option<double> Lr, Option<double> WeightDecay, Option<double> Momentum)
    {
        public static SamplingOptions Create() => new(
            new Argument<string[]>("schedules") { Description = SpecHelp, Arity = ArgumentArity.OneOrMore },
            new Option<int>("--steps") { Description = "Steps to sample.", DefaultValueFactory = _ => 100 },
            new Option<double>("--lr") { Description = "Base learning rate.", DefaultValueFactory = _ => 0.1 },
            new Option<double>("--weight-decay") { Description = "Base weight decay (shown when the spec co-schedules it).", DefaultValueFactory = _ => 5e-4 },
            new Option<double>("--momentum") { Description = "Base SGD momentum (shown when the spec co-schedules it).", DefaultValueFactory = _ => 0.9 });

        public void AddTo(Command c) { c.Arguments.Add(Specs); c.Options.Add(Steps); c.Options.Add(Lr); c.Options.Add(WeightDecay); c.Options.Add(Momentum); }

        public IReadOnlyList<ScheduleTrajectory> Sample(ParseResult parse)
        {
            int steps = parse.GetValue(Steps);
            // Bounded: every step is sampled and held in memory (a plot of 2e9 steps would exhaust it).
            if (steps < 1 || steps > MaxSampledSteps) throw new ArgumentException($"--steps must be in [1, {MaxSampledSteps}], got {steps}");
            return parse.GetValue(Specs)!.Select(text => ScheduleTrajectory.Sample(ScheduleSpecText.Parse(text), steps,
                parse.GetValue(Lr), parse.GetValue(WeightDecay), parse.GetValue(Momentum), Label(text))).ToArray();
        }

        static string Label(string text) => text.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? Path.GetFileNameWithoutExtension(text) : text;
    }

    static Command Plot()
    {
        var sampling = SamplingOptions.Create();
        var output = new Option<string>("--out", "-o") { Description = "Image to write (.png or .svg).", Required = true };
        var title = new Option<string>("--title") { Description = "Plot title.", DefaultValueFactory = _ => "Learning-rate schedules" };
        var command = new Command("plot", "Plot schedules overlaid (lr, and co-scheduled momentum / weight decay) to PNG or SVG.") { output, title };
        sampling.AddTo(command);
        command.SetAction(parse =>
        {
            var trajectories = sampling.Sample(parse);
            string path = parse.GetValue(output)!;
            SchedulePlot.Save(SchedulePlot.Build(trajectories, parse.GetValue(title)!), path);
            parse.InvocationConfiguration.Output.WriteLine($"wrote {path}");
            return 0;
        });
        return command;
    }

    static Command Csv()
    {
        var sampling = SamplingOptions.Create();
        var output = new Option<string?>("--out", "-o") { Description = "CSV file to write (default: standard output)." };
        var command = new Command("csv", "Write schedules as CSV: schedule,step,time,lr,weight_decay,momentum.") { output };
        sampling.AddTo(command);
        command.SetAction(parse =>
        {
            var trajectories = sampling.Sample(parse);
            string? path = parse.GetValue(output);
            using var file = path is null ? null : new StreamWriter(path);
            TextWriter writer = file ?? parse.InvocationConfiguration.Output;
            writer.WriteLine("schedule,step,time,lr,weight_decay,momentum");
            foreach (var t in trajectories)
                for (int k = 0; k < t.Steps.Length; k++)
                    writer.WriteLine(string.Join(',', Quote(t.Label), N(t.Steps[k]), N(t.Time[k]), N(t.Lr[k]),
                        t.WeightDecay is null ? "" : N(t.WeightDecay[k]), t.Momentum is null ? "" : N(t.Momentum[k])));
            return 0;
        });
        return command;
    }

    static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    static string Quote(string s) => s.Contains(',') || s.Contains('"') ? $"\"{s.Replace("\"", "\"\"")}\"" : s;

    static Command Replay()
    {
        var files = new Argument<string[]>("files")
        {
            Description = "Fixture files (or folders of them) to replay; default: the repository's tests/fixtures/schedulers " +
                          "(found from the current folder or beside the app; TRAINKIT_GOLDEN overrides).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("replay",
            "Replay recorded PyTorch trajectories on real TorchSharp optimizers; exit 1 if any lr or momentum is off by more than " +
            "1e-12 relative (1e-15 absolute)..") { files };
        command.SetAction(parse =>
        {
            var given = parse.GetValue(files) ?? [];
            var paths = (given.Length > 0 ? given : [FixtureFolder.Require(Environment.CurrentDirectory, AppContext.BaseDirectory)])
                .SelectMany(Expand).ToArray();
            var results = paths.Select(path => (path, result: GoldenReplay.Run(GoldenFile.Load(path)))).ToArray();
            ReplayReport.Write(parse.InvocationConfiguration.Output, results.Select(r => (Path.GetFileName(r.path), r.result)).ToArray());
            return results.Any(r => !r.result.Passed) ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    static Command Differential()
    {
        var cases = new Option<int>("--cases") { Description = "How many random cases to draw.", DefaultValueFactory = _ => 300 };
        var seed = new Option<int>("--seed") { Description = "Seed of the case generator (same seed, same cases).", DefaultValueFactory = _ => 1 };
        var python = new Option<string>("--python") { Description = "Python with PyTorch (Debian: apt-get install python3-torch).", DefaultValueFactory = _ => DifferentialLane.DefaultPython };
        var all = new Option<bool>("--all") { Description = "Print every case, not only the disagreements." };
        var command = new Command("differential",
            "Draw random valid schedules from a seed, run each in PyTorch (tools/golden/driver.py) and on TrainKit's TorchSharp optimizers, " +
            "and compare every lr and momentum to 1e-12 relative (1e-15 absolute); exit 1 on any mismatch.")
            { cases, seed, python, all };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var summary = DifferentialLane.Run(parse.GetValue(cases), parse.GetValue(seed), parse.GetValue(python)!);
            var shown = parse.GetValue(all) ? summary.Results : summary.Results.Where(r => !r.Result.Passed).ToArray();
            ReplayReport.Write(output, shown.Select(r => (r.Case.Name, r.Result)).ToArray());
            output.WriteLine($"differential: {summary.Cases} cases, seed {summary.Seed}, {summary.TorchVersion}: {summary.Agreed} agree, " +
                             $"{summary.Mismatches.Count} mismatches");
            // Which behaviours the draw reached, so a shrinking category is visible in CI's log.
            output.WriteLine("  by category: " + string.Join(", ", summary.Results.GroupBy(r => r.Case.Category).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key} {g.Count(r => r.Result.Passed)}/{g.Count()}")));
            return summary.Mismatches.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    static IEnumerable<string> Expand(string path) =>
        Directory.Exists(path) ? FixtureFolder.Files(path)
        : File.Exists(path) ? [path]
        : throw new FileNotFoundException($"golden file not found: {path}", path);

    static Command Kinds()
    {
        var kindArg = new Argument<string?>("kind") { Description = "Show one kind's parameters.", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print the metadata as JSON (for tools and UIs)." };
        var command = new Command("kinds", "List schedule kinds and their parameters.") { kindArg, json };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            string? only = parse.GetValue(kindArg);
            var kinds = only is null ? ScheduleCatalog.Kinds : [ScheduleCatalog.Describe(only)];
            if (parse.GetValue(json))
            {
                output.WriteLine(ScheduleCatalog.MetadataJson(kinds));
                return 0;
            }
            foreach (var kind in kinds)
            {
                output.WriteLine($"{kind.Name}: {kind.Description}");
                foreach (var p in kind.Parameters)
                {
                    string dflt = p.Required ? "required" : p.DefaultNote ?? $"default {Convert.ToString(p.Default, CultureInfo.InvariantCulture)}";
                    string range = p.Choices is { } c ? string.Join("|", c) : p.RangeText;
                    output.WriteLine($"  {p.Name,-20} {p.Unit.ToString().ToLowerInvariant(),-8} {range,-12} {dflt,-30} {p.Description}");
                }
            }
            return 0;
        });
        return command;
    }
}
