namespace TrainKit.Training.Reports;

/// <summary>What each preset's numbers should be read against: the published result its claim comes from, how far
/// this setting is from it, and this data's own convergence ceiling. Shown under the description of every report.</summary>
public static class ClaimAnchors
{
    /// <summary>The 10k-image ResNet presets' ceiling: docs/results/ceiling-10k, one 60-epoch cosine run.</summary>
    const string Ceiling = "Ceiling of this data: the same half-width ResNet-20 trained 60 epochs with cosine decay on the same 10,000 images reached " +
                           CeilingAccuracy + " on the 10,000 test images (docs/results/ceiling-10k, seed 0).";

    /// <summary>Measured by docs/results/ceiling-10k (see its summary.json).</summary>
    public const string CeilingAccuracy = "91.30 %";

    const string FullData = "On all 60,000 training images, TrainKit's full-width ResNet-20 reaches 93.69 % in 12 epochs (docs/results/fmnist-resnet20); " +
                            "Zalando's Fashion-MNIST benchmark lists about 91.6 % for a 2-layer CNN and 94.9 % for ResNet-18 (self-reported, setups differ).";

    public static string? For(string preset) => preset switch
    {
        "quick" => "A smoke test, far from converged: 3 epochs of a half-width ResNet-20 on the bundled 10,000 images. " + FullData +
                   " On CIFAR-10, He et al. 2016 report 91.25 % for ResNet-20 after 64k iterations; airbench94 reaches 94 % in 3.29 s on one A100.",
        "super-convergence" => "Smith & Topin 2019: ResNet-56 on CIFAR-10, 1cycle 92.4 % in 10k iterations against 91.2 % for a piecewise-constant schedule in 80k; " +
                               "here 156 and 624 iterations of a half-width ResNet-20 on 10,000 Fashion-MNIST images. " + Ceiling,
        "wsd" => "Hägele et al. 2024 compared WSD with cosine on transformer language models over billions of tokens; here a small image classifier " +
                 "over hundreds of steps, so agreement or disagreement says how far the finding carries, not whether it holds for LLMs. " + Ceiling,
        "restarts" => "Loshchilov & Hutter 2017: SGDR's best CIFAR-10 error, 3.74 %, is a WRN-28-20 trained 200 epochs; here 7 epochs of a half-width " +
                      "ResNet-20 on 10,000 Fashion-MNIST images. " + Ceiling,
        "large-batch" => "Goyal et al. 2017: ResNet-50 on ImageNet kept about 23.6–23.7 % top-1 error from batch 256 to 8k with the linear scaling rule " +
                         "and a 5-epoch warmup, and got worse beyond; here a tanh MLP on 10,000 Fashion-MNIST images, batch 32 to 512.",
        "linear-decay" => "Bergsma et al. 2025 measured GPT-style language models far larger than this 110k-parameter one; what carries over is the " +
                          "trend with tokens per parameter, not the size of the gain.",
        "warmup-postln" => "Xiong et al. 2020 trained machine-translation Transformers and BERT: Post-LN needed the warmup, Pre-LN trained without it. " +
                           "Here a 4-layer, width-64 character model on fortunes, so 'stuck' means stuck at the unigram loss (≈ 3.36 nats).",
        "edge-of-stability" => "Cohen et al. 2021 report λ_max rising to just above 2/η and hovering there under full-batch GD, among others for a tanh MLP " +
                               "on 5,000 CIFAR-10 images with the squared loss; this preset is that setting with Fashion-MNIST in place of CIFAR-10.",
        "warmup-sharpness" => "Gilmer et al. 2022 and Kalra & Barkeshli 2024 studied ResNets, WideResNets and Transformers; here a tanh MLP, small enough to " +
                              "probe λ_max every 10 steps.",
        _ => null,
    };
}
