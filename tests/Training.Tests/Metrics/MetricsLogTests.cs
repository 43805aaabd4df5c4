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

public class MetricsLogAtomicityTests
{
    static string Run() => Directory.CreateTempSubdirectory("trainkit-metrics-").FullName;

    static void WriteRows(string run, int count)
    {
        using var log = new MetricsLog(run);
        for (int step = 1; step <= count; step++)
            log.Write(new Dictionary<string, double?> { ["step"] = step, ["train_loss"] = 1.0 / step });
    }

    [Fact]
    public void Resume_replaces_the_files_by_rename_so_the_old_bytes_are_never_truncated_in_place()
    {
        string run = Run();
        WriteRows(run, 6);
        string json = Path.Combine(run, MetricsLog.JsonFile), csv = Path.Combine(run, MetricsLog.CsvFile);
        // A handle opened before the rewrite keeps reading the old file (inode) when it is replaced by rename;
        // an in-place truncate-and-rewrite (a kill in that window left an empty file) shows through it.
        using var oldJson = new FileStream(json, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var oldCsv = new FileStream(csv, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using (new MetricsLog(run, resumeAfterStep: 2)) { }
        Assert.Equal(6, new StreamReader(oldJson).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(7, new StreamReader(oldCsv).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal([1L, 2], MetricsLog.Read(run).Select(r => r["step"]!.GetValue<long>()));
        Assert.Equal(3, File.ReadAllLines(csv).Length);
    }

    [Fact]
    public void Rewind_also_replaces_the_files_by_rename()
    {
        string run = Run();
        using var log = new MetricsLog(run);
        for (int step = 1; step <= 5; step++) log.Write(new Dictionary<string, double?> { ["step"] = step, ["train_loss"] = 1.0 });
        string json = Path.Combine(run, MetricsLog.JsonFile);
        using var old = new FileStream(json, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        log.RewindTo(3);
        log.Write(new Dictionary<string, double?> { ["step"] = 4, ["train_loss"] = 0.5 });
        Assert.Equal(5, new StreamReader(old).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal([1L, 2, 3, 4], MetricsLog.Read(run).Select(r => r["step"]!.GetValue<long>()));
    }

    [Fact]
    public void A_bad_middle_line_is_kept_and_reported_and_the_rows_after_it_survive_a_resume()
    {
        string run = Run();
        string json = Path.Combine(run, MetricsLog.JsonFile);
        File.WriteAllText(json, "{\"step\":1}\n{\"step\":2}\nGARBAGE\n{\"step\":3}\n{\"step\":4}\n{\"step\":5,\"tr");
        Assert.Equal([1L, 2, 3, 4], MetricsLog.Read(run).Select(r => r["step"]!.GetValue<long>())); // only the torn last line is gone

        using (var resumed = new MetricsLog(run, resumeAfterStep: 4))
        {
            var problem = Assert.Single(resumed.Problems);
            Assert.Contains("line 3", problem);
            Assert.Contains(MetricsLog.JsonFile, problem);
        }
        Assert.Equal(["{\"step\":1}", "{\"step\":2}", "GARBAGE", "{\"step\":3}", "{\"step\":4}"], File.ReadAllLines(json));
    }
}
