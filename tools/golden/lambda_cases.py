#!/usr/bin/python3
"""Records LambdaLR / MultiplicativeLR trajectories for lambdas that tests/Schedulers.Tests/Adapter/LambdaScheduleTests.cs
writes the same way in C#, into tests/fixtures/lambda/lambda_cases.json. Run: /usr/bin/python3 tools/golden/lambda_cases.py
Real torch.optim.SGD + torch.optim.lr_scheduler; lrs[k] after construction (k = 0) and after the k-th step()."""
import json
import os

import torch
from torch.optim import lr_scheduler as L

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "tests", "fixtures", "lambda", "lambda_cases.json")

# name -> (scheduler class, lambda, base lrs); the C# test has a lambda of the same name.
CASES = {
    "lambda_exponential": (L.LambdaLR, lambda e: 0.95 ** e, [0.1, 0.02]),
    "lambda_inverse_time": (L.LambdaLR, lambda e: 1.0 / (1.0 + 0.1 * e), [0.1]),
    "multiplicative_every_third": (L.MultiplicativeLR, lambda e: 0.9 if e % 3 == 0 else 1.0, [0.1, 0.05]),
    "multiplicative_shrinking": (L.MultiplicativeLR, lambda e: 1.0 - 1.0 / (e + 10.0), [0.3]),
    # PyTorch's per-group form: a list of lambdas, one per parameter group.
    "lambda_per_group": (L.LambdaLR, [lambda e: 0.95 ** e, lambda e: 1.0 / (1.0 + 0.1 * e), lambda e: 1.0 if e < 10 else 0.1],
                         [0.1, 0.02, 0.5]),
}
STEPS = 40

# CyclicLR with a custom scale_fn (PyTorch's scale_mode "cycle" or "iterations"), SGD momentum 0.9 cycled.
CYCLIC = {
    "cyclic_scale_fn_cycle": (dict(base_lr=0.01, max_lr=0.1, step_size_up=4, step_size_down=6,
                                   scale_fn=lambda x: 1.0 / (1.0 + 0.5 * (x - 1)), scale_mode="cycle"), [0.1]),
    "cyclic_scale_fn_iterations": (dict(base_lr=0.001, max_lr=0.05, step_size_up=5,
                                        scale_fn=lambda x: 0.98 ** x, scale_mode="iterations"), [0.1]),
}


def run(make, base_lrs, momentum=0.0):
    groups = [{"params": [torch.nn.Parameter(torch.ones(2, dtype=torch.float64))], "lr": lr} for lr in base_lrs]
    optimizer = torch.optim.SGD(groups, lr=base_lrs[0], momentum=momentum)
    scheduler = make(optimizer)
    lrs = [[g["lr"] for g in optimizer.param_groups]]
    momenta = [[g["momentum"] for g in optimizer.param_groups]]
    for _ in range(STEPS):
        optimizer.step()
        scheduler.step()
        lrs.append([float(g["lr"]) for g in optimizer.param_groups])
        momenta.append([float(g["momentum"]) for g in optimizer.param_groups])
    return lrs, momenta


if __name__ == "__main__":
    out = {"source": f"torch {torch.__version__}", "steps": STEPS,
           "cases": {name: {"kind": cls.__name__, "base_lrs": lrs, "lrs": run(lambda o: cls(o, fn), lrs)[0]}
                     for name, (cls, fn, lrs) in CASES.items()}}
    for name, (params, lrs) in CYCLIC.items():
        traj, momenta = run(lambda o: L.CyclicLR(o, **params), lrs, momentum=0.9)
        out["cases"][name] = {"kind": "CyclicLR", "base_lrs": lrs, "lrs": traj, "momenta": momenta}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {len(out['cases'])} cases to {os.path.relpath(OUT, ROOT)} ({out['source']})")
