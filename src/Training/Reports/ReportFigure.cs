namespace TrainKit.Training.Reports;

/// <summary>A PNG another component drew into the report folder (e.g. the sweep pruner's rung chart), added to
/// report.html (embedded, so the page stays one self-contained file) and linked from summary.md.</summary>
/// <param name="File">The file name inside the report folder.</param>
/// <param name="Caption">What the figure shows, under it.</param>
public sealed record ReportFigure(string File, string Caption);
