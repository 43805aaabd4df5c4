using TrainKit.Training.Data.Text;
using static TorchSharp.torch;

namespace TrainKit.Training.Tests.Data.Text;

public class LanguageModelWindowsTests
{
    // Token i of the stream is i, so a window's first token is its start offset.
    static int[] Positions(int length) => Enumerable.Range(0, length).ToArray();

    [Fact]
    public void Targets_are_the_inputs_shifted_by_one()
    {
        using var scope = NewDisposeScope();
        using var windows = new LanguageModelWindows(Positions(100), contextLength: 8, seed: 1);
        var (x, y) = windows.Sample(32);
        Assert.Equal(new long[] { 32, 8 }, x.shape);
        Assert.Equal(new long[] { 32, 8 }, y.shape);
        Assert.Equal(ScalarType.Int64, x.dtype);
        Assert.True(y.equal(x + 1).all().item<bool>());
        // Contiguous: each row is start, start+1, ..., start+7.
        Assert.True((x - x[.., ..1]).equal(arange(8, ScalarType.Int64).unsqueeze(0)).all().item<bool>());
    }

    [Fact]
    public void Starts_cover_every_valid_offset_and_the_sequence_is_reproducible()
    {
        using var scope = NewDisposeScope();
        using var a = new LanguageModelWindows(Positions(20), contextLength: 5, seed: 7);
        using var b = new LanguageModelWindows(Positions(20), contextLength: 5, seed: 7);
        using var other = new LanguageModelWindows(Positions(20), contextLength: 5, seed: 8);
        var (xa, ya) = a.Sample(2000);
        var (xb, _) = b.Sample(2000);
        Assert.True(xa.equal(xb).all().item<bool>());
        Assert.False(xa.equal(other.Sample(2000).X).all().item<bool>());
        long[] starts = xa[.., 0].data<long>().ToArray();
        Assert.Equal(Enumerable.Range(0, 15).Select(i => (long)i), starts.Distinct().Order()); // 0 .. L-T-1
        Assert.Equal(19, ya.max().item<long>()); // the last token is reachable as a target
    }

    [Fact]
    public void A_stream_too_short_for_one_window_is_rejected()
    {
        Assert.Contains("at least 9 tokens", Assert.Throws<ArgumentException>(() => new LanguageModelWindows(Positions(8), 8, 0)).Message);
        Assert.Throws<ArgumentException>(() => new LanguageModelWindows([], 1, 0));
        using var ok = new LanguageModelWindows(Positions(9), 8, 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => ok.Sample(0));
    }
}
