using TrainKit.Training.Config;
using TrainKit.Training.Export;
using TrainKit.Training.Tasks;
using static TorchSharp.torch;

namespace TrainKit.Cli.Tests;

/// <summary>`trainkit export RUN_DIR --format pt|safetensors [-o FILE]` and a run started from the file through
/// <c>model.init_from</c>; bad input exits 2 naming the file, flag or key.</summary>
public class ExportCommandTests
{
    static string TempDir() => Directory.CreateTempSubdirectory("trainkit-export-cli-").FullName;

    /// <summary>A run folder as `trainkit train` leaves it, without training: config.json and the seeded model's model.bin.</summary>
    internal static string UntrainedRun()
    {
        string run = TempDir();
        var config = new RunConfig { Model = new CifarResNetModelConfig { Width = 0.25 }, Data = new DataConfig { EvalExamples = 100 } };
        File.WriteAllText(Path.Combine(run, "config.json"), RunConfigJson.Serialize(config));
        using var task = TrainingTasks.Create(config);
        task.Model.save(Path.Combine(run, "model.bin"));
        return run;
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Export_writes_both_formats_and_a_run_starts_from_the_file_while_a_file_missing_a_key_exits_2_naming_it()
    {
        string dir = TempDir();
        string config = Path.Combine(dir, "run.json");
        File.WriteAllText(config, """
            {"model": {"name": "resnet20", "width": 0.25}, "batch_size": 32, "log_every": 1, "eval_every": 0, "checkpoint_every": 0,
             "data": {"eval_examples": 100}, "schedule": {"kind": "ConstantLR", "params": {"factor": 1}}}
            """);
        string run = Path.Combine(dir, "run");
        var (trained, _, trainError) = CliHarness.Run("train", "--config", config, "--steps", "2", "--out", run);
        Assert.True(trained == 0, trainError);

        var (code, output, error) = CliHarness.Run("export", run, "--format", "pt");
        Assert.True(code == 0, error);
        string pt = Path.Combine(run, "model.pt");
        Assert.Contains($"wrote {pt} (116 tensors, pt)", output);
        string safetensors = Path.Combine(dir, "exported.safetensors");
        (code, output, error) = CliHarness.Run("export", run, "--format", "safetensors", "-o", safetensors);
        Assert.True(code == 0, error);
        Assert.True(new FileInfo(safetensors).Length > 8);

        foreach (string file in new[] { pt, safetensors })
        {
            (code, _, error) = CliHarness.Run("train", "--config", config, "--steps", "1", "--set", $"model.init_from={file}", "--out", Path.Combine(dir, "from-" + Path.GetFileName(file)));
            Assert.True(code == 0, error);
        }

        var weights = StateDictFile.Read(pt);
        weights["linear.bias"].Dispose();
        weights.Remove("linear.bias");
        string broken = Path.Combine(dir, "broken.pt");
        StateDictFile.Write(broken, StateDictFormat.Pt, weights);
        foreach (Tensor t in weights.Values) t.Dispose();
        (code, _, error) = CliHarness.Run("train", "--config", config, "--steps", "1", "--set", $"model.init_from={broken}", "--out", Path.Combine(dir, "broken-run"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("model.init_from", error);
        Assert.Contains("missing key 'linear.bias'", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void A_missing_run_folder_a_missing_model_and_a_corrupt_model_exit_2_naming_the_file()
    {
        string nowhere = Path.Combine(TempDir(), "nowhere");
        var (code, _, error) = CliHarness.Run("export", nowhere, "--format", "pt");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"RUN_DIR {nowhere} is not a run folder: it has no config.json", error);

        string run = UntrainedRun();
        File.Delete(Path.Combine(run, "model.bin"));
        (code, _, error) = CliHarness.Run("export", run, "--format", "safetensors");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(Path.Combine(run, "model.bin"), error);

        File.WriteAllBytes(Path.Combine(run, "model.bin"), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        (code, _, error) = CliHarness.Run("export", run, "--format", "pt");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(Path.Combine(run, "model.bin"), error);
        Assert.DoesNotContain("   at ", error);

        File.WriteAllText(Path.Combine(run, "config.json"), "{\"model\": ");
        (code, _, error) = CliHarness.Run("export", run, "--format", "pt");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("config.json", error);
    }

    [Fact]
    public void A_bad_or_missing_format_a_folder_and_a_device_as_out_exit_2_naming_the_flag()
    {
        string run = UntrainedRun();
        var (code, _, error) = CliHarness.Run("export", run, "--format", "onnx");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--format must be pt or safetensors, got 'onnx'", error);

        (code, _, error) = CliHarness.Run("export", run);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--format", error);

        (code, _, error) = CliHarness.Run("export", run, "--format", "pt", "-o", run);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"--out {run} is a folder", error);

        // Renaming the export over a device or FIFO would replace the node itself (a device, as root): refused. A FIFO
        // stands in for the device, so that a regression cannot replace /dev/null on the test machine.
        string fifo = Path.Combine(run, "fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        (code, _, error) = CliHarness.Run("export", run, "--format", "pt", "-o", fifo);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"--out {fifo} exists and is empty or not a regular file", error);
        Assert.Equal(0, new FileInfo(fifo).Length); // still the FIFO: an export renamed over it would have bytes

        string empty = Path.Combine(run, "empty.pt");
        File.WriteAllBytes(empty, []);
        (code, _, error) = CliHarness.Run("export", run, "--format", "pt", "-o", empty);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"--out {empty} exists and is empty", error);

        (code, _, error) = CliHarness.Run("export", run, "--format", "pt", "-o", Path.Combine(run, "missing-folder", "model.pt"));
        Assert.True(code == 0, error);
    }
}
