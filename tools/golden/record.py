#!/usr/bin/python3
"""Records the scheduler reference trajectories into tests/fixtures/schedulers/*.json.

Run with Debian's python3-torch (apt-get install python3-torch):
    /usr/bin/python3 tools/golden/record.py                 # rewrite every fixture
    /usr/bin/python3 tools/golden/record.py --check DIR     # compare with an older recording (e.g. the 22 files
                                                            # the project started from), print the largest difference
PyTorch kinds run on real torch.optim optimizers with torch.optim.lr_scheduler; the torch version goes into each
file's "source". The HF/transformer kinds are the published formulas (see trajectory.py). Each fixture's
"category" names the behaviour it pins (step_epoch_then_step, chained, epoch_units_offsets, ...).
"""
import argparse
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trajectory  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "tests", "fixtures", "schedulers")


def sgd(name, kind, params, steps, base_lrs=(0.1,), momentum=0.9, **extra):
    return dict(name=name, kind=kind, optimizer="SGD", base_lrs=list(base_lrs), momentum=momentum, steps=steps,
                params=params, **extra)


def closed(name, kind, params, steps, base_lrs=(0.1,), formula="", **extra):
    return dict(name=name, kind=kind, optimizer="any", base_lrs=list(base_lrs), steps=steps,
                params=dict(params, formula=formula) if formula else params, **extra)


ONECYCLE = dict(div_factor=25.0, final_div_factor=10000.0, cycle_momentum=True, base_momentum=0.85, max_momentum=0.95)

CASES = [
    # ---- the 22 trajectories the project started from (same names and parameters) ----
    sgd("CosineAnnealingLR", "CosineAnnealingLR", dict(T_max=40, eta_min=0.001), 60),
    sgd("CosineAnnealingWarmRestarts", "CosineAnnealingWarmRestarts", dict(T_0=10, T_mult=2, eta_min=0.0005), 80,
        base_lrs=(0.1, 0.02)),
    sgd("CosineAnnealingWarmRestarts_Tmult1", "CosineAnnealingWarmRestarts", dict(T_0=15, T_mult=1, eta_min=0.0), 70),
    sgd("CosineAnnealingWarmRestarts_fractional", "CosineAnnealingWarmRestarts",
        dict(T_0=3, T_mult=2, eta_min=0.001, note="step(epoch) with epoch=k/8 after the k-th optimizer step"), 100,
        fractional_iters_per_epoch=8, category="step_epoch"),
    sgd("CyclicLR_exp_range", "CyclicLR", dict(base_lr=0.001, max_lr=0.1, step_size_up=6, mode="exp_range", gamma=0.97,
                                               cycle_momentum=False), 60),
    sgd("CyclicLR_triangular", "CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=8, mode="triangular",
                                                cycle_momentum=True, base_momentum=0.8, max_momentum=0.9), 60,
        category="momentum"),
    sgd("CyclicLR_triangular2", "CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=5, step_size_down=10,
                                                 mode="triangular2", cycle_momentum=False), 70),
    sgd("ExponentialLR", "ExponentialLR", dict(gamma=0.95), 60),
    closed("InverseSqrt", "InverseSqrt", dict(warmup_steps=10, timescale=10), 80,
           formula="t<W: t/W; else 1/sqrt((t+timescale-W)/timescale)"),
    sgd("LinearLR_warmup", "LinearLR", dict(start_factor=0.1, end_factor=1.0, total_iters=10), 30),
    sgd("MultiStepLR", "MultiStepLR", dict(milestones=[10, 25, 40], gamma=0.1), 60),
    closed("Noam", "Noam", dict(d_model=512, warmup_steps=40), 200, base_lrs=(1.0,),
           formula="d^-0.5*min(s^-0.5, s*W^-1.5), s=t+1"),
    dict(name="OneCycleLR_Adam_betas", kind="OneCycleLR", optimizer="Adam", base_lrs=[0.001], momentum=0.9, steps=49,
         params=dict(max_lr=0.01, total_steps=50, pct_start=0.3, anneal_strategy="cos", **ONECYCLE,
                     note="momentum column is betas[0]"), category="momentum"),
    sgd("OneCycleLR_cos", "OneCycleLR", dict(max_lr=0.5, total_steps=100, pct_start=0.3, anneal_strategy="cos",
                                             three_phase=False, **ONECYCLE), 99, category="momentum"),
    sgd("OneCycleLR_linear_three_phase", "OneCycleLR",
        dict(max_lr=[0.4, 0.04], total_steps=90, pct_start=0.25, anneal_strategy="linear", three_phase=True,
             **dict(ONECYCLE, div_factor=10.0, final_div_factor=100.0)), 89, base_lrs=(0.1, 0.01), category="multi_group"),
    sgd("PolynomialLR", "PolynomialLR", dict(total_iters=40, power=2.0), 50),
    sgd("SequentialLR_warmup_cosine", "SequentialLR",
        dict(schedulers=[dict(kind="LinearLR", start_factor=0.01, end_factor=1.0, total_iters=10),
                         dict(kind="CosineAnnealingLR", T_max=50, eta_min=0.0)], milestones=[10]), 60,
        category="sequential"),
    sgd("StepLR", "StepLR", dict(step_size=7, gamma=0.5), 60),
    closed("WSD_cosine", "WSD", dict(warmup_steps=10, stable_steps=30, decay_steps=20, min_lr_ratio=0.0,
                                     decay_type="cosine"), 70),
    closed("WarmupCosine", "WarmupCosine", dict(warmup_steps=10, total_steps=100, num_cycles=0.5), 100,
           formula="t<W: t/W; else 0.5*(1+cos(pi*2*cycles*(t-W)/(T-W)))"),
    closed("WarmupCosineHardRestarts", "WarmupCosineHardRestarts", dict(warmup_steps=6, total_steps=90, num_cycles=3), 90,
           formula="t<W: t/W; p=(t-W)/(T-W); p>=1: 0; else 0.5*(1+cos(pi*((cycles*p)%1)))"),
    closed("WarmupCosine_min_lr", "WarmupCosine", dict(warmup_steps=5, total_steps=60, min_lr_ratio=0.1), 60,
           formula="t<W: t/W; else m+(1-m)*0.5*(1+cos(pi*(t-W)/(T-W)))"),

    # ---- step(epoch): jumps, and step() after a jump (PyTorch continues from the jumped-to epoch) ----
    sgd("StepLR_step_epoch_jumps", "StepLR", dict(step_size=5, gamma=0.5), 12,
        step_epochs=[3, 7, 7, 12, 2, 20, 0, 9, 10, 31, 15, 5], category="step_epoch"),
    sgd("CosineAnnealingLR_step_epoch_jumps", "CosineAnnealingLR", dict(T_max=30, eta_min=0.01), 10,
        step_epochs=[4, 9, 1, 30, 17, 45, 2, 29, 60, 11], category="step_epoch"),
    sgd("StepLR_step_epoch_then_step", "StepLR", dict(step_size=5, gamma=0.5), 20,
        step_epochs=[None] * 5 + [12] + [None] * 14, category="step_epoch_then_step"),
    sgd("CosineAnnealingWarmRestarts_step_epoch_then_step", "CosineAnnealingWarmRestarts",
        dict(T_0=10, T_mult=2, eta_min=0.0), 30, step_epochs=[None] * 20 + [26] + [None] * 9,
        category="step_epoch_then_step"),

    # ---- several parameter groups, every optimizer family with momentum / beta1 ----
    sgd("CosineAnnealingLR_three_groups", "CosineAnnealingLR", dict(T_max=25, eta_min=0.001), 40,
        base_lrs=(0.1, 0.01, 0.5), category="multi_group"),
    sgd("CyclicLR_per_group_bounds", "CyclicLR", dict(base_lr=[0.01, 0.001], max_lr=[0.1, 0.02], step_size_up=4,
                                                      step_size_down=6, mode="triangular2", cycle_momentum=True,
                                                      base_momentum=0.8, max_momentum=0.9), 50,
        base_lrs=(0.1, 0.01), category="multi_group"),
    dict(name="CyclicLR_Adam_beta1", kind="CyclicLR", optimizer="Adam", base_lrs=[0.01], momentum=0.9, steps=40,
         params=dict(base_lr=0.001, max_lr=0.01, step_size_up=5, mode="triangular", cycle_momentum=True,
                     base_momentum=0.8, max_momentum=0.9,
                     note="current PyTorch cycles Adam's beta1 (use_beta1); 1.13 refuses Adam here, so the "
                          "recorder applies current PyTorch's rule"), category="momentum"),
    dict(name="OneCycleLR_AdamW_two_groups", kind="OneCycleLR", optimizer="AdamW", base_lrs=[0.001, 0.0001],
         momentum=0.9, steps=59, params=dict(max_lr=[0.01, 0.002], total_steps=60, pct_start=0.4, anneal_strategy="cos",
                                             **ONECYCLE), category="multi_group"),
    dict(name="ExponentialLR_AdamW", kind="ExponentialLR", optimizer="AdamW", base_lrs=[0.003], momentum=0.9, steps=30,
         params=dict(gamma=0.9)),

    # ---- composites ----
    sgd("SequentialLR_constant_exponential_cosine", "SequentialLR",
        dict(schedulers=[dict(kind="ConstantLR", factor=0.5, total_iters=3), dict(kind="ExponentialLR", gamma=0.9),
                         dict(kind="CosineAnnealingLR", T_max=20, eta_min=0.001)], milestones=[3, 15]), 40,
        base_lrs=(0.1, 0.05), category="sequential"),
    sgd("ChainedScheduler_cosine_exponential", "ChainedScheduler",
        dict(schedulers=[dict(kind="CosineAnnealingLR", T_max=20, eta_min=0.01), dict(kind="ExponentialLR", gamma=0.9)]),
        30, category="chained"),
    # Children whose chainable steps are pure multiplications (ConstantLR, ExponentialLR, StepLR, MultiStepLR) agree
    # with a product of multipliers; a cosine with eta_min does not (issue #14 item 5).
    sgd("ChainedScheduler_constant_exponential", "ChainedScheduler",
        dict(schedulers=[dict(kind="ConstantLR", factor=0.1, total_iters=20), dict(kind="ExponentialLR", gamma=0.9)]),
        30, category="chained_multiplicative"),

    # ---- defaults and forms PyTorch users type ----
    sgd("ConstantLR_defaults", "ConstantLR", {}, 10, category="constantlr_defaults"),
    sgd("ConstantLR", "ConstantLR", dict(factor=0.5, total_iters=4), 10),
    sgd("LinearLR_defaults", "LinearLR", {}, 10),
    sgd("MultiStepLR_repeated_milestones", "MultiStepLR", dict(milestones=[10, 10, 25], gamma=0.1), 30,
        category="multistep_repeated_milestones"),
    sgd("OneCycleLR_epochs_form", "OneCycleLR", dict(max_lr=0.1, epochs=5, steps_per_epoch=10), 49,
        category="onecycle_epochs_form"),

    # ---- epoch units: a schedule given in epochs equals the same schedule in steps x steps_per_epoch ----
    sgd("StepLR_epochs", "StepLR", dict(step_size=2, gamma=0.5), 40, unit="epochs", steps_per_epoch=5,
        torch_params=dict(step_size=10, gamma=0.5), category="epoch_units"),
    sgd("OneCycleLR_epochs_unit", "OneCycleLR", dict(max_lr=0.1, total_steps=5), 49, unit="epochs", steps_per_epoch=10,
        torch_params=dict(max_lr=0.1, total_steps=50), category="epoch_units_offsets"),

    # ---- HF get_scheduler names ("hf." kinds): HF's lambdas (see trajectory.py) on torch's LambdaLR ----
    closed("hf_linear", "hf.linear", dict(num_warmup_steps=5, num_training_steps=40), 50, base_lrs=(0.1, 0.02),
           category="hf"),
    closed("hf_cosine", "hf.cosine", dict(num_warmup_steps=8, num_training_steps=60), 70, category="hf"),
    closed("hf_cosine_two_cycles", "hf.cosine", dict(num_warmup_steps=4, num_training_steps=50, num_cycles=2.0), 55,
           category="hf"),
    closed("hf_cosine_with_restarts", "hf.cosine_with_restarts",
           dict(num_warmup_steps=5, num_training_steps=65, num_cycles=3), 70, category="hf"),
    closed("hf_polynomial", "hf.polynomial", dict(num_warmup_steps=6, num_training_steps=40, lr_end=0.001, power=2.0),
           50, base_lrs=(0.1, 0.05), category="hf"),
    closed("hf_polynomial_defaults", "hf.polynomial", dict(num_warmup_steps=3, num_training_steps=30), 35,
           category="hf"),
    closed("hf_constant", "hf.constant", {}, 10, category="hf"),
    closed("hf_constant_with_warmup", "hf.constant_with_warmup", dict(num_warmup_steps=7), 20, category="hf"),
    closed("hf_inverse_sqrt", "hf.inverse_sqrt", dict(num_warmup_steps=10), 60, category="hf"),
    closed("hf_cosine_with_min_lr", "hf.cosine_with_min_lr",
           dict(num_warmup_steps=5, num_training_steps=50, min_lr=0.005), 60, base_lrs=(0.1, 0.04), category="hf"),
    closed("hf_cosine_with_min_lr_rate", "hf.cosine_with_min_lr",
           dict(num_warmup_steps=5, num_training_steps=50, min_lr_rate=0.1), 55, category="hf"),
    closed("hf_warmup_stable_decay", "hf.warmup_stable_decay",
           dict(num_warmup_steps=5, num_decay_steps=20, num_training_steps=60, decay_type="linear", min_lr_ratio=0.05),
           70, category="hf"),
    closed("hf_warmup_stable_decay_stable", "hf.warmup_stable_decay",
           dict(num_warmup_steps=4, num_decay_steps=10, num_stable_steps=12, warmup_type="cosine", decay_type="1-sqrt"),
           30, category="hf"),
    sgd("hf_reduce_lr_on_plateau", "hf.reduce_lr_on_plateau", dict(patience=2, factor=0.5, cooldown=1), 30,
        metrics=[1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.7, 0.7, 0.7, 0.7,
                 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7], category="hf"),

    # ---- timm's schedulers (formulas from timm/scheduler, noise from torch.Generator; see trajectory.py) ----
    closed("timm_cosine_warmup", "timm.cosine", dict(t_initial=40, lr_min=0.002, warmup_t=6, warmup_lr_init=0.001), 50,
           base_lrs=(0.1, 0.03), category="timm"),
    closed("timm_cosine_cycles", "timm.cosine", dict(t_initial=8, cycle_mul=2.0, cycle_decay=0.5, cycle_limit=3, lr_min=0.001,
                                                   warmup_t=4, warmup_prefix=True), 70, category="timm"),
    closed("timm_cosine_k_decay", "timm.cosine", dict(t_initial=30, k_decay=2.0, cycle_limit=2), 65, category="timm"),
    closed("timm_cosine_noise_normal", "timm.cosine", dict(t_initial=50, noise_range_t=[10, 40], noise_pct=0.3, noise_seed=7),
           55, base_lrs=(0.1, 0.05), category="timm_noise"),
    closed("timm_cosine_noise_uniform", "timm.cosine", dict(t_initial=30, noise_range_t=5, noise_type="uniform",
                                                          noise_pct=0.5), 35, category="timm_noise"),
    closed("timm_poly", "timm.poly", dict(t_initial=40, power=2.0, k_decay=0.5, lr_min=0.0005, warmup_t=5), 45,
           category="timm"),
    closed("timm_tanh_warmup", "timm.tanh", dict(t_initial=30, warmup_t=5, warmup_lr_init=0.002, lb=-6.0, ub=4.0), 40,
           category="timm"),
    closed("timm_tanh_cycles", "timm.tanh", dict(t_initial=10, cycle_mul=1.5, cycle_limit=3, noise_range_t=[3], noise_pct=0.67),
           40, category="timm_noise"),
    closed("timm_step", "timm.step", dict(decay_t=7, decay_rate=0.5, warmup_t=3, warmup_lr_init=0.01), 30, category="timm"),
    closed("timm_multistep", "timm.multistep", dict(decay_t=[5, 12, 12, 20], decay_rate=0.3, warmup_t=2,
                                                    warmup_prefix=False), 30, category="timm"),
    closed("timm_cosine_epochs", "timm.cosine", dict(t_initial=5, warmup_t=1, cycle_limit=2), 60, unit="epochs",
           steps_per_epoch=6, torch_params=dict(t_initial=30, warmup_t=6, cycle_limit=2), category="timm_epoch_units"),
    # ---- ReduceLROnPlateau with one min_lr per group (PyTorch's list form) ----
    sgd("ReduceLROnPlateau_per_group_min_lr", "ReduceLROnPlateau", dict(patience=1, factor=0.3, min_lr=[0.004, 0.0005]), 24,
        base_lrs=(0.1, 0.01), metrics=[1.0] * 24, category="plateau_per_group_min_lr"),
]


def record():
    os.makedirs(OUT, exist_ok=True)
    for case in CASES:
        result = trajectory.run(dict(case, category=case.get("category", "plain")))
        with open(os.path.join(OUT, case["name"] + ".json"), "w") as f:
            json.dump(result, f, indent=1)
            f.write("\n")
    print(f"wrote {len(CASES)} fixtures to {os.path.relpath(OUT, ROOT)} ({trajectory.torch_version()})")


def error(a, b):
    return abs(a - b) / max(abs(b), 1e-3)


def check(folder):
    worst = 0.0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json"):
            continue
        old = json.load(open(os.path.join(folder, name)))
        case = next((c for c in CASES if c["name"] == old["name"]), None)
        if case is None:
            print(f"{name}: no recorder case of that name")
            worst = math.inf
            continue
        new = trajectory.run(case)
        e = max((error(a, b) for ra, rb in zip(new["lrs"], old["lrs"]) for a, b in zip(ra, rb)), default=0.0)
        if old.get("momenta"):
            e = max([e] + [error(a, b) for ra, rb in zip(new["momenta"], old["momenta"]) for a, b in zip(ra, rb)])
        if len(new["lrs"]) != len(old["lrs"]):
            e = math.inf
        worst = max(worst, e)
        print(f"{name:45s} max rel err {e:.2e}")
    print(f"largest difference {worst:.2e}")
    return 0 if worst <= 1e-12 else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", metavar="DIR", help="compare the recorder with the fixtures in DIR instead of writing")
    args = parser.parse_args()
    sys.exit(check(args.check) if args.check else record())
