#!/usr/bin/env python3
"""Eager PyTorch reference for `alfer bench embed`.

Runs the encoder alfer-ml exports for the embed service (3x3 stem, stages of basic residual blocks,
global average pool; the embedding is the pooled features) in inference mode over the same gray
pixels, normalised the same way ((v / 255 - mean) / std), in the same batches, on the CPU with the
given threads. The weights are PyTorch's initial ones: the time of a forward pass does not depend
on them. The pixels come from a file of n x size x size bytes. One untimed batch warms up; prints
`torch_images_per_s=<images/s> seconds=<s> images=<n>` as its last line.
"""
import argparse
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pixels", required=True, help="file of n x size x size gray bytes")
    p.add_argument("--size", type=int, default=48)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--stem", type=int, default=32)
    p.add_argument("--stages", default="32,64,128")
    p.add_argument("--blocks", default="1,1,1")
    p.add_argument("--mean", type=float, default=0.5)
    p.add_argument("--std", type=float, default=0.5)
    return p.parse_args()


def main():
    args = parse_args()
    try:
        import numpy
        import torch
        from torch import nn
    except ImportError:
        print("PyTorch is missing: install it with "
              "`apt-get update && apt-get install -y python3-torch python3-numpy`",
              file=sys.stderr)
        return 3
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    from alfer_blocks import ConvBn, ResidualBlock

    stages = [int(v) for v in args.stages.split(",")]
    blocks = [int(v) for v in args.blocks.split(",")]
    layers = [ConvBn(1, args.stem, 3, 1, True)]
    cin = args.stem
    for s, (cout, count) in enumerate(zip(stages, blocks)):
        for b in range(count):
            layers.append(ResidualBlock(cin, cout, 2 if s > 0 and b == 0 else 1))
            cin = cout
    encoder = nn.Sequential(*layers).eval()

    area = args.size * args.size
    raw = numpy.fromfile(args.pixels, dtype=numpy.uint8)
    n = raw.size // area
    images = raw[: n * area].reshape(n, 1, args.size, args.size)

    def batch(start):
        rows = images[start:start + args.batch].astype(numpy.float32)
        return torch.from_numpy((rows / 255.0 - args.mean) / args.std)

    with torch.inference_mode():
        encoder(batch(0)).mean(dim=(2, 3))  # warm-up, untimed
        start = time.perf_counter()
        for first in range(0, n, args.batch):
            encoder(batch(first)).mean(dim=(2, 3)).numpy()
        seconds = time.perf_counter() - start
    print(f"torch_images_per_s={n / seconds:.1f} seconds={seconds:.3f} images={n}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
