using TorchSharp;
using static TorchSharp.torch;

namespace TrainKit.Models;

/// <summary>Managed checks run at the top of every <c>forward</c>. Some libtorch errors (a matmul with
/// mismatched shapes, for one) abort the whole process in TorchSharp 0.107 instead of throwing, so a
/// model rejects a malformed input here, with a message that says what it expected, before any native op.</summary>
public static class InputChecks
{
    /// <summary>An image batch [N, channels, size, size] of a floating-point dtype.</summary>
    public static void RequireImageBatch(Tensor input, long channels, long size, string model)
    {
        ArgumentNullException.ThrowIfNull(input);
        string expected = $"{model} expects a float batch [N, {channels}, {size}, {size}]";
        if (input.Dimensions != 4)
            throw new ArgumentException($"{expected}, got a tensor of shape {ShapeText(input)}", nameof(input));
        if (!is_floating_point(input))
            throw new ArgumentException($"{expected}, got dtype {input.dtype} (convert uint8 pixels with the augmentation/normalization step first)", nameof(input));
        if (input.shape[0] < 1 || input.shape[1] != channels || input.shape[2] != size || input.shape[3] != size)
            throw new ArgumentException($"{expected}, got {ShapeText(input)}", nameof(input));
    }

    /// <summary>A batch of token ids [B, T] (int64), 1 ≤ T ≤ contextLength, ids in [0, vocabSize).</summary>
    public static void RequireTokenBatch(Tensor input, long contextLength, long vocabSize, string model)
    {
        ArgumentNullException.ThrowIfNull(input);
        string expected = $"{model} expects int64 token ids [B, T] with 1 <= T <= {contextLength}";
        if (input.Dimensions != 2)
            throw new ArgumentException($"{expected}, got a tensor of shape {ShapeText(input)}", nameof(input));
        if (input.dtype != ScalarType.Int64)
            throw new ArgumentException($"{expected}, got dtype {input.dtype}", nameof(input));
        if (input.shape[0] < 1 || input.shape[1] < 1 || input.shape[1] > contextLength)
            throw new ArgumentException($"{expected}, got {ShapeText(input)}", nameof(input));
        // Reductions are safe natives; an out-of-range id inside the embedding lookup is not worth the risk.
        long min = input.min().item<long>(), max = input.max().item<long>();
        if (min < 0 || max >= vocabSize)
            throw new ArgumentException($"{model}: token ids must lie in [0, {vocabSize}), got values in [{min}, {max}]", nameof(input));
    }

    public static string ShapeText(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}
