namespace TrainKit.Training.Reports;

/// <summary>Whether a published claim held in this experiment, with the numbers that decided it.</summary>
public sealed record ClaimVerdict(string Claim, bool Reproduced, string Evidence);
