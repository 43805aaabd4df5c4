namespace TrainKit.Training.Reports;

/// <summary>reproduced: the evidence supports the claim (a CI excludes zero in the claimed direction, a CI lies
/// inside a stated equivalence margin, or counts differ by Fisher's test); not_reproduced: it contradicts it;
/// inconclusive: neither, or too few seeds; not_testable: the design cannot test the claim (the reason is given).</summary>
public enum VerdictOutcome { Reproduced, NotReproduced, Inconclusive, NotTestable }

/// <summary>Whether a published claim held in this experiment, with the numbers that decided it: the rule and the
/// effect with its CI in <see cref="Evidence"/>, and every per-seed value the rule used in <see cref="PerSeed"/>.</summary>
public sealed record ClaimVerdict(string Claim, VerdictOutcome Outcome, string Evidence)
{
    public string PerSeed { get; init; } = "";
    /// <summary>The seeds per variant the rule had (the smallest count when variants differ).</summary>
    public int Seeds { get; init; }

    public string OutcomeName => Outcome switch
    {
        VerdictOutcome.Reproduced => "reproduced",
        VerdictOutcome.NotReproduced => "not_reproduced",
        VerdictOutcome.NotTestable => "not_testable",
        _ => "inconclusive",
    };
}
