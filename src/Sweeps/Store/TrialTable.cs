using System.Globalization;
using System.Text;
using TrainKit.IO;

namespace TrainKit.Sweeps.Store;

/// <summary>The store's view of a sweep as <c>OUT/trials.csv</c>: every trial with its state (pruned and failed
/// ones included), attempts, last worker, error, its Hyperband bracket (when the sweep has brackets), and the metric at
/// each rung, so pruned trials stay in the record.</summary>
public static class TrialTable
{
    public const string FileName = "trials.csv";

    public static string Write(TrialStore store, string sweep, string outDirectory)
    {
        var trials = store.Trials(sweep);
        var rungs = store.Rungs(sweep).ToLookup(r => r.TrialId);
        int rungCount = rungs.SelectMany(g => g).Select(r => r.Rung + 1).DefaultIfEmpty(0).Max();
        // The bracket column only for Hyperband sweeps, so a plain ASHA sweep's file reads as it always did.
        bool brackets = trials.Any(t => t.Bracket > 0);
        var csv = new StringBuilder("trial,variant,seed,state,attempts,worker,error" + (brackets ? ",bracket" : ""));
        for (int k = 0; k < rungCount; k++) csv.Append(CultureInfo.InvariantCulture, $",rung{k}_resource,rung{k}_metric,rung{k}_decision");
        csv.Append('\n');
        foreach (TrialRecord t in trials)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{Quote(t.Name)},{Quote(t.Variant)},{t.Seed},{TrialStates.Name(t.State)},{t.Attempts},{Quote(t.Worker ?? "")},{Quote(t.Error ?? "")}");
            if (brackets) csv.Append(CultureInfo.InvariantCulture, $",{t.Bracket}");
            for (int k = 0; k < rungCount; k++)
            {
                RungReport? r = rungs[t.Id].FirstOrDefault(x => x.Rung == k);
                csv.Append(r is null ? ",,," : string.Create(CultureInfo.InvariantCulture, $",{r.Resource:R},{r.Metric:R},{r.Decision}"));
            }
            csv.Append('\n');
        }
        string path = Path.Combine(outDirectory, FileName);
        Directory.CreateDirectory(outDirectory);
        AtomicFile.WriteAllText(path, csv.ToString());
        return path;
    }

    static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
}
