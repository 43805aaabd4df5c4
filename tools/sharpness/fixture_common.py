"""Helpers shared by the exact-Hessian reference scripts (reference.py, reference_cnn.py, reference_gpt.py).

A model is described by its parameters as (name, shape) pairs in TorchSharp's parameters() order; the loss is a
function of one flat float64 weight vector cut into those pieces, so torch.autograd.functional.hessian gives the dense
Hessian over exactly the vector TrainKit's ParameterLayout builds.
"""
import math

import torch

torch.set_default_dtype(torch.float64)


def closed_form(shapes, style):
    """Weights from a formula, not a generator, so the fixture is easy to regenerate under any PyTorch. style(name)
    gives (centre, amplitude) for a parameter: weights get amplitude 1/sqrt(fan_in) so pre-activations stay O(1) and
    tanh/softmax are neither linear nor saturated; norm gains are centred on 1."""
    values, i = [], 0
    for name, shape in shapes:
        centre, amplitude = style(name, shape)
        for _ in range(math.prod(shape)):
            values.append(centre + amplitude * (math.sin(0.7 * i + 0.3) + 0.3 * math.cos(2.3 * i)))
            i += 1
    return torch.tensor(values)


def unflatten(flat, shapes):
    parts, offset = {}, 0
    for name, shape in shapes:
        size = math.prod(shape)
        parts[name] = flat[offset:offset + size].reshape(shape)
        offset += size
    return parts


def spans(shapes):
    result, offset = {}, 0
    for name, shape in shapes:
        size = math.prod(shape)
        result[name] = (offset, offset + size)
        offset += size
    return result


def module_of(name):
    # TrainKit's PerLayerSharpness groups a parameter under the name up to its last dot.
    return name[:name.rindex(".")] if "." in name else ""


def block_summary(h, index):
    block = h[index][:, index]
    values = torch.linalg.eigvalsh(block)
    return {"lambda_max": values[-1].item(), "lambda_min": values[0].item(), "trace": torch.trace(block).item(),
            "dimension": len(index)}


def blocks(h, shapes):
    """Diagonal blocks per parameter and per owning module (the groups PerLayerSharpness reports)."""
    span = spans(shapes)
    modules = {}
    for name, _ in shapes:
        modules.setdefault(module_of(name), []).append(name)
    return {
        "parameters": {name: block_summary(h, list(range(*span[name]))) for name, _ in shapes},
        "layers": {module: block_summary(h, [i for name in names for i in range(*span[name])])
                   for module, names in modules.items()},
    }


def analyse(loss_of, w, dense=True, columns=()):
    """Loss, gradient norm, dense Hessian and its spectrum at w. dense=False leaves the n×n matrix out of the result
    (too large for a fixture) and keeps what the tests need from it: the listed columns, the diagonal, ‖H‖_F² and
    Σ_{i≠j}|H_ij| (the Hutchinson checks)."""
    flat = w.clone().requires_grad_(True)
    loss = loss_of(flat)
    (grad,) = torch.autograd.grad(loss, flat)
    h = torch.autograd.functional.hessian(loss_of, w)
    h = 0.5 * (h + h.T)  # symmetric to rounding already; make it exactly so for eigvalsh
    values = torch.linalg.eigvalsh(h)  # ascending
    off_diagonal = h - torch.diag(torch.diagonal(h))
    out = {
        "loss": loss.item(),
        "gradient_norm": grad.norm().item(),
        "dimension": h.shape[0],
        "eigenvalues_ascending": values.tolist(),
        "lambda_max": values[-1].item(),
        "lambda_min": values[0].item(),
        "top3": values.flip(0)[:3].tolist(),
        "trace": torch.trace(h).item(),
        "frobenius_sq": (h * h).sum().item(),
        "offdiagonal_abs_sum": off_diagonal.abs().sum().item(),
        # tr(H^k)/n: what SLQ's quadrature estimates (k = 0 is 1).
        "moments": [(values ** k).mean().item() for k in range(5)],
        "hessian_diagonal": torch.diagonal(h).tolist(),
        "hessian_columns": {str(j): h[:, j].tolist() for j in columns},
    }
    if dense:
        out["hessian"] = h.tolist()
    return out, h
