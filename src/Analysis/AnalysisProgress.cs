namespace TrainKit.Analysis;

/// <summary>One progress report of <see cref="SharpnessAnalyzer"/>: an estimator finished (or is about to start).</summary>
/// <param name="Estimator">Its name as in analysis.json (e.g. "lambda_max.lanczos").</param>
/// <param name="Index">1-based position among the <paramref name="Count"/> estimators this analysis runs.</param>
/// <param name="Finished">False when it starts, true when it ends.</param>
/// <param name="RemainingSeconds">Time left, extrapolated from the seconds per pass measured so far and the passes
/// still planned (an upper-bound budget: estimators that stop early make it pessimistic); null before anything ran.</param>
public sealed record AnalysisProgress(string Estimator, int Index, int Count, bool Finished, double ElapsedSeconds, double? RemainingSeconds);
