using System.CommandLine;
using TrainKit.Training.Export;
using TrainKit.Training.RunAnalysis;

namespace TrainKit.Cli.Commands;

/// <summary>`trainkit export RUN_DIR --format pt|safetensors [-o FILE]`: a run's final model as a PyTorch
/// state_dict under the names PyTorch users expect (akamaster's CIFAR ResNets, nanoGPT).</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var runDir = new Argument<string>("RUN_DIR") { Description = "A folder written by `trainkit train` (config.json and model.bin)." };
        var format = new Option<string>("--format")
        {
            Description = "pt (torch.load, then load_state_dict) or safetensors.",
            Required = true,
        };
        var output = new Option<string?>("--out", "-o") { Description = "File to write (default: RUN_DIR/model.pt or RUN_DIR/model.safetensors)." };
        var command = new Command("export", "Write a run's final model as a PyTorch state_dict (.pt or .safetensors) with PyTorch's key names " +
            "(CIFAR ResNets: conv1, bn1, layer1.0.conv1, ..., linear; gpt: nanoGPT's transformer.h.0.attn.c_attn, ..., lm_head).")
        { runDir, format, output };
        command.SetAction(parse =>
        {
            StateDictFormat chosen = StateDictFormats.Parse(parse.GetValue(format));
            var (path, tensors) = RunFolderExport.Export(parse.GetValue(runDir)!, chosen, parse.GetValue(output));
            parse.InvocationConfiguration.Output.WriteLine($"wrote {path} ({tensors} tensors, {chosen.ToString().ToLowerInvariant()})");
            return ExitCodes.Success;
        });
        return command;
    }
}
