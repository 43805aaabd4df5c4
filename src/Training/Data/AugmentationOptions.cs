namespace TrainKit.Training.Data;

/// <summary>Training-time augmentation: random crop from a zero-padded image and random horizontal flip
/// (the standard CIFAR recipe of He et al. 2016), then per-channel normalisation.</summary>
/// <param name="Padding">Zero pixels added on every side before the random crop back to the original
/// size; 0 disables the crop. 4 for 32×32 CIFAR, 2 is a common choice for 28×28 (Fashion-)MNIST.</param>
/// <param name="HorizontalFlip">Mirror each image left–right with probability 1/2. Off for digits.</param>
/// <param name="RandomErasing">Probability of erasing a random rectangle of each image after normalisation (Zhong et
/// al. 2020, torchvision's RandomErasing defaults: area 2–33 %, aspect ratio 0.3–3.3 log-uniform, 10 tries, value 0,
/// which after normalisation is the mean pixel); 0 disables it.</param>
public sealed record AugmentationOptions(int Padding = 4, bool HorizontalFlip = true, double RandomErasing = 0)
{
    public static readonly AugmentationOptions None = new(0, false);

    /// <summary>The usual choice per dataset: CIFAR pad 4 + flip, Fashion-MNIST pad 2 + flip, MNIST pad 2.</summary>
    public static AugmentationOptions DefaultFor(string datasetName) => datasetName switch
    {
        "mnist" => new(2, false),
        "fashion-mnist" or KnownDatasets.EmbeddedName => new(2, true),
        _ => new(4, true),
    };
}
