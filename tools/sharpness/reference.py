#!/usr/bin/python3
"""Exact-Hessian reference for TrainKit's sharpness estimators (src/Analysis), computed in PyTorch.

A tiny float64 MLP (4 -> 6 tanh -> 3, 51 weights) with weights and a 16-example batch from closed formulas, the
mean cross-entropy loss, and its dense Hessian by torch.autograd.functional.hessian over the flat weight vector
(parameters() order: 0.weight, 0.bias, 2.weight, 2.bias, each row-major, exactly TrainKit's ParameterLayout).
Everything the C# test needs is written out: the weights and batch as float64 lists (JSON round-trips doubles
exactly), the loss, the gradient norm, the full spectrum, λ_max, λ_min, top-3, the trace, the spectral moments
tr(H^k)/n, the dense Hessian (for exact SLQ checks) and per-layer / per-parameter diagonal blocks.
The tanh hidden layer makes H indefinite away from a minimum, so λ_min < 0 is tested too.

Run with Debian's PyTorch 1.13 (the `python3` on PATH has no torch):
    /usr/bin/python3 tools/sharpness/reference.py > tests/fixtures/sharpness/mlp.json
"""
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_common import block_summary, spans, unflatten  # noqa: E402

torch.set_default_dtype(torch.float64)

SHAPES = [("0.weight", (6, 4)), ("0.bias", (6,)), ("2.weight", (3, 6)), ("2.bias", (3,))]
LAYERS = [("0", ["0.weight", "0.bias"]), ("2", ["2.weight", "2.bias"])]
EXAMPLES, FEATURES, CLASSES = 16, 4, 3


def weights():
    # Formula only so the fixture is easy to regenerate; the C# side reads the numbers, not the formula.
    n = sum(math.prod(s) for _, s in SHAPES)
    return torch.tensor([0.9 * math.sin(0.7 * i + 0.3) + 0.1 * math.cos(2.3 * i) for i in range(n)])


def batch():
    x = torch.tensor([[math.sin(1.3 * r + 0.9 * c) + 0.5 * math.cos(0.4 * r * c) for c in range(FEATURES)]
                      for r in range(EXAMPLES)])
    y = torch.tensor([(r * 7 + 1) % CLASSES for r in range(EXAMPLES)])
    return x, y


def loss_of(flat, x, y):
    p = unflatten(flat, SHAPES)
    hidden = torch.tanh(x @ p["0.weight"].T + p["0.bias"])
    logits = hidden @ p["2.weight"].T + p["2.bias"]
    return torch.nn.functional.cross_entropy(logits, y)


def main():
    w = weights()
    x, y = batch()
    # Cross-check against the module PyTorch users would write: same loss from nn.Sequential with these weights.
    model = torch.nn.Sequential(torch.nn.Linear(FEATURES, 6), torch.nn.Tanh(), torch.nn.Linear(6, CLASSES))
    with torch.no_grad():
        torch.nn.utils.vector_to_parameters(w, model.parameters())
    module_loss = torch.nn.functional.cross_entropy(model(x), y).item()

    flat = w.clone().requires_grad_(True)
    loss = loss_of(flat, x, y)
    (grad,) = torch.autograd.grad(loss, flat)
    h = torch.autograd.functional.hessian(lambda v: loss_of(v, x, y), w)
    h = 0.5 * (h + h.T)  # symmetric to rounding already; make it exactly so for eigvalsh
    values = torch.linalg.eigvalsh(h)  # ascending
    n = h.shape[0]
    span = spans(SHAPES)
    out = {
        "source": "tools/sharpness/reference.py, torch " + torch.__version__ + ", float64",
        "model": {"layers": [FEATURES, 6, CLASSES], "activation": "tanh", "parameters": [name for name, _ in SHAPES],
                  "shapes": [list(s) for _, s in SHAPES]},
        "weights": w.tolist(),
        "inputs": x.tolist(),
        "targets": y.tolist(),
        "loss": loss.item(),
        "module_loss": module_loss,
        "gradient_norm": grad.norm().item(),
        "dimension": n,
        "eigenvalues_ascending": values.tolist(),
        "lambda_max": values[-1].item(),
        "lambda_min": values[0].item(),
        "top3": values.flip(0)[:3].tolist(),
        "trace": torch.trace(h).item(),
        "frobenius_sq": (h * h).sum().item(),
        # tr(H^k)/n: what SLQ's quadrature estimates (k = 0 is 1).
        "moments": [(values ** k).mean().item() for k in range(5)],
        "hessian": h.tolist(),
        "blocks": {
            "parameters": {name: block_summary(h, list(range(*span[name]))) for name, _ in SHAPES},
            "layers": {layer: block_summary(h, [i for name in names for i in range(*span[name])])
                       for layer, names in LAYERS},
        },
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
