using TorchSharp.Modules;
using TrainKit.Analysis;
using static TorchSharp.torch;

namespace TrainKit.Analysis.Tests;

public class ParameterLayoutTests
{
    [Fact]
    public void Read_gives_a_copy_even_for_a_single_float64_parameter()
    {
        // Every step of the flattening is a view for one float64 CPU parameter, and cat hands a single input back:
        // an in-place abs_ on the "copy" used to flip the signs of a quadratic's weights (ASAM's T = |w| + η).
        var p = new Parameter(tensor(new[] { -1.0, 2.0, -3.0 }, ScalarType.Float64));
        var layout = new ParameterLayout([p]);
        layout.Read().abs_().add_(1);
        Assert.Equal([-1.0, 2.0, -3.0], p.data<double>().ToArray());
    }

    [Fact]
    public void Read_of_several_parameters_is_their_concatenation_and_a_copy()
    {
        var a = new Parameter(tensor(new[] { 1.0, -2.0 }, ScalarType.Float32));
        var b = new Parameter(tensor(new[] { -3.0 }, ScalarType.Float64));
        var layout = new ParameterLayout([a, b]);
        var flat = layout.Read();
        Assert.Equal([1.0, -2.0, -3.0], flat.data<double>().ToArray());
        flat.zero_();
        Assert.Equal(-3.0, b.data<double>()[0]);
    }
}
