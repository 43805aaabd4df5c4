using TrainKit.Training.Metrics;

namespace TrainKit.Training.Tests.Metrics;

public class MetricsLogTests
{
    [Fact]
    public void Writes_jsonl_and_csv_rows_and_resume_drops_rows_after_the_checkpoint()
    {
        string run = Directory.CreateTempSubdirectory("trainkit-metrics-").FullName;
        using (var log = new MetricsLog(run))
        {
            for (int step = 1; step <= 5; step++)
                log.Write(new Dictionary<string, double?> { ["step"] = step, ["lr"] = 0.1 * step, ["train_loss"] = 1.0 / step });
            log.Write(new Dictionary<string, double?> { ["step"] = 6, ["lr"] = 0.6, ["train_loss"] = double.NaN, ["test_accuracy"] = 0.5 });
        }
        var rows = MetricsLog.Read(run);
        Assert.Equal(6, rows.Count);
        Assert.Null(rows[5]["train_loss"]);
        string[] csv = File.ReadAllLines(Path.Combine(run, MetricsLog.CsvFile));
        Assert.Equal("step,lr,train_loss,test_accuracy", csv[0]);
        Assert.Equal(7, csv.Length);
        Assert.Equal("6,0.6,,0.5", csv[6]);

        using (var resumed = new MetricsLog(run, resumeAfterStep: 3))
            resumed.Write(new Dictionary<string, double?> { ["step"] = 4, ["lr"] = 0.4, ["train_loss"] = 0.25 });
        Assert.Equal([1L, 2, 3, 4], MetricsLog.Read(run).Select(r => r["step"]!.GetValue<long>()));
        Assert.Equal(5, File.ReadAllLines(Path.Combine(run, MetricsLog.CsvFile)).Length);
    }

    [Fact]
    public void A_torn_last_line_from_a_killed_process_is_ignored()
    {
        string run = Directory.CreateTempSubdirectory("trainkit-metrics-").FullName;
        File.WriteAllText(Path.Combine(run, MetricsLog.JsonFile), "{\"step\":1,\"lr\":0.1}\n{\"step\":2,\"l");
        Assert.Single(MetricsLog.Read(run));
    }
}
