using TrainKit.Cli;
using TrainKit.Sweeps.Tests.Support;

namespace TrainKit.Sweeps.Tests.Pruning;

/// <summary>`compare --asha FILE.json` refuses a block it could not apply, before any cell trains, naming the key.</summary>
public class AshaFileTests
{
    static (int Code, string Output, string Error) Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = TrainKitCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    static (string Experiment, string Asha, string Out) Setup(string ashaJson)
    {
        string dir = Directory.CreateTempSubdirectory("trainkit-asha-file-").FullName;
        string asha = Path.Combine(dir, "asha.json");
        File.WriteAllText(asha, ashaJson);
        return (TinySweep.Experiment(dir, cells: 2, steps: 8, evalEvery: 2), asha, Path.Combine(dir, "sweep"));
    }

    [Theory]
    [InlineData("""{"metric": "test_accuracy", "max_resource": 4, "min_resource": 2, "unit": "steps"}""", "test-split metric")]
    [InlineData("""{"metric": "validation_accuracy", "max_resource": 4, "min_resource": 2, "unit": "steps"}""", "data.validation_fraction 0")]
    [InlineData("""{"metric": "train_loss", "max_resource": 4, "min_resource": 2, "unit": "steps"}""", "asha.metric 'train_loss'")]
    [InlineData("""{"metric": "train_eval_loss", "mode": "min", "min_resource": 4, "reduction_factor": 3, "max_resource": 40, "unit": "steps"}""", "past the 8 steps")]
    [InlineData("""{"metric": "train_eval_loss", "mode": "min", "min_resource": 1, "max_resource": 4, "reduction_factor": 2, "unit": "steps"}""", "eval_every")]
    [InlineData("""{"metric": "train_eval_loss", "unit": "hours"}""", "asha.unit")]
    [InlineData("""{"metric": "train_eval_loss", "mode": "min", "min_resource": 2, "max_resource": 8, "reduction_factor": 2, "unit": "steps", "brackets": 4}""", "asha.brackets must be between 1 (plain ASHA) and 3")]
    [InlineData("""{"metric": "train_eval_loss", "mode": "min", "min_resource": 1, "max_resource": 4, "reduction_factor": 2, "unit": "steps", "brackets": 2}""", "(bracket 0) evaluates every 2 steps")]
    [InlineData("""{"metric": "train_eval_loss", "min_steps": 2}""", "min_steps")]
    public void A_block_that_cannot_prune_these_cells_is_an_exit_2_naming_the_problem(string json, string named)
    {
        var (experiment, asha, sweep) = Setup(json);
        var (code, output, error) = Cli("compare", "--experiment", experiment, "--out", sweep, "--workers", "0", "--asha", asha);
        Assert.True(code == ExitCodes.BadInput, $"exit {code}: {output}{error}");
        Assert.Contains(named, error);
        Assert.False(File.Exists(Path.Combine(sweep, "trials.db")), "nothing is registered when the block is refused");
    }

    [Fact]
    public void Asha_without_a_trial_store_is_refused()
    {
        var (experiment, asha, sweep) = Setup("""{"metric": "train_eval_loss", "mode": "min", "min_resource": 2, "max_resource": 8, "reduction_factor": 2, "unit": "steps"}""");
        var (code, _, error) = Cli("compare", "--experiment", experiment, "--out", sweep, "--asha", asha);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--asha prunes trials in a trial store", error);
    }
}
