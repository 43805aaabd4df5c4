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
}
STEPS = 40


def run(cls, fn, base_lrs):
    groups = [{"params": [torch.nn.Parameter(torch.ones(2, dtype=torch.float64))], "lr": lr} for lr in base_lrs]
    optimizer = torch.optim.SGD(groups, lr=base_lrs[0])
    scheduler = cls(optimizer, fn)
    lrs = [[g["lr"] for g in optimizer.param_groups]]
    for _ in range(STEPS):
        optimizer.step()
        scheduler.step()
        lrs.append([float(g["lr"]) for g in optimizer.param_groups])
    return lrs


if __name__ == "__main__":
    out = {"source": f"torch {torch.__version__}", "steps": STEPS,
           "cases": {name: {"kind": cls.__name__, "base_lrs": lrs, "lrs": run(cls, fn, lrs)} for name, (cls, fn, lrs) in CASES.items()}}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {len(CASES)} cases to {os.path.relpath(OUT, ROOT)} ({out['source']})")
