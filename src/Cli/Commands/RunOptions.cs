using System.CommandLine;
using TrainKit.Training.Config;

namespace TrainKit.Cli.Commands;

/// <summary>The flags `train` and `lr-find` share: a config file and the overrides the CLI contract names.</summary>
sealed class RunOptions
{
    public readonly Option<FileInfo?> Config = new("--config") { Description = "Run configuration (JSON; `trainkit train --print-config` shows every key)." };
    public readonly Option<string?> Data = new("--data") { Description = "Dataset folder or text corpus (overrides data.path)." };
    public readonly Option<long?> Steps = new("--steps") { Description = "Total optimizer steps (overrides steps and epochs)." };
    public readonly Option<double?> Epochs = new("--epochs") { Description = "Training length in epochs (used when steps is not set)." };
    public readonly Option<long?> Seed = new("--seed") { Description = "Random seed." };
    public readonly Option<string?> Device = new("--device") { Description = "auto, cpu or cuda." };
    public readonly Option<string?> Out = new("--out") { Description = "Output folder of the run." };
    public readonly Option<string[]> Set = new("--set")
    {
        Description = "Override any key of the configuration, e.g. --set optimizer.lr=0.05 (repeatable; applied after the file and the other flags; the value is JSON when it parses, else a string).",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Config, Data, Steps, Epochs, Seed, Device, Out, Set })
            command.Options.Add(option);
    }

    /// <summary>The configuration: the file (or the defaults), then each flag given on the command line, then each --set.</summary>
    public RunConfig Resolve(ParseResult parse) =>
        ApplyFlags(parse, parse.GetValue(Config) is FileInfo file ? RunConfigJson.Load(file.FullName) : new RunConfig());

    /// <summary>A fork's configuration: the parent's, then the --config file's top-level keys in place of the parent's
    /// (<see cref="RunConfigOverrides.Overlay"/>), then the flags and each --set, as for any run.</summary>
    public RunConfig ResolveOnto(ParseResult parse, RunConfig parent) =>
        ApplyFlags(parse, parse.GetValue(Config) is FileInfo file ? RunConfigOverrides.Overlay(parent, file.FullName) : parent);

    RunConfig ApplyFlags(ParseResult parse, RunConfig config)
    {
        if (parse.GetValue(Data) is string data) config = config with { Data = config.Data with { Path = data } };
        if (parse.GetValue(Steps) is long steps) config = config with { Steps = steps };
        if (parse.GetValue(Epochs) is double epochs) config = config with { Epochs = epochs, Steps = parse.GetValue(Steps) };
        if (parse.GetValue(Seed) is long seed) config = config with { Seed = seed };
        if (parse.GetValue(Device) is string device) config = config with { Device = ChoiceSpelling<DeviceChoice>.Parse("device (--device)", device) };
        if (parse.GetValue(Out) is string outDir) config = config with { Out = outDir };
        return RunConfigOverrides.Apply(config, parse.GetValue(Set) ?? []);
    }
}
