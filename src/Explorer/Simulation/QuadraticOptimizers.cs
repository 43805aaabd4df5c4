namespace TrainKit.Explorer.Simulation;

/// <summary>
/// Gradient descent, heavy ball and Adam on <see cref="Quadratic"/>, each taking its lr (and momentum)
/// from the schedule at every step. The update rules are PyTorch's (SGD momentum: v = βv + g, x -= lr·v;
/// Adam with bias correction), so the stability limits shown on the page are the ones training sees.
/// </summary>
public static class QuadraticOptimizers
{
    public static Trajectory GradientDescent(Quadratic q, StepSchedule schedule, double x0, double y0) =>
        HeavyBall(q, schedule, x0, y0, beta: 0, name: "GD", useScheduleMomentum: false);

    /// <param name="beta">Momentum when the schedule does not co-schedule one.</param>
    public static Trajectory HeavyBall(Quadratic q, StepSchedule schedule, double x0, double y0, double beta,
        string name = "heavy ball", bool useScheduleMomentum = true)
    {
        var path = new PathRecorder(name, q, x0, y0);
        double x = x0, y = y0, vx = 0, vy = 0;
        for (int k = 0; k < schedule.Steps && !path.Diverged; k++)
        {
            double lr = schedule.Lr[k];
            double b = useScheduleMomentum ? schedule.MomentumAt(k, beta) : beta;
            var (gx, gy) = q.Gradient(x, y);
            // PyTorch SGD: the first step initialises the buffer with the gradient itself.
            vx = k == 0 ? gx : b * vx + gx;
            vy = k == 0 ? gy : b * vy + gy;
            x -= lr * vx;
            y -= lr * vy;
            path.Add(x, y);
        }
        return path.Finish();
    }

    /// <param name="beta1">Adam beta1 when the schedule does not co-schedule momentum.</param>
    public static Trajectory Adam(Quadratic q, StepSchedule schedule, double x0, double y0, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        var path = new PathRecorder("Adam", q, x0, y0);
        double x = x0, y = y0, mx = 0, my = 0, sx = 0, sy = 0, beta1Power = 1, beta2Power = 1;
        for (int k = 0; k < schedule.Steps && !path.Diverged; k++)
        {
            double lr = schedule.Lr[k];
            double b1 = schedule.MomentumAt(k, beta1);
            var (gx, gy) = q.Gradient(x, y);
            mx = b1 * mx + (1 - b1) * gx;
            my = b1 * my + (1 - b1) * gy;
            sx = beta2 * sx + (1 - beta2) * gx * gx;
            sy = beta2 * sy + (1 - beta2) * gy * gy;
            beta1Power *= b1;
            beta2Power *= beta2;
            double c1 = 1 - beta1Power, c2 = Math.Sqrt(1 - beta2Power);
            x -= lr * (mx / c1) / (Math.Sqrt(sx) / c2 + eps);
            y -= lr * (my / c1) / (Math.Sqrt(sy) / c2 + eps);
            path.Add(x, y);
        }
        return path.Finish();
    }

    /// <summary>Collects a path and stops it once the loss is past <see cref="Trajectory.DivergenceLoss"/>.</summary>
    sealed class PathRecorder
    {
        readonly string _name;
        readonly Quadratic _q;
        readonly List<double> _x = [], _y = [], _loss = [];
        public bool Diverged { get; private set; }

        public PathRecorder(string name, Quadratic q, double x0, double y0) { _name = name; _q = q; Add(x0, y0); }

        public void Add(double x, double y)
        {
            double loss = _q.Loss(x, y);
            if (!double.IsFinite(loss) || loss > Trajectory.DivergenceLoss) { Diverged = true; return; }
            _x.Add(x); _y.Add(y); _loss.Add(loss);
        }

        public Trajectory Finish() => new(_name, _x.ToArray(), _y.ToArray(), _loss.ToArray(), Diverged);
    }
}
