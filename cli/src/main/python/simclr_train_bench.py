#!/usr/bin/env python3
"""PyTorch (eager) reference for `alfer bench train`.

Times SimCLR training steps of the same network as alfer-ml's (CIFAR-style residual encoder for
grayscale input: 3x3 stem, stages of basic blocks, global average pool; MLP projection head) with
the same NT-Xent loss and SGD update. The two views of every image are made before timing (on both
sides), so a step is: forward of 2 x batch views, loss, backward, SGD with momentum and weight
decay. Prints `params=<trainable parameters>` and a final `torch_images_per_s=<images/s>` line
(images, not views, per second, measured after the warm-up steps).

With `--serve` (how `alfer bench train` runs it, taking turns with alfer-ml) it prints `params=`,
runs the warm-up steps, prints `ready`, then answers each `run <steps>` line read from standard
input with `round images_per_s=<images/s> seconds=<s> loss=<last loss>`, idle in between, until
`quit` or the end of its input.
"""
import argparse
import os
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--size", type=int, default=48)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--stem", type=int, default=32)
    p.add_argument("--stages", default="32,64,128")
    p.add_argument("--blocks", default="1,1,1")
    p.add_argument("--projection-hidden", type=int, default=128)
    p.add_argument("--projection-output", type=int, default=128)
    p.add_argument("--temperature", type=float, default=0.5)
    p.add_argument("--learning-rate", type=float, default=0.3)
    p.add_argument("--warmup-steps", type=int, default=3)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--distinct-batches", type=int, default=4)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--serve", action="store_true",
                   help="time `run <steps>` requests read from standard input")
    return p.parse_args()


def main():
    args = parse_args()
    try:
        import torch
        from torch import nn
        import torch.nn.functional as F
    except ImportError:
        print("PyTorch is missing: install it with "
              "`apt-get update && apt-get install -y python3-torch` (Debian/Ubuntu) "
              "or `pip install torch`", file=sys.stderr)
        return 3

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)

    from alfer_blocks import ConvBn, ResidualBlock

    class SimClrNetwork(nn.Module):
        def __init__(self, stem, stages, blocks, hidden, output):
            super().__init__()
            layers = [ConvBn(1, stem, 3, 1, True)]
            cin = stem
            for s, (cout, count) in enumerate(zip(stages, blocks)):
                for b in range(count):
                    layers.append(ResidualBlock(cin, cout, 2 if s > 0 and b == 0 else 1))
                    cin = cout
            self.encoder = nn.Sequential(*layers)
            self.hidden = nn.Linear(cin, hidden)
            self.output = nn.Linear(hidden, output)

        def forward(self, x):
            h = self.encoder(x).mean(dim=(2, 3))
            return self.output(F.relu(self.hidden(h)))

    def nt_xent(z, n, temperature):
        unit = F.normalize(z, dim=1)
        logits = unit @ unit.t() / temperature
        logits = logits - torch.eye(2 * n) * 1e9  # an image's view is never its own positive
        targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
        return F.cross_entropy(logits, targets)

    stages = [int(v) for v in args.stages.split(",")]
    blocks = [int(v) for v in args.blocks.split(",")]
    model = SimClrNetwork(args.stem, stages, blocks, args.projection_hidden,
                          args.projection_output)
    model.train()
    params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    print(f"params={params}", flush=True)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.learning_rate, momentum=0.9,
                                weight_decay=5e-4)
    n = args.batch
    views = [torch.rand(2 * n, 1, args.size, args.size) * 2 - 1
             for _ in range(args.distinct_batches)]

    def step(i):
        optimizer.zero_grad(set_to_none=False)
        loss = nt_xent(model(views[i % len(views)]), n, args.temperature)
        loss.backward()
        optimizer.step()
        return loss.item()

    for i in range(args.warmup_steps):
        step(i)
    done = args.warmup_steps
    if args.serve:
        print(f"torch {torch.__version__}, threads={torch.get_num_threads()}, "
              f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '-')}", flush=True)
        print("ready", flush=True)
        for line in sys.stdin:
            words = line.split()
            if not words or words[0] == "quit":
                break
            if words[0] != "run" or len(words) != 2 or not words[1].isdigit() or int(words[1]) < 1:
                print(f"unknown request: {line.strip()!r}", flush=True)
                return 2
            count = int(words[1])
            start = time.perf_counter()
            for i in range(count):
                last = step(done + i)
            seconds = time.perf_counter() - start
            done += count
            print(f"round images_per_s={count * n / seconds:.4f} seconds={seconds:.3f} "
                  f"loss={last:.4f}", flush=True)
        return 0
    start = time.perf_counter()
    for i in range(args.steps):
        last = step(done + i)
    seconds = time.perf_counter() - start
    print(f"torch {torch.__version__}, threads={torch.get_num_threads()}, "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '-')}, last loss {last:.4f}, "
          f"{args.steps} steps in {seconds:.2f} s", flush=True)
    print(f"torch_images_per_s={args.steps * n / seconds:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
