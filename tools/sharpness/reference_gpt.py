#!/usr/bin/python3
"""Exact-Hessian reference for TrainKit's sharpness estimators on a tiny GPT, computed in PyTorch (float64).

The model is TrainKit's own TrainKit.Models.Transformer.Gpt with TransformerConfig(VocabSize 7, ContextLength 4,
Layers 1, Heads 2, EmbeddingDim 8, Dropout 0, Pre-LN, Bias true), re-implemented here op by op:
    x = E[tokens] + P[0..T)                    token + learned position embeddings
    x = x + Attn(LN1(x))                       causal self-attention, 2 heads of 4: one qkv Linear(8→24) split
                                               q|k|v, softmax(q·kᵀ/√4 + causal −∞ mask)·v, output Linear(8→8)
    x = x + W_p·gelu(W_e·LN2(x) + b_e) + b_p   MLP 8→32→8, exact (erf) GELU: smooth, so H is well defined
    logits = LNf(x)·Eᵀ                         final LayerNorm, head TIED to the token embedding (no own weights)
LayerNorm eps 1e-5 everywhere (TorchSharp's and PyTorch's default). 976 weights. Loss: mean cross-entropy of the next
token over 16 sequences × 4 positions; tokens and weights from closed formulas.

The 976×976 Hessian is too large for the fixture (~20 MB as JSON), so instead of "hessian" the file has what the tests
use: the full spectrum, ten columns, the diagonal, ‖H‖_F² and Σ_{i≠j}|H_ij|. The loss is invariant to adding a constant
to a row of the position table (every LayerNorm removes it) and to shifting the key bias (a constant added to every
score of a query), so H has exact zero eigenvalues.

Run with Debian's PyTorch 1.13 (the `python3` on PATH has no torch):
    /usr/bin/python3 tools/sharpness/reference_gpt.py > tests/fixtures/sharpness/gpt.json
"""
import json
import math

import torch
import torch.nn.functional as F

from fixture_common import analyse, blocks, closed_form, unflatten

torch.set_default_dtype(torch.float64)

VOCAB, CONTEXT, HEADS, DIM, SEQUENCES, EPS = 7, 4, 2, 8, 16, 1e-5
B = "blocks.0."
# TorchSharp's named_parameters() order for Gpt (fields in declaration order, recursively); the C# side checks it.
SHAPES = [("tokenEmbedding.weight", (VOCAB, DIM)), ("positionEmbedding.weight", (CONTEXT, DIM)),
          (B + "norm1.weight", (DIM,)), (B + "norm1.bias", (DIM,)), (B + "norm2.weight", (DIM,)), (B + "norm2.bias", (DIM,)),
          (B + "attention.qkv.weight", (3 * DIM, DIM)), (B + "attention.qkv.bias", (3 * DIM,)),
          (B + "attention.output.weight", (DIM, DIM)), (B + "attention.output.bias", (DIM,)),
          (B + "feedForward.expand.weight", (4 * DIM, DIM)), (B + "feedForward.expand.bias", (4 * DIM,)),
          (B + "feedForward.project.weight", (DIM, 4 * DIM)), (B + "feedForward.project.bias", (DIM,)),
          ("finalNorm.weight", (DIM,)), ("finalNorm.bias", (DIM,))]
# Embeddings, LayerNorm gains, qkv weight and bias, attention output, MLP, final LayerNorm shift.
HVP_COLUMNS = [0, 60, 90, 140, 330, 340, 420, 700, 900, 975]


def style(name, shape):
    if "norm" in name.lower():
        return (1.0, 0.25) if name.endswith(".weight") else (0.0, 0.1)
    if "Embedding" in name:
        return 0.0, 0.7
    if name.endswith(".bias"):
        return 0.0, 0.1
    return 0.0, 1.2 / math.sqrt(shape[1])


def batch():
    # Each row is a 5-token sequence; inputs are its first 4 tokens, targets the next 4.
    rows = [[(3 * r + t * t + r * t + (r // 5)) % VOCAB for t in range(CONTEXT + 1)] for r in range(SEQUENCES)]
    tokens = torch.tensor(rows)
    return tokens[:, :CONTEXT], tokens[:, 1:]


def layer_norm(x, p, name):
    return F.layer_norm(x, (DIM,), p[name + ".weight"], p[name + ".bias"], eps=EPS)


def attention(x, p):
    batch_size, time, head_dim = x.shape[0], x.shape[1], DIM // HEADS
    qkv = x @ p[B + "attention.qkv.weight"].T + p[B + "attention.qkv.bias"]
    q, k, v = (t.view(batch_size, time, HEADS, head_dim).transpose(1, 2) for t in qkv.split(DIM, dim=2))
    scores = q @ k.transpose(-2, -1) * (1.0 / math.sqrt(head_dim))
    visible = torch.ones(time, time, dtype=torch.bool).tril()
    weights = F.softmax(scores.masked_fill(~visible, float("-inf")), dim=-1)
    mixed = (weights @ v).transpose(1, 2).contiguous().view(batch_size, time, DIM)
    return mixed @ p[B + "attention.output.weight"].T + p[B + "attention.output.bias"]


def feed_forward(x, p):
    hidden = F.gelu(x @ p[B + "feedForward.expand.weight"].T + p[B + "feedForward.expand.bias"])
    return hidden @ p[B + "feedForward.project.weight"].T + p[B + "feedForward.project.bias"]


def loss_of(flat, tokens, targets):
    p = unflatten(flat, SHAPES)
    x = p["tokenEmbedding.weight"][tokens] + p["positionEmbedding.weight"][torch.arange(tokens.shape[1])]
    x = x + attention(layer_norm(x, p, B + "norm1"), p)
    x = x + feed_forward(layer_norm(x, p, B + "norm2"), p)
    logits = layer_norm(x, p, "finalNorm") @ p["tokenEmbedding.weight"].T
    return F.cross_entropy(logits.reshape(-1, VOCAB), targets.reshape(-1))


def module_loss(w, tokens, targets):
    # Cross-check the attention above against PyTorch's own module (same maths, different code path): one head set
    # of nn.MultiheadAttention with the qkv Linear as its in-projection.
    p = unflatten(w, SHAPES)
    mha = torch.nn.MultiheadAttention(DIM, HEADS, batch_first=True)
    with torch.no_grad():
        mha.in_proj_weight.copy_(p[B + "attention.qkv.weight"])
        mha.in_proj_bias.copy_(p[B + "attention.qkv.bias"])
        mha.out_proj.weight.copy_(p[B + "attention.output.weight"])
        mha.out_proj.bias.copy_(p[B + "attention.output.bias"])
    x = p["tokenEmbedding.weight"][tokens] + p["positionEmbedding.weight"][torch.arange(tokens.shape[1])]
    h = layer_norm(x, p, B + "norm1")
    mask = ~torch.ones(CONTEXT, CONTEXT, dtype=torch.bool).tril()
    x = x + mha(h, h, h, attn_mask=mask, need_weights=False)[0]
    x = x + feed_forward(layer_norm(x, p, B + "norm2"), p)
    logits = layer_norm(x, p, "finalNorm") @ p["tokenEmbedding.weight"].T
    return F.cross_entropy(logits.reshape(-1, VOCAB), targets.reshape(-1)).item()


def main():
    w = closed_form(SHAPES, style)
    tokens, targets = batch()
    with torch.no_grad():
        reference = module_loss(w, tokens, targets)
    result, h = analyse(lambda v: loss_of(v, tokens, targets), w, dense=False, columns=HVP_COLUMNS)
    out = {
        "source": "tools/sharpness/reference_gpt.py, torch " + torch.__version__ + ", float64",
        "model": {"config": {"vocab": VOCAB, "context": CONTEXT, "layers": 1, "heads": HEADS, "dim": DIM,
                             "norm": "pre", "bias": True, "head": "tied"},
                  "parameters": [name for name, _ in SHAPES], "shapes": [list(s) for _, s in SHAPES]},
        "weights": w.tolist(),
        "inputs": tokens.tolist(),
        "targets": targets.tolist(),
        "module_loss": reference,
        **result,
        "blocks": blocks(h, SHAPES),
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
