#!/usr/bin/python3
"""Exact-Hessian reference for TrainKit's sharpness estimators on a small CNN, computed in PyTorch (float64).

Model, as nn.Sequential with TorchSharp's child names (so parameter names match named_parameters() on the C# side):
    0 Conv2d(1→3, 3×3, padding 1) → 1 BatchNorm2d(3) → 2 Tanh → 3 Conv2d(3→4, 3×3, stride 2) → 4 Tanh
    → 5 AdaptiveAvgPool2d(1) → 6 Flatten → 7 Linear(4→3);  input 1×6×6 (6×6 → 6×6 → 2×2 → 1×1), 163 weights.
16 examples, mean cross-entropy over 3 classes; weights, batch and BatchNorm's running statistics from closed formulas.

Two functions of the weights are written out:
  * "eval" (top level, the fields mlp.json has): BatchNorm in eval mode, normalising with the fixture's running
    mean/var (non-trivial, eps 1e-5), the deterministic function HessianMode.Eval differentiates. Dense Hessian
    included (163×163).
  * "train": BatchNorm in train mode, normalising each batch by its own (biased) statistics, with the batch cut
    10 + 6 as the C# test cuts it: loss = (10·L(first 10) + 6·L(last 6)) / 16, what HessianMode.Train
    differentiates. Only the spectrum, a few columns and the trace data (the dense matrix would double the file).

Run with Debian's PyTorch 1.13 (the `python3` on PATH has no torch):
    /usr/bin/python3 tools/sharpness/reference_cnn.py > tests/fixtures/sharpness/cnn.json
"""
import json
import math

import torch
import torch.nn.functional as F

from fixture_common import analyse, blocks, closed_form, unflatten

torch.set_default_dtype(torch.float64)

SHAPES = [("0.weight", (3, 1, 3, 3)), ("0.bias", (3,)), ("1.weight", (3,)), ("1.bias", (3,)),
          ("3.weight", (4, 3, 3, 3)), ("3.bias", (4,)), ("7.weight", (3, 4)), ("7.bias", (3,))]
EXAMPLES, SIDE, CLASSES, EPS = 16, 6, 3, 1e-5
SPLIT = 10  # the C# test feeds the batch as examples [0, 10) and [10, 16)
# Eval-mode statistics: far enough from (0, 1) that using them instead of batch statistics (or not at all) shows.
RUNNING_MEAN = [0.15, -0.3, 0.05]
RUNNING_VAR = [0.6, 1.7, 0.9]
HVP_COLUMNS = [0, 13, 27, 30, 32, 34, 100, 145, 150, 162]  # conv1, BN gain/shift, conv2, conv2 bias, head


def style(name, shape):
    if name == "1.weight":
        return 1.0, 0.3           # BatchNorm gain around 1
    if name.endswith(".bias"):
        return 0.0, 0.1
    fan_in = math.prod(shape[1:])
    return 0.0, 1.5 / math.sqrt(fan_in)


def batch():
    x = torch.tensor([[[[math.sin(0.9 * r + 0.7 * i - 0.4 * j) + 0.5 * math.cos(0.3 * r * (i + 1) + 0.8 * j)
                         for j in range(SIDE)] for i in range(SIDE)]] for r in range(EXAMPLES)])
    y = torch.tensor([(r * 7 + 1) % CLASSES for r in range(EXAMPLES)])
    return x, y


def logits(p, x, training):
    h = F.conv2d(x, p["0.weight"], p["0.bias"], padding=1)
    if training:
        h = F.batch_norm(h, None, None, p["1.weight"], p["1.bias"], training=True, eps=EPS)
    else:
        h = F.batch_norm(h, torch.tensor(RUNNING_MEAN), torch.tensor(RUNNING_VAR), p["1.weight"], p["1.bias"],
                         training=False, eps=EPS)
    h = torch.tanh(h)
    h = torch.tanh(F.conv2d(h, p["3.weight"], p["3.bias"], stride=2))
    h = h.mean(dim=(2, 3))
    return h @ p["7.weight"].T + p["7.bias"]


def eval_loss(flat, x, y):
    return F.cross_entropy(logits(unflatten(flat, SHAPES), x, training=False), y)


def train_loss(flat, x, y):
    p = unflatten(flat, SHAPES)
    first = F.cross_entropy(logits(p, x[:SPLIT], training=True), y[:SPLIT])
    second = F.cross_entropy(logits(p, x[SPLIT:], training=True), y[SPLIT:])
    return (SPLIT * first + (EXAMPLES - SPLIT) * second) / EXAMPLES


def module_loss(w, x, y):
    # Cross-check against the module PyTorch users would write: same eval loss from nn.Sequential with these weights.
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 3, 3, padding=1), torch.nn.BatchNorm2d(3, eps=EPS), torch.nn.Tanh(),
                                torch.nn.Conv2d(3, 4, 3, stride=2), torch.nn.Tanh(), torch.nn.AdaptiveAvgPool2d(1),
                                torch.nn.Flatten(), torch.nn.Linear(4, CLASSES))
    assert [n for n, _ in model.named_parameters()] == [n for n, _ in SHAPES]
    with torch.no_grad():
        torch.nn.utils.vector_to_parameters(w, model.parameters())
        model[1].running_mean.copy_(torch.tensor(RUNNING_MEAN))
        model[1].running_var.copy_(torch.tensor(RUNNING_VAR))
    model.eval()
    return F.cross_entropy(model(x), y).item()


def main():
    w = closed_form(SHAPES, style)
    x, y = batch()
    evaluated, h = analyse(lambda v: eval_loss(v, x, y), w, dense=True, columns=HVP_COLUMNS)
    trained, _ = analyse(lambda v: train_loss(v, x, y), w, dense=False, columns=HVP_COLUMNS)
    out = {
        "source": "tools/sharpness/reference_cnn.py, torch " + torch.__version__ + ", float64",
        "model": {"description": "Conv2d(1,3,3,p1) BN2d(3) tanh Conv2d(3,4,3,s2) tanh avgpool Linear(4,3)",
                  "parameters": [name for name, _ in SHAPES], "shapes": [list(s) for _, s in SHAPES],
                  "batchnorm": {"running_mean": RUNNING_MEAN, "running_var": RUNNING_VAR, "eps": EPS}},
        "weights": w.tolist(),
        "inputs": x.tolist(),
        "targets": y.tolist(),
        "split": SPLIT,
        "module_loss": module_loss(w, x, y),
        **evaluated,
        "blocks": blocks(h, SHAPES),
        "train": trained,
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
