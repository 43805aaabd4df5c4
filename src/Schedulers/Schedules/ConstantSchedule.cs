using TrainKit.Schedulers.Validation;

namespace TrainKit.Schedulers.Schedules;

/// <summary>PyTorch ConstantLR: <c>base·factor</c> while t &lt; total_iters, then <c>base</c>.
/// With <c>total_iters: 0</c> the factor stays for ever, as PyTorch's <c>step()</c> gives: its chainable form applies
/// the factor at step 0 and undoes it only at <c>last_epoch == total_iters</c>, which a stepping run never reaches again
/// (its closed form, used only by <c>step(epoch)</c>, would say <c>base</c>; the differential lane found the difference).
/// The constructor's defaults (factor 1, total_iters 0) make a plain constant; the catalog uses PyTorch's (1/3, 5).</summary>
public sealed class ConstantSchedule : IMultiplicativeSchedule
{
    public double BaseLr { get; }
    public double Factor { get; }
    public double TotalIters { get; }

    public ConstantSchedule(double baseLr, double factor = 1.0, double totalIters = 0)
    {
        BaseLr = Check.NonNegative(baseLr, "lr");
        Factor = Check.Within(factor, 0, 1, "factor");
        TotalIters = Check.NonNegative(totalIters, "total_iters");
    }

    public double At(double t) => Check.Time(t) < TotalIters || TotalIters == 0 ? BaseLr * Factor : BaseLr;
}
