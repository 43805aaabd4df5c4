#!/usr/bin/python3
"""Differential lane, PyTorch side: draws random valid schedule cases from a seed and runs each in PyTorch.

JSON in (stdin), JSON out (stdout), one process for the whole batch:
    in:  {"generate": {"cases": 300, "seed": 1}}     or   {"cases": [<case>, ...]}
    out: {"torch": "torch 1.13.0a0", "seed": 1, "cases": [<case with lrs and momenta>, ...]}
Cases have the fixture format (tests/fixtures/schedulers/README.md); the C# side (TrainKit.Schedulers.Golden.
DifferentialLane) replays each on real TorchSharp optimizers and compares every lr and momentum to 1e-12.
Each case's "category" says what it exercises (the C# report counts disagreements per category). Run by hand: echo '{"generate":{"cases":5,"seed":1}}' | /usr/bin/python3 driver.py
"""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trajectory  # noqa: E402

# Kinds whose PyTorch chainable step is a pure multiplication of the lr, so a ChainedScheduler of them is the
# product of their multipliers; CosineAnnealingLR with eta_min > 0 is affine, not multiplicative.
MULTIPLICATIVE = ["ConstantLR", "ExponentialLR", "StepLR", "MultiStepLR", "LinearLR", "PolynomialLR"]
# Kinds with a closed form in PyTorch (step(epoch) takes it), plus SGDR/OneCycle/Cyclic, which compute from the epoch.
STEP_EPOCH_KINDS = MULTIPLICATIVE + ["CosineAnnealingLR", "CosineAnnealingWarmRestarts", "OneCycleLR", "CyclicLR"]
PLAIN_KINDS = STEP_EPOCH_KINDS + sorted(trajectory.CLOSED_FORM)


class Draw:
    def __init__(self, rng):
        self.r = rng

    def f(self, lo, hi, digits=4):
        return round(self.r.uniform(lo, hi), digits)

    def i(self, lo, hi):
        return self.r.randint(lo, hi)

    def pick(self, xs):
        return self.r.choice(xs)

    def milestones(self, steps, count, unique=True):
        pool = list(range(1, max(1, steps) + 1))
        ms = sorted(self.r.sample(pool, min(count, len(pool))))
        if not unique:
            ms = sorted(ms + [self.pick(ms)])
        return ms


def params_for(d, kind, steps, groups):
    """Valid parameters (for PyTorch and TrainKit) of one kind over a run of `steps` scheduler steps."""
    if kind == "StepLR":
        return dict(step_size=d.i(1, max(1, steps // 2)), gamma=d.f(0.1, 0.95))
    if kind == "MultiStepLR":
        return dict(milestones=d.milestones(steps, d.i(1, 4)), gamma=d.f(0.1, 0.9))
    if kind == "ExponentialLR":
        return dict(gamma=d.f(0.8, 0.999))
    if kind == "CosineAnnealingLR":
        return dict(T_max=d.i(2, steps), eta_min=d.pick([0.0, d.f(1e-5, 1e-3, 6)]))
    if kind == "LinearLR":
        return dict(start_factor=d.f(0.01, 1.0), end_factor=d.f(0.0, 1.0), total_iters=d.i(1, steps))
    if kind == "PolynomialLR":
        return dict(total_iters=d.i(1, steps), power=d.f(0.5, 3.0))
    if kind == "ConstantLR":
        return dict(factor=d.f(0.05, 1.0), total_iters=d.i(1, steps))
    if kind == "CosineAnnealingWarmRestarts":
        return dict(T_0=d.i(1, max(1, steps // 3)), T_mult=d.i(1, 3), eta_min=d.pick([0.0, d.f(1e-5, 1e-3, 6)]))
    if kind == "CyclicLR":
        base = [d.f(1e-4, 1e-2, 6) for _ in range(groups)]
        top = [b * d.f(2.0, 20.0) for b in base]
        # A scalar bound stands for every group, so it must stay on its side of every group's other bound.
        p = dict(base_lr=base if groups > 1 and d.r.random() < 0.5 else min(base),
                 max_lr=top if groups > 1 and d.r.random() < 0.5 else max(top),
                 step_size_up=d.i(1, 10), mode=d.pick(["triangular", "triangular2", "exp_range"]), cycle_momentum=False)
        if d.r.random() < 0.5:
            p["step_size_down"] = d.i(1, 10)
        if p["mode"] == "exp_range":
            p["gamma"] = d.f(0.9, 0.999)
        return p
    if kind == "OneCycleLR":
        top = [d.f(0.01, 1.0) for _ in range(groups)]
        return dict(max_lr=top if groups > 1 else top[0], total_steps=steps + 1 + d.i(0, 10), pct_start=d.f(0.2, 0.5),
                    anneal_strategy=d.pick(["cos", "linear"]), div_factor=d.f(5.0, 50.0), final_div_factor=d.f(10.0, 1e4, 1),
                    three_phase=d.pick([False, True]), cycle_momentum=False)
    if kind == "WarmupCosine":
        return dict(warmup_steps=d.i(0, steps // 3), total_steps=steps + d.i(0, 20), num_cycles=d.pick([0.5, d.f(0.3, 2.0)]),
                    min_lr_ratio=d.pick([0.0, d.f(0.0, 0.5)]))
    if kind == "WarmupCosineHardRestarts":
        return dict(warmup_steps=d.i(0, steps // 3), total_steps=steps + d.i(0, 20), num_cycles=d.i(1, 4))
    if kind == "InverseSqrt":
        return dict(warmup_steps=d.i(1, steps // 2), timescale=d.i(1, 50))
    if kind == "WSD":
        w = d.i(0, steps // 4)
        s = d.i(0, steps // 2)
        return dict(warmup_steps=w, stable_steps=s, decay_steps=d.i(1, steps), min_lr_ratio=d.pick([0.0, d.f(0.0, 0.3)]),
                    decay_type=d.pick(["linear", "cosine", "1-sqrt"]), warmup_type=d.pick(["linear", "cosine", "1-sqrt"]))
    if kind == "Noam":
        return dict(d_model=d.pick([64, 128, 512, 1024]), warmup_steps=d.i(1, steps))
    raise ValueError(kind)


def timm_params(d, kind, steps):
    """Valid parameters of a timm kind (warmup, cycles, k-decay, noise half of the time) over `steps` updates."""
    p = dict(warmup_t=d.pick([0, d.i(1, max(1, steps // 4))]), warmup_lr_init=d.pick([0.0, d.f(1e-4, 1e-2, 5)]),
             warmup_prefix=d.pick([True, False]))
    if kind == "timm.step":
        p.update(decay_t=d.i(1, steps // 2 + 1), decay_rate=d.f(0.1, 1.0))
    elif kind == "timm.multistep":
        p.update(decay_t=d.milestones(steps, d.i(1, 3), unique=d.pick([True, False])), decay_rate=d.f(0.1, 1.0))
    else:
        p.update(t_initial=d.i(5, steps), cycle_mul=d.pick([1.0, d.f(1.0, 2.5)]), cycle_decay=d.pick([1.0, d.f(0.3, 1.0)]),
                 cycle_limit=d.i(1, 4), lr_min=d.pick([0.0, d.f(0.0, 1e-3, 6)]))
        if kind == "timm.tanh":
            p.update(lb=d.f(-8.0, -2.0), ub=d.f(1.0, 5.0))
        else:
            p["k_decay"] = d.pick([1.0, d.f(0.5, 3.0)])
            if kind == "timm.poly":
                p["power"] = d.f(0.3, 3.0)
    if d.r.random() < 0.5:
        start = d.i(0, steps // 2)
        p.update(noise_range_t=d.pick([start, [start], [start, start + d.i(1, steps)]]),
                 noise_type=d.pick(["normal", "uniform"]), noise_pct=d.f(0.1, 1.0), noise_seed=d.i(0, 1000))
    return p


def timm_case(d, index, steps):
    kind = d.pick(sorted(trajectory.TIMM_KINDS))
    return dict(name=f"case{index:04d}_timm_{kind}", category="timm", kind=kind, steps=steps, optimizer="any",
                base_lrs=[d.f(1e-3, 1.0, 5) for _ in range(d.i(1, 3))], params=timm_params(d, kind, steps))


def base_case(d, index, category, kind, steps, groups=1, optimizer="SGD"):
    case = dict(name=f"case{index:04d}_{category}_{kind}", category=category, kind=kind, steps=steps,
                optimizer="any" if kind in trajectory.CLOSED_FORM else optimizer,
                base_lrs=[d.f(1e-3, 1.0, 5) for _ in range(groups)], params=params_for(d, kind, steps, groups))
    if case["optimizer"] != "any":
        case["momentum"] = 0.9
    return case


def momentum_case(d, index, steps):
    kind = d.pick(["OneCycleLR", "CyclicLR"])
    groups = d.i(1, 3)
    case = base_case(d, index, "momentum", kind, steps, groups, d.pick(["SGD", "Adam", "AdamW"]))
    lo = d.f(0.7, 0.88)
    case["params"].update(cycle_momentum=True, base_momentum=lo, max_momentum=round(lo + d.f(0.02, 0.1), 4))
    return case


def epoch_jumps(d, kind, params, steps):
    if kind == "OneCycleLR":
        top = params["total_steps"] - 1
    else:
        top = 2 * steps
    if kind == "CosineAnnealingWarmRestarts":   # SGDR takes fractional epochs
        return [round(d.r.uniform(0, top), 3) for _ in range(steps)]
    return [d.i(0, top) for _ in range(steps)]


def composite(d, index, category, steps):
    count = d.i(2, 3)
    if category == "sequential":
        pool = MULTIPLICATIVE + ["CosineAnnealingLR"]
    elif category == "chained_multiplicative":
        pool = MULTIPLICATIVE
    else:
        pool = MULTIPLICATIVE + ["CosineAnnealingLR"]
    kinds = [d.pick(pool) for _ in range(count)]
    if category == "chained" and "CosineAnnealingLR" not in kinds:
        kinds[d.i(0, count - 1)] = "CosineAnnealingLR"
    children = [dict(kind=k, **params_for(d, k, steps, 1)) for k in kinds]
    if category == "chained":
        for c in children:
            if c["kind"] == "CosineAnnealingLR":
                c["eta_min"] = d.f(1e-4, 1e-2, 6)
    groups = d.i(1, 2)
    case = dict(name=f"case{index:04d}_{category}", category=category, optimizer="SGD", momentum=0.9, steps=steps,
                base_lrs=[d.f(1e-3, 1.0, 5) for _ in range(groups)])
    if category == "sequential":
        case.update(kind="SequentialLR", params=dict(schedulers=children, milestones=d.milestones(steps - 1, count - 1)))
    else:
        case.update(kind="ChainedScheduler", params=dict(schedulers=children))
    return case


def epoch_units(d, index, category, steps):
    """The same schedule in epochs (TrainKit's spec) and in steps (what PyTorch is given)."""
    spe = d.pick([2, 4, 5, 10])
    epochs = max(2, steps // spe)
    if category == "epoch_units":
        kind = d.pick(["StepLR", "MultiStepLR", "CosineAnnealingLR", "LinearLR", "PolynomialLR", "CosineAnnealingWarmRestarts"])
        p = params_for(d, kind, epochs, 1)
    else:
        kind = d.pick(["OneCycleLR", "WarmupCosine", "InverseSqrt", "Noam", "WSD"])
        p = params_for(d, kind, epochs, 1)
        if kind == "OneCycleLR":
            p["total_steps"] = epochs + 1
    time_keys = {"step_size", "milestones", "T_max", "total_iters", "T_0", "total_steps", "warmup_steps", "stable_steps",
                 "decay_steps", "timescale"}
    torch_p = {k: ([m * spe for m in v] if isinstance(v, list) else v * spe) if k in time_keys else v for k, v in p.items()}
    case = base_case(d, index, category, kind, min(steps, (epochs + 1) * spe - 1 if kind == "OneCycleLR" else steps))
    case.update(params=p, torch_params=torch_p, unit="epochs", steps_per_epoch=spe)
    return case


def generate(count, seed):
    d = Draw(random.Random(seed))
    categories = ["plain"] * 4 + ["multi_group", "momentum", "sequential", "step_epoch", "chained_multiplicative",
                                  "epoch_units", "step_epoch_then_step", "chained", "constantlr_defaults",
                                  "multistep_repeated_milestones", "onecycle_epochs_form", "epoch_units_offsets",
                                  "constantlr_total_iters_0", "timm"]
    cases = []
    for index in range(count):
        category = categories[index % len(categories)]
        steps = d.i(10, 60)
        if category == "plain":
            case = base_case(d, index, category, d.pick(PLAIN_KINDS), steps, 1, d.pick(["SGD", "Adam", "AdamW"]))
        elif category == "multi_group":
            case = base_case(d, index, category, d.pick(PLAIN_KINDS), steps, d.i(2, 4))
        elif category == "momentum":
            case = momentum_case(d, index, steps)
        elif category in ("sequential", "chained_multiplicative", "chained"):
            case = composite(d, index, category, steps)
        elif category == "step_epoch":
            case = base_case(d, index, category, d.pick(STEP_EPOCH_KINDS), steps, d.i(1, 2))
            case["step_epochs"] = epoch_jumps(d, case["kind"], case["params"], steps)
        elif category == "step_epoch_then_step":
            kind = d.pick([k for k in STEP_EPOCH_KINDS if k != "OneCycleLR"])
            case = base_case(d, index, category, kind, steps)
            jumps = epoch_jumps(d, kind, case["params"], steps)
            case["step_epochs"] = [j if d.r.random() < 0.2 else None for j in jumps]
            case["step_epochs"][d.i(0, steps // 2)] = jumps[0]
        elif category == "constantlr_defaults":
            case = base_case(d, index, category, "ConstantLR", steps)
            full = case["params"]
            case["params"] = d.pick([{}, {"factor": full["factor"]}, {"total_iters": full["total_iters"]}])
        elif category == "constantlr_total_iters_0":
            # PyTorch's chainable ConstantLR only undoes the factor when last_epoch == total_iters, which never
            # happens after construction when total_iters is 0: it keeps base*factor for ever.
            case = base_case(d, index, category, "ConstantLR", steps)
            case["params"]["total_iters"] = 0
        elif category == "timm":
            case = timm_case(d, index, steps)
        elif category == "multistep_repeated_milestones":
            case = base_case(d, index, category, "MultiStepLR", steps)
            case["params"]["milestones"] = d.milestones(steps, d.i(1, 3), unique=False)
        elif category == "onecycle_epochs_form":
            case = base_case(d, index, category, "OneCycleLR", steps)
            spe = d.i(2, 10)
            epochs = steps // spe + 1
            p = case["params"]
            p.pop("total_steps")
            p.update(epochs=epochs, steps_per_epoch=spe)
            case["steps"] = min(steps, epochs * spe - 1)
        else:
            case = epoch_units(d, index, category, steps)
        cases.append(case)
    return cases


def main():
    request = json.load(sys.stdin)
    if "generate" in request:
        seed = int(request["generate"]["seed"])
        cases = generate(int(request["generate"]["cases"]), seed)
    else:
        seed = None
        cases = request["cases"]
    out = []
    for case in cases:
        try:
            out.append(trajectory.run(case))
        except Exception as e:  # a case PyTorch itself refuses is a bug in this generator: report it by name
            raise SystemExit(f"driver.py: PyTorch refused {case['name']}: {type(e).__name__}: {e}")
    json.dump({"torch": trajectory.torch_version(), "seed": seed, "cases": out}, sys.stdout)


if __name__ == "__main__":
    main()
