using TrainKit.Schedulers.Config;

namespace TrainKit.Schedulers.Tests;

/// <summary>One valid spec per kind (JSON, as a user would write it), sized for runs of ~60 steps.</summary>
public static class KindSamples
{
    public static readonly IReadOnlyDictionary<string, string> Json = new Dictionary<string, string>
    {
        ["ConstantLR"] = """{"kind":"ConstantLR","params":{"factor":0.5,"total_iters":10}}""",
        ["StepLR"] = """{"kind":"StepLR","params":{"step_size":7,"gamma":0.5}}""",
        ["MultiStepLR"] = """{"kind":"MultiStepLR","params":{"milestones":[10,25,40],"gamma":0.1}}""",
        ["ExponentialLR"] = """{"kind":"ExponentialLR","params":{"gamma":0.95}}""",
        ["InverseTime"] = """{"kind":"InverseTime","params":{"decay_rate":0.5,"decay_steps":10}}""",
        ["LinearLR"] = """{"kind":"LinearLR","params":{"start_factor":0.1,"total_iters":10}}""",
        ["PolynomialLR"] = """{"kind":"PolynomialLR","params":{"total_iters":40,"power":2}}""",
        ["CosineAnnealingLR"] = """{"kind":"CosineAnnealingLR","params":{"T_max":40,"eta_min":0.001}}""",
        ["CosinePower"] = """{"kind":"CosinePower","params":{"decay_steps":40,"power":2,"eta_min":0.001}}""",
        ["WarmupCosine"] = """{"kind":"WarmupCosine","params":{"warmup_steps":10,"total_steps":60,"min_lr_ratio":0.1}}""",
        ["WarmupCosineHardRestarts"] = """{"kind":"WarmupCosineHardRestarts","params":{"warmup_steps":6,"total_steps":60,"num_cycles":3}}""",
        ["CosineAnnealingWarmRestarts"] = """{"kind":"CosineAnnealingWarmRestarts","params":{"T_0":3,"T_mult":1.5,"eta_min":0.0005,"warmup":0.5,"cycle_decay":0.8},"unit":"epochs","steps_per_epoch":4}""",
        ["OneCycleLR"] = """{"kind":"OneCycleLR","params":{"max_lr":[0.5,0.05,0.2],"total_steps":80,"three_phase":true}}""",
        ["CyclicLR"] = """{"kind":"CyclicLR","params":{"base_lr":0.01,"max_lr":0.1,"step_size_up":5,"step_size_down":8,"mode":"triangular2"}}""",
        ["SlantedTriangular"] = """{"kind":"SlantedTriangular","params":{"total_steps":60,"cut_frac":0.2}}""",
        ["InverseSqrt"] = """{"kind":"InverseSqrt","params":{"warmup_steps":10,"timescale":5}}""",
        ["Noam"] = """{"kind":"Noam","params":{"d_model":64,"warmup_steps":10}}""",
        ["WSD"] = """{"kind":"WSD","params":{"warmup_steps":10,"stable_steps":20,"decay_steps":20,"min_lr_ratio":0.1,"decay_type":"1-sqrt","warmup_type":"cosine"}}""",
        ["SequentialLR"] = """{"kind":"SequentialLR","params":{"schedulers":[{"kind":"LinearLR","start_factor":0.01,"total_iters":10},{"kind":"CosineAnnealingLR","params":{"T_max":50}}],"milestones":[10]}}""",
        ["ChainedScheduler"] = """{"kind":"ChainedScheduler","params":{"schedulers":[{"kind":"ExponentialLR","gamma":0.97},{"kind":"StepLR","step_size":10,"gamma":0.5}]}}""",
        ["ReduceLROnPlateau"] = """{"kind":"ReduceLROnPlateau","params":{"patience":2,"factor":0.5,"warmup_steps":5,"cooldown":1}}""",
        ["hf.linear"] = """{"kind":"hf.linear","params":{"num_warmup_steps":6,"num_training_steps":50}}""",
        ["hf.cosine"] = """{"kind":"hf.cosine","params":{"num_warmup_steps":6,"num_training_steps":50}}""",
        ["hf.cosine_with_restarts"] = """{"kind":"hf.cosine_with_restarts","params":{"num_warmup_steps":6,"num_training_steps":50,"num_cycles":2}}""",
        ["hf.polynomial"] = """{"kind":"hf.polynomial","params":{"num_warmup_steps":6,"num_training_steps":50,"lr_end":0.0001,"power":2}}""",
        ["hf.constant"] = """{"kind":"hf.constant"}""",
        ["hf.constant_with_warmup"] = """{"kind":"hf.constant_with_warmup","params":{"num_warmup_steps":6}}""",
        ["hf.inverse_sqrt"] = """{"kind":"hf.inverse_sqrt","params":{"num_warmup_steps":6}}""",
        ["hf.reduce_lr_on_plateau"] = """{"kind":"hf.reduce_lr_on_plateau","params":{"patience":2,"factor":0.5}}""",
        ["hf.cosine_with_min_lr"] = """{"kind":"hf.cosine_with_min_lr","params":{"num_warmup_steps":6,"num_training_steps":50,"min_lr_rate":0.1}}""",
        ["hf.warmup_stable_decay"] = """{"kind":"hf.warmup_stable_decay","params":{"num_warmup_steps":6,"num_decay_steps":20,"num_training_steps":50}}""",
        ["timm.cosine"] = """{"kind":"timm.cosine","params":{"t_initial":20,"cycle_mul":1.5,"cycle_decay":0.7,"cycle_limit":3,"warmup_t":5,"warmup_lr_init":0.001,"warmup_prefix":true,"k_decay":1.5,"noise_range_t":[10,40],"noise_pct":0.2,"noise_seed":3}}""",
        ["timm.poly"] = """{"kind":"timm.poly","params":{"t_initial":50,"power":2,"lr_min":0.001,"warmup_t":6}}""",
        ["timm.tanh"] = """{"kind":"timm.tanh","params":{"t_initial":25,"cycle_limit":2,"warmup_t":4,"noise_range_t":8,"noise_type":"uniform"}}""",
        ["timm.step"] = """{"kind":"timm.step","params":{"decay_t":10,"decay_rate":0.5,"warmup_t":3}}""",
        ["timm.multistep"] = """{"kind":"timm.multistep","params":{"decay_t":[10,25,40],"decay_rate":0.3,"warmup_t":3,"warmup_prefix":false}}""",
    };

    public static ScheduleSpec Spec(string kind) => ScheduleSpec.FromJson(Json[kind]);

    public static TheoryData<string> Kinds()
    {
        var data = new TheoryData<string>();
        foreach (var k in ScheduleCatalog.Kinds) data.Add(k.Name);
        return data;
    }
}
