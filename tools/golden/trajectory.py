"""Runs one schedule case in PyTorch and returns its trajectory (shared by record.py and driver.py).

A case is a dict in the fixture format (tests/fixtures/schedulers/README.md):
  kind, params (PyTorch's / HF's own names; SequentialLR and ChainedScheduler nest child specs),
  optimizer (SGD, Adam, AdamW, or "any" for closed-form kinds), base_lrs (one per group), momentum,
  steps, optional step_epochs (per step: None -> step(), a number -> step(epoch)),
  optional fractional_iters_per_epoch (SGDR: step(k / n) after the k-th optimizer step),
  optional torch_params (what PyTorch is given when TrainKit's params are in epochs),
  optional metrics (ReduceLROnPlateau: per step, the metric given to scheduler.step(metric)).
The result adds lrs[k][group] and momenta[k][group] (SGD momentum / Adam beta1) after construction
(k = 0) and after the k-th optimizer.step(); scheduler.step() pair.

PyTorch kinds run on real torch.optim optimizers and torch.optim.lr_scheduler classes. The HF and
transformer kinds (WarmupCosine, WarmupCosineHardRestarts, InverseSqrt, WSD, Noam) are not in torch:
they are computed here from their published formulas (HF transformers' optimization.py, Vaswani et al.),
run through torch's LambdaLR exactly as HF does.

Where Debian's PyTorch 1.13 and current PyTorch (torch/optim/lr_scheduler.py on main) differ, this
module follows current PyTorch; each such place is marked "current PyTorch" below.
"""
import bisect
import math
import warnings

import torch
from torch.optim import lr_scheduler as L

warnings.filterwarnings("ignore")   # step(epoch) is deprecated in PyTorch; the cases call it on purpose.

CLOSED_FORM = {"WarmupCosine", "WarmupCosineHardRestarts", "InverseSqrt", "WSD", "Noam"}


def torch_version():
    return f"torch {torch.__version__}"


# ---- published formulas of the non-torch kinds (multipliers of the base lr at step t) ----

def warmup_cosine(p):
    w, total = p["warmup_steps"], p["total_steps"]
    cycles, m = p.get("num_cycles", 0.5), p.get("min_lr_ratio", 0.0)

    def f(t):
        if t < w:
            return t / max(1, w)
        progress = (t - w) / max(1, total - w)
        return max(0.0, m + (1 - m) * 0.5 * (1.0 + math.cos(math.pi * 2.0 * cycles * progress)))
    return f


def warmup_cosine_hard_restarts(p):
    w, total, cycles = p["warmup_steps"], p["total_steps"], p.get("num_cycles", 1)

    def f(t):
        if t < w:
            return t / max(1, w)
        progress = (t - w) / max(1, total - w)
        if progress >= 1.0:
            return 0.0
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * ((cycles * progress) % 1.0))))
    return f


def inverse_sqrt(p):
    w = p.get("warmup_steps", 0)
    timescale = p.get("timescale") or (w or 10000)

    def f(t):
        if t < w:
            return t / max(1, w)
        shift = timescale - w
        return 1.0 / math.sqrt((t + shift) / timescale)
    return f


def wsd(p):
    """HF get_wsd_schedule as on transformers main: min_lr_ratio applies to both ramps, warmup_type and decay_type
    pick linear / cosine / 1-sqrt, num_cycles shapes the cosine decay, and the floor is min_lr_ratio."""
    w, s, d = p["warmup_steps"], p["stable_steps"], p["decay_steps"]
    m, cycles = p.get("min_lr_ratio", 0.0), p.get("num_cycles", 0.5)
    warmup_type, decay_type = p.get("warmup_type", "linear"), p.get("decay_type", "cosine")

    def f(t):
        if t < w:
            progress = t / max(1, w)
            if warmup_type == "linear":
                factor = progress
            elif warmup_type == "cosine":
                factor = 0.5 * (1.0 - math.cos(math.pi * progress))
            else:
                factor = 1.0 - math.sqrt(1.0 - progress)
            return max(0.0, factor * (1.0 - m) + m)
        if t < w + s:
            return 1.0
        if t < w + s + d:
            progress = (t - w - s) / max(1, d)
            if decay_type == "linear":
                factor = 1.0 - progress
            elif decay_type == "cosine":
                factor = 0.5 * (1.0 + math.cos(math.pi * cycles * 2.0 * progress))
            else:
                factor = 1.0 - math.sqrt(progress)
            return max(0.0, factor * (1.0 - m) + m)
        return m
    return f


def noam(p):
    d, w = p["d_model"], p["warmup_steps"]

    def f(t):
        s = t + 1
        return d ** -0.5 * min(s ** -0.5, s * w ** -1.5)
    return f


FORMULAS = {"WarmupCosine": warmup_cosine, "WarmupCosineHardRestarts": warmup_cosine_hard_restarts,
            "InverseSqrt": inverse_sqrt, "WSD": wsd, "Noam": noam}


# ---- HF get_scheduler names (transformers is not installed: its lambdas, written as transformers/optimization.py
# defines them, with HF's parameter names; lr_init is optimizer.defaults["lr"], as HF reads it) ----

def _hf_warmup(t, w):
    return float(t) / float(max(1, w))


def hf_linear(p, lr_init):
    w, total = p["num_warmup_steps"], p["num_training_steps"]

    def f(t):
        if t < w:
            return _hf_warmup(t, w)
        return max(0.0, float(total - t) / float(max(1, total - w)))
    return f


def hf_cosine(p, lr_init, min_lr_rate=0.0):
    w, total, cycles = p["num_warmup_steps"], p["num_training_steps"], p.get("num_cycles", 0.5)

    def f(t):
        if t < w:
            return _hf_warmup(t, w)
        progress = float(t - w) / float(max(1, total - w))
        factor = 0.5 * (1.0 + math.cos(math.pi * float(cycles) * 2.0 * progress))
        return max(0, factor * (1 - min_lr_rate) + min_lr_rate)
    return f


def hf_cosine_with_restarts(p, lr_init):
    return warmup_cosine_hard_restarts(dict(warmup_steps=p["num_warmup_steps"], total_steps=p["num_training_steps"],
                                            num_cycles=p.get("num_cycles", 1)))


def hf_polynomial(p, lr_init):
    w, total = p["num_warmup_steps"], p["num_training_steps"]
    lr_end, power = p.get("lr_end", 1e-7), p.get("power", 1.0)
    if not lr_init > lr_end:
        raise ValueError(f"lr_end ({lr_end}) must be smaller than initial lr ({lr_init})")

    def f(t):
        if t < w:
            return _hf_warmup(t, w)
        if t > total:
            return lr_end / lr_init
        pct_remaining = 1 - (t - w) / (total - w)
        return ((lr_init - lr_end) * pct_remaining ** power + lr_end) / lr_init
    return f


def hf_constant(p, lr_init):
    return lambda t: 1


def hf_constant_with_warmup(p, lr_init):
    w = p["num_warmup_steps"]
    return lambda t: _hf_warmup(t, w) if t < w else 1.0


def hf_inverse_sqrt(p, lr_init):
    return inverse_sqrt(dict(warmup_steps=p["num_warmup_steps"], timescale=p.get("timescale")))


def hf_cosine_with_min_lr(p, lr_init):
    if ("min_lr" in p) == ("min_lr_rate" in p):
        raise ValueError("exactly one of min_lr or min_lr_rate")
    rate = p["min_lr"] / lr_init if "min_lr" in p else p["min_lr_rate"]
    return hf_cosine(p, lr_init, rate)


def hf_warmup_stable_decay(p, lr_init):
    w, d = p["num_warmup_steps"], p["num_decay_steps"]
    stable = p["num_stable_steps"] if "num_stable_steps" in p else p["num_training_steps"] - w - d
    return wsd(dict(warmup_steps=w, stable_steps=stable, decay_steps=d, min_lr_ratio=p.get("min_lr_ratio", 0.0),
                    warmup_type=p.get("warmup_type", "linear"), decay_type=p.get("decay_type", "cosine"),
                    num_cycles=p.get("num_cycles", 0.5)))


HF_FORMULAS = {"hf.linear": hf_linear, "hf.cosine": hf_cosine, "hf.cosine_with_restarts": hf_cosine_with_restarts,
               "hf.polynomial": hf_polynomial, "hf.constant": hf_constant,
               "hf.constant_with_warmup": hf_constant_with_warmup, "hf.inverse_sqrt": hf_inverse_sqrt,
               "hf.cosine_with_min_lr": hf_cosine_with_min_lr, "hf.warmup_stable_decay": hf_warmup_stable_decay}
FORMULA_KINDS = CLOSED_FORM | set(HF_FORMULAS)


# ---- timm's schedulers (timm is not installed: timm/scheduler/{scheduler,cosine_lr,poly_lr,tanh_lr,step_lr,
# multistep_lr}.py as of huggingface/pytorch-image-models aa4b585 (2026-08), written out with timm's parameter names and
# operation order; the noise uses PyTorch's own torch.Generator exactly as timm's _add_noise does) ----

TIMM_KINDS = {"timm.cosine", "timm.poly", "timm.tanh", "timm.step", "timm.multistep"}
FORMULA_KINDS = FORMULA_KINDS | TIMM_KINDS


def _timm_cycle(p, kind, base, t):
    """timm's _get_lr after the warmup branch (cycles), for one group's base value."""
    t_initial, lr_min = p["t_initial"], p.get("lr_min", 0.0)
    mul, decay, limit = p.get("cycle_mul", 1.0), p.get("cycle_decay", 1.0), p.get("cycle_limit", 1)
    if mul != 1:
        i = math.floor(math.log(1 - t / t_initial * (1 - mul), mul))
        t_i = mul ** i * t_initial
        t_curr = t - (1 - mul ** i) / (1 - mul) * t_initial
    else:
        i = t // t_initial
        t_i = t_initial
        t_curr = t - (t_initial * i)
    if not i < limit:
        return lr_min
    lr_max = base * decay ** i
    if kind == "timm.tanh":
        lb, ub = p.get("lb", -7.0), p.get("ub", 3.0)
        tr = t_curr / t_i
        return lr_min + 0.5 * (lr_max - lr_min) * (1 - math.tanh(lb * (1. - tr) + ub * tr))
    k = p.get("k_decay", 1.0)
    if kind == "timm.poly":
        return lr_min + (lr_max - lr_min) * (1 - t_curr ** k / t_i ** k) ** p.get("power", 0.5)
    return lr_min + 0.5 * (lr_max - lr_min) * (1 + math.cos(math.pi * t_curr ** k / t_i ** k))


def _timm_curve(p, kind, base, t):
    if kind == "timm.step":
        return base * (p.get("decay_rate", 1.0) ** (t // p["decay_t"]))
    if kind == "timm.multistep":
        return base * (p.get("decay_rate", 1.0) ** bisect.bisect_right(p["decay_t"], t + 1))
    return _timm_cycle(p, kind, base, t)


class TimmScheduler:
    """timm's Scheduler contract on a torch optimizer: the constructor sets warmup_lr_init (or leaves the base lr),
    step_update(t) sets _get_lr(t) plus noise. Driven with step_update(k) after the k-th optimizer step (t_in_epochs=False)."""

    def __init__(self, optimizer, kind, p):
        self.optimizer, self.kind, self.p = optimizer, kind, p
        self.base_values = [g["lr"] for g in optimizer.param_groups]
        self.warmup_t = p.get("warmup_t", 0)
        self.warmup_lr_init = p.get("warmup_lr_init", 0.0)
        self.prefix = p.get("warmup_prefix", kind in ("timm.step", "timm.multistep"))
        if self.warmup_t:
            # TanhLRScheduler without prefix warms up to its own _get_lr(warmup_t); the others to the base values.
            targets = ([_timm_curve(p, kind, v, self.warmup_t) for v in self.base_values]
                       if kind == "timm.tanh" and not self.prefix else self.base_values)
            self.warmup_steps = [(v - self.warmup_lr_init) / self.warmup_t for v in targets]
            for g in optimizer.param_groups:
                g["lr"] = self.warmup_lr_init

    def _get_lr(self, t):
        if t < self.warmup_t:
            return [self.warmup_lr_init + t * s for s in self.warmup_steps]
        if self.prefix:
            t = t - self.warmup_t
        return [_timm_curve(self.p, self.kind, v, t) for v in self.base_values]

    def _noise(self, t):
        r = self.p.get("noise_range_t")
        if r is None:
            return None
        if isinstance(r, (list, tuple)) and len(r) == 1:
            r = r[0]
        applies = r[0] <= t < r[1] if isinstance(r, (list, tuple)) else t >= r
        if not applies:
            return None
        g = torch.Generator()
        g.manual_seed(self.p.get("noise_seed", 42) + t)
        pct = self.p.get("noise_pct", 0.67)
        if self.p.get("noise_type", "normal") == "normal":
            while True:
                noise = torch.randn(1, generator=g).item()
                if abs(noise) < pct:
                    return noise
        return 2 * (torch.rand(1, generator=g).item() - 0.5) * pct

    def step_update(self, t):
        lrs = self._get_lr(t)
        noise = self._noise(t)
        if noise is not None:
            lrs = [v + v * noise for v in lrs]
        for g, v in zip(self.optimizer.param_groups, lrs):
            g["lr"] = v


# ---- current PyTorch behaviour that 1.13 lacks ----

class CyclicLRBeta1(L.CyclicLR):
    """Current PyTorch's CyclicLR cycles Adam's beta1 (use_beta1); 1.13 refuses Adam when cycle_momentum."""

    def __init__(self, optimizer, base_momentum=0.8, max_momentum=0.9, **kwargs):
        self._beta_bounds = (base_momentum, max_momentum)
        groups = optimizer.param_groups
        for g in groups:
            g["betas"] = (max_momentum, *g["betas"][1:])
        super().__init__(optimizer, cycle_momentum=False, **kwargs)

    def get_lr(self):
        lrs = super().get_lr()
        base_m, max_m = self._beta_bounds
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        scale_factor = x / self.step_ratio if x <= self.step_ratio else (x - 1) / (self.step_ratio - 1)
        scale = self.scale_fn(cycle) if self.scale_mode == "cycle" else self.scale_fn(self.last_epoch)
        for g in self.optimizer.param_groups:
            g["betas"] = (max_m - (max_m - base_m) * scale_factor * scale, *g["betas"][1:])
        return lrs


def build(kind, params, optimizer):
    """The torch scheduler for one spec; children of composites are built on the same optimizer."""
    p = {k: v for k, v in params.items() if k not in ("note", "formula")}
    if kind in FORMULAS:
        return L.LambdaLR(optimizer, FORMULAS[kind](p))
    if kind in HF_FORMULAS:
        return L.LambdaLR(optimizer, HF_FORMULAS[kind](p, optimizer.defaults["lr"]))
    if kind in TIMM_KINDS:
        return TimmScheduler(optimizer, kind, p)
    if kind == "hf.reduce_lr_on_plateau":   # HF hands its kwargs to torch's class unchanged
        return L.ReduceLROnPlateau(optimizer, **p)
    if kind in ("SequentialLR", "ChainedScheduler"):
        children = [build(c["kind"], {k: v for k, v in c.items() if k != "kind"}, optimizer) for c in p["schedulers"]]
        if kind == "SequentialLR":
            # 1.13 steps the child that takes over with step(0), current PyTorch with _update_lr(0): both take
            # the child's closed form at 0 (or get_lr at 0), so the numbers agree.
            return L.SequentialLR(optimizer, children, p["milestones"])
        return L.ChainedScheduler(children)
    if kind == "CyclicLR" and "betas" in optimizer.defaults and p.get("cycle_momentum", True):
        return CyclicLRBeta1(optimizer, **{k: v for k, v in p.items() if k != "cycle_momentum"})
    cls = getattr(L, kind)
    return cls(optimizer, **p)


def make_optimizer(case):
    name = case.get("optimizer", "any")
    momentum = case.get("momentum") or 0.0
    groups = [{"params": [torch.nn.Parameter(torch.ones(2, dtype=torch.float64))], "lr": lr} for lr in case["base_lrs"]]
    if name in ("SGD", "any"):
        return torch.optim.SGD(groups, lr=case["base_lrs"][0], momentum=momentum)
    if name == "Adam":
        return torch.optim.Adam(groups, lr=case["base_lrs"][0], betas=(momentum, 0.999))
    if name == "AdamW":
        return torch.optim.AdamW(groups, lr=case["base_lrs"][0], betas=(momentum, 0.999))
    raise ValueError(f"optimizer must be SGD, Adam, AdamW or any, got {name!r}")


def group_momenta(optimizer):
    return [g["betas"][0] if "betas" in g else g.get("momentum", 0.0) for g in optimizer.param_groups]


def run(case):
    """The case with lrs (and, for PyTorch kinds, momenta) filled in."""
    optimizer = make_optimizer(case)
    params = case.get("torch_params", case["params"])
    scheduler = build(case["kind"], params, optimizer)
    step_epochs = case.get("step_epochs")
    per_epoch = case.get("fractional_iters_per_epoch")
    metrics = case.get("metrics")
    lrs = [[g["lr"] for g in optimizer.param_groups]]
    momenta = [group_momenta(optimizer)]
    for k in range(1, case["steps"] + 1):
        optimizer.zero_grad()
        loss = sum((p ** 2).sum() for g in optimizer.param_groups for p in g["params"])
        loss.backward()
        optimizer.step()
        if metrics is not None:
            scheduler.step(metrics[k - 1])   # ReduceLROnPlateau: one reported metric per step
        elif per_epoch:
            scheduler.step(k / per_epoch)
        elif isinstance(scheduler, TimmScheduler):
            scheduler.step_update(k)   # timm: after the k-th update, the value for update k
        elif step_epochs is not None and step_epochs[k - 1] is not None:
            scheduler.step(step_epochs[k - 1])
        else:
            scheduler.step()
        lrs.append([float(g["lr"]) for g in optimizer.param_groups])
        momenta.append([float(m) for m in group_momenta(optimizer)])
    out = dict(case)
    out["source"] = case.get("source") or (
        f"closed form (timm's scheduler formulas, aa4b585; noise from {torch_version()}'s torch.Generator)" if case["kind"] in TIMM_KINDS
        else f"closed form (published formula, {torch_version()} LambdaLR)" if case["kind"] in FORMULA_KINDS else torch_version())
    out["lrs"] = lrs
    if case["kind"] not in FORMULA_KINDS:
        out["momenta"] = momenta
    return out
