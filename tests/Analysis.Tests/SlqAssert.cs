using TrainKit.Analysis;

namespace TrainKit.Analysis.Tests;

/// <summary>SLQ checks against an exact spectrum, shared by the MLP, CNN and GPT PyTorch fixtures.</summary>
static class SlqAssert
{
    /// <summary>With as many steps as dimensions, every node with visible weight is an exact eigenvalue and the extreme
    /// nodes are the extreme eigenvalues.</summary>
    public static void NodesOnExactEigenvalues(ModelHessian hessian, double[] exactAscending)
    {
        var density = StochasticLanczosQuadrature.Estimate(hessian, steps: (int)hessian.Dimension, runs: 2, seed: 5);
        for (int r = 0; r < 2; r++)
        {
            Assert.Equal(1.0, density.Weights[r].Sum(), 1e-10);
            for (int j = 0; j < density.Nodes[r].Length; j++)
            {
                if (density.Weights[r][j] < 1e-8) continue;   // a node the probe barely sees is not pinned down
                double nearest = exactAscending.Min(x => Math.Abs(x - density.Nodes[r][j]));
                Assert.True(nearest < 1e-7, $"run {r} node {density.Nodes[r][j]:G8} (weight {density.Weights[r][j]:G3}) is {nearest:G3} from every eigenvalue");
            }
            Assert.Equal(exactAscending[^1], density.Nodes[r].Max(), 1e-8);
            Assert.Equal(exactAscending[0], density.Nodes[r].Min(), 1e-8);
        }
    }

    /// <summary>With 6 steps per run, the moments tr(Hᵏ)/n, k = 1..4, are within 4 standard errors (over runs) of the
    /// exact ones (<paramref name="exactMoments"/>[k]).</summary>
    public static void MomentsWithinTheirError(ModelHessian hessian, double[] exactMoments, int runs)
    {
        var density = StochasticLanczosQuadrature.Estimate(hessian, steps: 6, runs: runs, seed: 9);
        for (int k = 1; k <= 4; k++)   // 6 steps integrate polynomials up to degree 11 exactly per probe
        {
            var perRun = Enumerable.Range(0, runs)
                .Select(r => density.Nodes[r].Zip(density.Weights[r]).Sum(p => p.Second * Math.Pow(p.First, k))).ToArray();
            double mean = perRun.Average();
            double stderr = Math.Sqrt(perRun.Sum(x => (x - mean) * (x - mean)) / (runs - 1) / runs);
            Assert.Equal(mean, density.Moment(k), 1e-12);
            Assert.True(Math.Abs(mean - exactMoments[k]) <= 4 * stderr + 1e-12,
                $"moment {k}: SLQ {mean:G6} ± {stderr:G3} vs exact {exactMoments[k]:G6}");
        }
    }
}
