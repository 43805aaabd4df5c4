namespace TrainKit.Training.Loop;

/// <summary>The seed of everything random at one training step (batch order aside): a function of the run's
/// seed and the step only, which is what lets a resumed run repeat an uninterrupted one exactly.</summary>
public static class StepSeed
{
    public static long For(long runSeed, long step) => unchecked(runSeed * 1_000_003 + step);
}
