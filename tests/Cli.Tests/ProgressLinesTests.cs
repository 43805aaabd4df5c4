using Spectre.Console;
using TrainKit.Cli.Commands;
using TrainKit.Training.Loop;

namespace TrainKit.Cli.Tests;

public class ProgressLinesTests
{
    [Fact]
    public void Without_a_terminal_each_logged_step_is_one_line_with_throughput_and_the_latest_evaluation()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        Assert.True(ProgressLines.Wanted(console));   // a StringWriter is no terminal, as a Slurm log is not
        var lines = new ProgressLines(console);
        var eval = new Dictionary<string, double> { ["train_eval_loss"] = 0.4, ["test_accuracy"] = 0.8123, ["test_eval_loss"] = 0.55 };
        lines.Report(new TrainingProgress(10, 40, 1.25, 0.1, TimeSpan.FromSeconds(10)) { ExamplesPerSecond = 812.4 });
        lines.Report(new TrainingProgress(20, 40, 0.9, 0.05, TimeSpan.FromSeconds(20)) { ExamplesPerSecond = 790, Evaluation = eval });
        lines.Report(new TrainingProgress(30, 40, 0.7, 0.02, TimeSpan.FromSeconds(30)) { ExamplesPerSecond = 801 });
        lines.Report(new TrainingProgress(30, 40, 0.72, 0.01, TimeSpan.FromSeconds(33)) { ExamplesPerSecond = 799 });
        string[] text = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, text.Length);
        Assert.StartsWith("step 10/40 (25", text[0]);
        Assert.Contains("812 ex/s", text[0]);
        Assert.Contains("~0:30 left", text[0]);
        Assert.DoesNotContain("eval@", text[0]);
        // Test split first, accuracies as percentages; the evaluation stays on later lines until a newer one.
        Assert.Contains("eval@20 test_accuracy 81.23 %, test_eval_loss 0.55, train_eval_loss 0.4", text[1]);
        Assert.Contains("eval@20", text[2]);
        Assert.Contains("(again, after a rollback)", text[3]);
        Assert.DoesNotContain("again", text[2]);
    }
}
