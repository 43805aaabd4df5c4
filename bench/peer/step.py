#!/usr/bin/env python3
"""PyTorch peer for `trainkit bench step`: the same models and training step as TrainKit, timed the
same way (SGD step after warm-up, wall clock over N steps, no data loading). Prints one JSON line.

    /usr/bin/python3 bench/peer/step.py --model resnet20 --batch 128 --steps 20 --threads 2
Needs Debian's python3-torch (`apt-get install python3-torch`).
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    """He et al. 2016 CIFAR block, option A (zero-padded identity) shortcuts, as in TrainKit."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.stride, self.cin, self.cout = stride, cin, cout

    def shortcut(self, x):
        if self.stride == 1 and self.cin == self.cout:
            return x
        sub = x[:, :, ::self.stride, ::self.stride]
        extra = self.cout - self.cin
        return F.pad(sub, (0, 0, 0, 0, extra // 2, extra - extra // 2))

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + self.shortcut(x))


class CifarResNet(nn.Module):
    def __init__(self, depth=20, in_channels=3, classes=10):
        super().__init__()
        n = (depth - 2) // 6
        self.stem = nn.Conv2d(in_channels, 16, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(16)
        blocks, cin = [], 16
        for stage, width in enumerate((16, 32, 64)):
            for b in range(n):
                blocks.append(BasicBlock(cin, width, 2 if stage > 0 and b == 0 else 1))
                cin = width
        self.stages = nn.Sequential(*blocks)
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        x = self.stages(F.relu(self.bn(self.stem(x))))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.heads = heads

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = (p.view(b, t, self.heads, c // self.heads).transpose(1, 2) for p in self.qkv(x).split(c, dim=2))
        scores = q @ k.transpose(-2, -1) * (1.0 / math.sqrt(c // self.heads))
        visible = torch.ones(t, t, dtype=torch.bool).tril()
        scores = scores.masked_fill(~visible, float("-inf"))
        return self.out((F.softmax(scores, dim=-1) @ v).transpose(1, 2).contiguous().view(b, t, c))


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = Attention(dim, heads)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):  # Pre-LN
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class Gpt(nn.Module):
    def __init__(self, vocab, context, layers, heads, dim):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, dim), nn.Embedding(context, dim)
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(layers))
        self.norm = nn.LayerNorm(dim)

    def forward(self, idx):
        x = self.tok(idx) + self.pos(torch.arange(idx.shape[1]))
        for block in self.blocks:
            x = block(x)
        return F.linear(self.norm(x), self.tok.weight)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", choices=["resnet20", "gpt"], required=True)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--image-size", type=int, default=32)
    p.add_argument("--vocab", type=int, default=256)
    p.add_argument("--context", type=int, default=64)
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--dim", type=int, default=128)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    if a.model == "resnet20":
        model = CifarResNet()
        x = torch.randn(a.batch, 3, a.image_size, a.image_size)
        y = torch.randint(0, 10, (a.batch,))
        loss_fn = lambda out: F.cross_entropy(out, y)
    else:
        model = Gpt(a.vocab, a.context, a.layers, a.heads, a.dim)
        x = torch.randint(0, a.vocab, (a.batch, a.context))
        y = torch.randint(0, a.vocab, (a.batch, a.context))
        loss_fn = lambda out: F.cross_entropy(out.view(-1, a.vocab), y.view(-1))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    model.train()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x))
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    start = time.perf_counter()
    for _ in range(a.steps):
        step()
    seconds = time.perf_counter() - start
    print(json.dumps({"peer": "pytorch " + torch.__version__, "model": a.model, "steps": a.steps,
                      "seconds": seconds, "examples_per_second": a.steps * a.batch / seconds}))


if __name__ == "__main__":
    main()
