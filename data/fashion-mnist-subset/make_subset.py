#!/usr/bin/env python3
"""Makes TrainKit's embedded Fashion-MNIST subset: a class-balanced 10,000-image training set and
2,000-image test set, chosen with a fixed seed from Debian's dataset-fashion-mnist package, written in
the original idx format (gzip). Standard library only. Re-running it gives byte-identical files.

    apt-get install dataset-fashion-mnist
    python3 data/fashion-mnist-subset/make_subset.py [SOURCE_DIR] [OUT_DIR]
"""
import gzip
import random
import struct
import sys
from pathlib import Path

SEED = 20261124
PER_CLASS = {"train": 1000, "t10k": 200}


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    header = 4 + 4 * dims
    item = 1
    for d in shape[1:]:
        item *= d
    return shape, [data[header + i * item: header + (i + 1) * item] for i in range(count)]


def write_idx(path, shape, items):
    dims = len(shape)
    header = struct.pack(">I", 0x0800 | dims) + struct.pack(">" + "I" * dims, len(items), *shape[1:])
    # mtime=0 keeps the gzip bytes reproducible.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        f.write(header + b"".join(items))


def main():
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else Path(__file__).parent)
    rng = random.Random(SEED)
    for split, per_class in PER_CLASS.items():
        image_shape, images = read_idx(source / f"{split}-images-idx3-ubyte.gz")
        label_shape, labels = read_idx(source / f"{split}-labels-idx1-ubyte.gz")
        by_class = {}
        for index, label in enumerate(labels):
            by_class.setdefault(label[0], []).append(index)
        chosen = sorted(i for c in sorted(by_class) for i in rng.sample(by_class[c], per_class))
        rng.shuffle(chosen)
        write_idx(out / f"{split}-images-idx3-ubyte.gz", image_shape, [images[i] for i in chosen])
        write_idx(out / f"{split}-labels-idx1-ubyte.gz", label_shape, [labels[i] for i in chosen])
        print(f"{split}: {len(chosen)} images, {per_class} per class")


if __name__ == "__main__":
    main()
