using System.Globalization;
using Spectre.Console;
using TrainKit.Sweeps.Store;

namespace TrainKit.Cli.Commands;

/// <summary>The console view of a store sweep's trials: every trial with its state (pruned ones marked) and the
/// metric at each rung it reached, so a pruned trial stays visible next to the ones that ran to the end.</summary>
static class TrialsTable
{
    public static void Write(IAnsiConsole console, TrialStore store, string sweep)
    {
        var trials = store.Trials(sweep);
        var rungs = store.Rungs(sweep).ToLookup(r => r.TrialId);
        int rungCount = rungs.SelectMany(g => g).Select(r => r.Rung + 1).DefaultIfEmpty(0).Max();
        if (rungCount == 0) return; // no pruner: the report's table says it all
        bool brackets = trials.Any(t => t.Bracket > 0);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("trial").AddColumn("state").AddColumn("attempts");
        if (brackets) table.AddColumn("bracket");
        for (int k = 0; k < rungCount; k++) table.AddColumn($"rung {k}");
        foreach (TrialRecord t in trials)
        {
            string state = t.State switch
            {
                TrialState.Pruned => "[yellow]pruned[/]",
                TrialState.Failed => "[red]failed[/]",
                TrialState.Done => "[green]done[/]",
                _ => TrialStates.Name(t.State),
            };
            var cells = Enumerable.Range(0, rungCount).Select(k => rungs[t.Id].FirstOrDefault(r => r.Rung == k) is { } r
                ? Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{r.Metric:0.####} @ {r.Resource:0.##} ({r.Decision})"))
                : "–");
            string[] bracket = brackets ? [t.Bracket.ToString(CultureInfo.InvariantCulture)] : [];
            table.AddRow([Markup.Escape(t.Name), state, t.Attempts.ToString(CultureInfo.InvariantCulture), .. bracket, .. cells]);
        }
        console.Write(table);
    }
}
