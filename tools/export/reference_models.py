#!/usr/bin/env python3
"""Plain-PyTorch twins of TrainKit's exported models: the proof that `trainkit export` writes what PyTorch users load.

Usage: reference_models.py SPEC.json

SPEC.json (written by the C# test, tests/Training.Tests/Export/PyTorchReferenceTests.cs):
  {"model": "resnet", "depth": 20, "widths": [4, 8, 16], "in_channels": 3, "num_classes": 10,
   "shortcut": "A" | "B", "weights": "model.pt" | "model.safetensors", "input": "input.safetensors"}
  {"model": "gpt", "vocab": 50, "context": 16, "layers": 2, "heads": 2, "embedding": 16, "norm": "pre" | "post",
   "weights": ..., "input": ...}

Builds the architecture from scratch (no TrainKit code), loads the weights with load_state_dict(strict=True),
runs the input batch (key "input" of a safetensors file) in eval mode and prints one JSON line:
  {"torch": "1.13.1", "keys": N, "shape": [...], "logits": [...flattened float32 values...]}

The names follow akamaster/pytorch_resnet_cifar10 (conv1, bn1, layer{s}.{i}.conv1/bn1/conv2/bn2,
layer{s}.{i}.shortcut.0/.1 for option B, linear) and karpathy/nanoGPT (transformer.wte/wpe/h.{i}.ln_1/attn.c_attn/
attn.c_proj/ln_2/mlp.c_fc/mlp.c_proj/ln_f, lm_head tied to wte). Unlike nanoGPT on PyTorch < 2 (no flash attention),
the causal mask is a non-persistent buffer, so it is not a state_dict key.

Debian's PyTorch 1.13 has no safetensors module and Debian 12 ships no python3-safetensors, so safetensors files
are parsed here: an 8-byte little-endian header length, a JSON header (dtype, shape, data_offsets per tensor,
optional __metadata__), then the raw little-endian tensor bytes.
"""
import json
import math
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

SAFETENSORS_DTYPES = {
    "F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool,
}


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_len].decode("utf-8"))
    body = data[8 + header_len:]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        dtype = SAFETENSORS_DTYPES[entry["dtype"]]
        chunk = bytearray(body[begin:end])  # frombuffer needs a writable buffer to avoid a warning
        flat = torch.frombuffer(chunk, dtype=dtype) if end > begin else torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(entry["shape"]).clone()
    return tensors


def load_weights(path):
    if path.endswith(".safetensors"):
        return load_safetensors(path)
    return torch.load(path, map_location="cpu")


# ---- CIFAR ResNet (He et al. 2016a, akamaster layout) ----

class BasicBlock(nn.Module):
    def __init__(self, in_planes, planes, stride, shortcut):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.stride, self.in_planes, self.planes, self.kind = stride, in_planes, planes, shortcut
        self.changes_shape = stride != 1 or in_planes != planes
        if shortcut == "B" and self.changes_shape:
            self.shortcut = nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride=stride, bias=False), nn.BatchNorm2d(planes))

    def residual_input(self, x):
        if not self.changes_shape:
            return x
        if self.kind == "B":
            return self.shortcut(x)
        # Option A: every stride-th pixel, new channels zero-padded, split evenly before and after the old ones.
        sub = x[:, :, ::self.stride, ::self.stride]
        extra = self.planes - self.in_planes
        before = extra // 2
        return F.pad(sub, (0, 0, 0, 0, before, extra - before))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.residual_input(x))


class CifarResNet(nn.Module):
    def __init__(self, depth, widths, in_channels, num_classes, shortcut):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(in_channels, widths[0], 3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        in_planes = widths[0]
        for stage in range(3):
            blocks = []
            for block in range(n):
                stride = 2 if stage > 0 and block == 0 else 1
                blocks.append(BasicBlock(in_planes, widths[stage], stride, shortcut))
                in_planes = widths[stage]
            setattr(self, f"layer{stage + 1}", nn.Sequential(*blocks))
        self.linear = nn.Linear(widths[2], num_classes)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer3(self.layer2(self.layer1(out)))
        out = F.adaptive_avg_pool2d(out, 1).flatten(1)
        return self.linear(out)


# ---- GPT (nanoGPT layout) ----

class CausalSelfAttention(nn.Module):
    def __init__(self, embedding, heads, context):
        super().__init__()
        self.c_attn = nn.Linear(embedding, 3 * embedding)
        self.c_proj = nn.Linear(embedding, embedding)
        self.heads, self.embedding = heads, embedding
        self.register_buffer("bias", torch.tril(torch.ones(context, context, dtype=torch.bool)), persistent=False)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(self.embedding, dim=2)
        hd = C // self.heads
        q, k, v = (t.view(B, T, self.heads, hd).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))
        att = att.masked_fill(~self.bias[:T, :T], float("-inf"))
        y = F.softmax(att, dim=-1) @ v
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))


class MLP(nn.Module):
    def __init__(self, embedding):
        super().__init__()
        self.c_fc = nn.Linear(embedding, 4 * embedding)
        self.gelu = nn.GELU()  # exact (erf) GELU, as TorchSharp's functional.gelu
        self.c_proj = nn.Linear(4 * embedding, embedding)

    def forward(self, x):
        return self.c_proj(self.gelu(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, embedding, heads, context, norm):
        super().__init__()
        self.ln_1 = nn.LayerNorm(embedding)
        self.attn = CausalSelfAttention(embedding, heads, context)
        self.ln_2 = nn.LayerNorm(embedding)
        self.mlp = MLP(embedding)
        self.norm = norm

    def forward(self, x):
        if self.norm == "pre":  # GPT-2: x + f(LN(x))
            x = x + self.attn(self.ln_1(x))
            return x + self.mlp(self.ln_2(x))
        x = self.ln_1(x + self.attn(x))  # original Transformer: LN(x + f(x))
        return self.ln_2(x + self.mlp(x))


class GPT(nn.Module):
    def __init__(self, vocab, context, layers, heads, embedding, norm):
        super().__init__()
        parts = dict(
            wte=nn.Embedding(vocab, embedding),
            wpe=nn.Embedding(context, embedding),
            h=nn.ModuleList([Block(embedding, heads, context, norm) for _ in range(layers)]),
        )
        if norm == "pre":  # Post-LN ends with its last block's LayerNorm: no final one
            parts["ln_f"] = nn.LayerNorm(embedding)
        self.transformer = nn.ModuleDict(parts)
        self.lm_head = nn.Linear(embedding, vocab, bias=False)
        self.transformer.wte.weight = self.lm_head.weight  # weight tying, as nanoGPT

    def forward(self, idx):
        T = idx.shape[1]
        pos = torch.arange(T, dtype=torch.long)
        x = self.transformer.wte(idx) + self.transformer.wpe(pos)
        for block in self.transformer.h:
            x = block(x)
        if "ln_f" in self.transformer:
            x = self.transformer.ln_f(x)
        return self.lm_head(x)


def build(spec):
    if spec["model"] == "resnet":
        return CifarResNet(spec["depth"], spec["widths"], spec["in_channels"], spec["num_classes"], spec["shortcut"])
    if spec["model"] == "gpt":
        return GPT(spec["vocab"], spec["context"], spec["layers"], spec["heads"], spec["embedding"], spec["norm"])
    raise ValueError(f"unknown model {spec['model']!r}")


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    model = build(spec)
    state = load_weights(spec["weights"])
    for name, tensor in state.items():
        if name.endswith("num_batches_tracked") and tensor.dtype != torch.int64:
            raise SystemExit(f"{name} is {tensor.dtype}, PyTorch keeps it as int64")
    model.load_state_dict(state, strict=True)
    model.eval()
    x = load_safetensors(spec["input"])["input"]
    with torch.no_grad():
        logits = model(x)
    print(json.dumps({"torch": torch.__version__, "keys": len(state), "shape": list(logits.shape),
                      "logits": [float(v) for v in logits.flatten().tolist()]}))


if __name__ == "__main__":
    main()
