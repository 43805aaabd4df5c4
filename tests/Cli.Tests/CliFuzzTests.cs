using System.Text.Json.Nodes;
using TrainKit.Schedulers.Config;
using TrainKit.Training.Config;
using Xunit.Abstractions;

namespace TrainKit.Cli.Tests;

/// <summary>
/// A seeded fuzzer over the command line (issue #16's campaign, in the repo): hostile values for the flags of
/// <c>train</c>, every configuration key through <c>--set</c>, every schedule parameter through <c>schedule csv</c>,
/// the sweep flags of <c>compare --list-cells</c>, and RUN_DIR, --format and --out of <c>export</c>. Each invocation must exit 0, 2 or 3, print no stack trace
/// without <c>--verbose</c>, and name the flag, key or parameter when it refuses (exit 2). Commands are chosen so
/// that an accepted value does no long work (<c>--print-config</c>, 5-step CSVs, <c>--list-cells</c>, exporting an
/// untrained ResNet-20 at width 0.25).
/// Full size: <c>TRAINKIT_FUZZ_VALUES=14</c> tries every hostile value per target instead of a seeded sample.
/// </summary>
public class CliFuzzTests(ITestOutputHelper output)
{
    static readonly string[] HostileText =
        ["", "abc", "-1", "0", "1e308", "-1e308", "NaN", "Infinity", "2147483648", "9223372036854775808", "0.5", "../..", "/dev/zero", new string('x', 5000)];

    static readonly string[] HostileJson =
        ["null", "\"x\"", "true", "-1", "0", "1e308", "1e39", "2147483648", "[]", "{}", "\"NaN\"", "0.5", "[1,2]", "\"../..\""];

    sealed record Case(string Target, string[] Args);

    static IEnumerable<Case> Cases(Random random, int perTarget)
    {
        IEnumerable<T> Sample<T>(T[] values) => values.OrderBy(_ => random.Next()).Take(perTarget);
        string scratch = Directory.CreateTempSubdirectory("trainkit-fuzz-").FullName;

        foreach (string flag in new[] { "--steps", "--epochs", "--seed", "--device", "--checkpoint-every", "--data", "--config", "--resume" })
            foreach (string value in Sample(HostileText))
                yield return new(flag, ["train", "--print-config", flag, value]);

        var defaults = JsonNode.Parse(RunConfigJson.Serialize(new RunConfig()))!.AsObject();
        foreach (string key in Leaves(defaults))
            foreach (string value in Sample(HostileJson))
                yield return new(key, ["train", "--print-config", "--set", $"{key}={value}"]);

        // Optional blocks the default leaves out (written only when set): their keys through --set as well.
        var optional = JsonNode.Parse(RunConfigJson.Serialize(new RunConfig { Ema = new EmaConfig(), Threads = 2, Determinism = true }))!.AsObject();
        foreach (string key in Leaves(optional).Where(k => k.StartsWith("ema.", StringComparison.Ordinal) || k is "threads" or "determinism"))
            foreach (string value in Sample(HostileJson))
                yield return new(key, ["train", "--print-config", "--set", $"{key}={value}"]);

        // The default model is a ResNet: every other kind's keys, each on a task that builds that model.
        foreach (var family in Enum.GetValues<TrainKit.Models.ModelFamily>().Where(f => f != new RunConfig().Model.Family))
        {
            var model = (ModelConfig)Activator.CreateInstance(ModelKinds.ConfigType(family))!;
            string task = model is GptModelConfig ? "transformer-text" : "resnet-fashion-mnist";
            foreach (string key in ModelKinds.Keys(family).Where(k => k != "name"))
                foreach (string value in Sample(HostileJson))
                    yield return new($"model.{key}", ["train", "--print-config", "--set", $"task={task}", "--set", $"model.name={model.Name}", "--set", $"model.{key}={value}"]);
        }

        // Keys every model accepts and writes only when set (model.init_from), on the default model.
        foreach (string key in ModelKinds.OptionalKeys)
            foreach (string value in Sample(HostileJson))
                yield return new($"model.{key}", ["train", "--print-config", "--set", $"model.{key}={value}"]);

        // Each kind starts from the explorer's starting values (every required parameter filled, so the spec is valid)
        // and one number parameter at a time gets a hostile JSON value.
        foreach (KindInfo kind in ScheduleCatalog.Kinds)
            foreach (ParamInfo p in kind.Parameters.Where(p => p.Type == ParamType.Number))
                foreach (string value in Sample(HostileJson))
                {
                    var parameters = new JsonObject();
                    foreach (ParamInfo q in kind.Parameters.Where(q => q.Default is null))
                        if (TrainKit.Explorer.Schedules.StarterValues.For(kind, q, 100) is { } start) parameters[q.Name] = start;
                    parameters[p.Name] = JsonNode.Parse(value);
                    string spec = new JsonObject { ["kind"] = kind.Name, ["params"] = parameters }.ToJsonString();
                    yield return new(p.Name, ["schedule", "csv", spec, "--steps", "5", "-o", Path.Combine(scratch, "s.csv")]);
                }

        foreach (string flag in new[] { "--steps", "--lr", "--weight-decay", "--momentum" })
            foreach (string value in Sample(HostileText))
                yield return new(flag, ["schedule", "csv", "CosineAnnealingLR:T_max=10", flag, value, "-o", Path.Combine(scratch, "f.csv")]);

        // export: a hostile RUN_DIR, --format and --out on a run folder with a real config.json and model.bin. --out
        // stays two levels inside the scratch folder (an absolute value is made relative, ../.. lands on the scratch
        // folder itself): an accepted path is written, and /dev/zero must never be replaced by a file.
        string run = ExportCommandTests.UntrainedRun();
        foreach (string value in Sample(HostileText))
        {
            yield return new("RUN_DIR", ["export", value, "--format", "pt"]);
            yield return new("--format", ["export", run, "--format", value, "-o", Path.Combine(scratch, "fuzz.pt")]);
            yield return new("--out", ["export", run, "--format", "safetensors", "--out", Path.Combine(scratch, "a", "b", value.TrimStart('/'))]);
        }

        foreach (string flag in new[] { "--seeds", "--shard", "--preset" })
            foreach (string value in Sample(HostileText))
                yield return new(flag, ["compare", "--list-cells", .. flag == "--preset" ? Array.Empty<string>() : ["--preset", "quick"], flag, value]);
    }

    static IEnumerable<string> Leaves(JsonObject obj, string prefix = "")
    {
        foreach (var (key, value) in obj)
        {
            string path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            if (value is JsonObject child && key != "params" && child.Count > 0) foreach (string leaf in Leaves(child, path)) yield return leaf;
            else yield return path;
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Hostile_command_lines_exit_0_2_or_3_without_stack_traces_and_refusals_name_what_is_wrong()
    {
        int perTarget = int.TryParse(Environment.GetEnvironmentVariable("TRAINKIT_FUZZ_VALUES"), out int n) ? n : 3;
        int tried = 0, clean = 0, crashes = 0, stackTraces = 0, unnamed = 0;
        var failures = new List<string>();
        foreach (Case c in Cases(new Random(16), perTarget))
        {
            tried++;
            string shown = string.Join(' ', c.Args.Select(a => a.Length > 40 ? a[..40] + "…" : a));
            int code;
            string error;
            try
            {
                (code, _, error) = CliHarness.Run(c.Args);
            }
            catch (Exception ex)
            {
                crashes++;
                failures.Add($"{shown}: threw {ex.GetType().Name}: {ex.Message}");
                continue;
            }
            // A flag may be named as its key: --epochs as "epochs", --weight-decay as "weight_decay".
            string leaf = c.Target.TrimStart('-').Replace('-', '_').Split('.')[^1];
            if (code is not (0 or 2 or 3)) { crashes++; failures.Add($"{shown}: exit {code}: {error}"); }
            else if (error.Contains("   at ", StringComparison.Ordinal)) { stackTraces++; failures.Add($"{shown}: stack trace without --verbose"); }
            else if (code == 2 && !error.Contains(leaf, StringComparison.Ordinal) && !error.Contains(c.Target.TrimStart('-'), StringComparison.Ordinal))
            { unnamed++; failures.Add($"{shown}: exit 2 without naming {c.Target}: {error.Split('\n')[0]}"); }
            else clean++;
        }
        string summary = $"cli fuzz: tried {tried}, clean {clean}, crashes {crashes}, stack traces {stackTraces}, unnamed {unnamed}";
        output.WriteLine(summary);
        TrainKit.Tests.HarnessLog.Write(summary);
        Assert.True(failures.Count == 0, $"{failures.Count} of {tried}:\n" + string.Join("\n", failures.Take(40)));
    }
}
