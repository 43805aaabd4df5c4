using TorchSharp;
using static TorchSharp.torch;

namespace TrainKit.Training.Data.Text;

/// <summary>Random fixed-length training windows from a token stream, nanoGPT's <c>get_batch</c>:
/// x = tokens[s .. s+T), y = tokens[s+1 .. s+T], the next token at every position, for start offsets s
/// drawn from a seeded generator (the same seed gives the same sequence of batches).</summary>
public sealed class LanguageModelWindows : IDisposable
{
    readonly Tensor tokens; // int64 [L] on the target device
    readonly Generator generator;

    public int ContextLength { get; }
    public long TokenCount => tokens.shape[0];

    public LanguageModelWindows(int[] tokenStream, int contextLength, long seed, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(tokenStream);
        if (contextLength < 1) throw new ArgumentOutOfRangeException(nameof(contextLength), $"context length must be >= 1, got {contextLength}");
        if (tokenStream.Length < contextLength + 1)
            throw new ArgumentException($"a window of {contextLength} tokens plus its shifted target needs at least {contextLength + 1} tokens; the stream has {tokenStream.Length}");
        if (tokenStream.Any(t => t < 0))
            throw new ArgumentException("token ids must be non-negative");
        device ??= CPU;
        ContextLength = contextLength;
        tokens = tensor(tokenStream.Select(t => (long)t).ToArray(), ScalarType.Int64, device).DetachFromDisposeScope();
        generator = new Generator((ulong)seed, device);
    }

    /// <summary>A batch: X and Y both int64 [batchSize, ContextLength].</summary>
    /// <summary>Restarts the window sampler from <paramref name="seed"/>, e.g. a seed derived from the
    /// training step, so a batch can be drawn as a pure function of the step.</summary>
    public void Reseed(long seed) => generator.manual_seed(seed);

    public (Tensor X, Tensor Y) Sample(int batchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batch size must be >= 1, got {batchSize}");
        using var scope = NewDisposeScope();
        long windows = TokenCount - ContextLength; // valid starts: 0 .. L-T-1
        Tensor starts = randint(0, windows, [batchSize], ScalarType.Int64, tokens.device, generator: generator);
        Tensor positions = starts.unsqueeze(1) + arange(ContextLength + 1, ScalarType.Int64, tokens.device).unsqueeze(0);
        Tensor span = tokens.index_select(0, positions.flatten()).view(batchSize, ContextLength + 1);
        Tensor x = span[.., ..ContextLength].contiguous();
        Tensor y = span[.., 1..].contiguous();
        return (x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        tokens.Dispose();
        generator.Dispose();
    }
}
