#!/usr/bin/env python3
"""Plain PyTorch reference for `alfer bench learn`.

Fine-tunes the same network with the same recipe on the same labelled sets as alfer's experiment
did, and measures test accuracy after every round, so the two can be compared side by side. All it
needs comes from the directory the benchmark exported (`learn.json` plus raw arrays):

- the pool and the test split as uint8 images (N x side x side) with int32 labels;
- the encoder preset (stem, stage widths, blocks per stage) and the fine-tuning recipe (optimiser,
  peak learning rate, momentum, weight decay, warm-up share, batch size, step floor, epochs and
  cap, early stop, dropout, augmentation ranges, class weighting, LP-FT settings);
- per cell (mode x seed): the input normalisation, the labelled pool rows of every round (the very
  images alfer's cell labelled) and, for pre-trained cells, alfer's SimCLR encoder weights.

What matches alfer-ml by construction: the architecture (3x3 stem, basic residual blocks, global
average pool, dropout, linear head; batch-norm momentum 0.1 in PyTorch's convention, eps 1e-5),
He-normal convolutions and head, the number of steps and their batches, the
warm-up + cosine schedule, PyTorch's SGD rule with weight decay on every parameter, parameter
groups (an encoder that stays still, momentum included, while only the head learns, then learns at
a fraction of the head's rate), the augmentation (random resized crop sampled bilinearly at pixel
centres with edge clamping, flip, brightness then contrast jitter) and the weighted loss (mean of
weight x cross-entropy, weights of mean 1). What differs: the random draws (another generator).

Prints one JSON line per round: mode, seed, round, labelled, accuracy, train_accuracy, steps,
seconds.
"""
import argparse
import json
import math
import os
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("directory", help="the directory `alfer bench learn` exported")
    p.add_argument("--threads", type=int, default=0, help="intra-op threads (0: all cores)")
    return p.parse_args()


def main():
    args = parse_args()
    try:
        import numpy as np
        import torch
        from torch import nn
        import torch.nn.functional as F
    except ImportError:
        print("PyTorch is missing: install it with "
              "`apt-get update && apt-get install -y python3-torch python3-numpy` "
              "(Debian/Ubuntu)", file=sys.stderr)
        return 3
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)

    directory = args.directory
    with open(os.path.join(directory, "learn.json")) as f:
        spec = json.load(f)
    side = spec["image_side"]
    classes = spec["classes"]
    recipe = spec["recipe"]
    augmentation = recipe["augmentation"]

    def images(name):
        raw = np.fromfile(os.path.join(directory, spec[name]), dtype=np.uint8)
        return torch.from_numpy(raw.reshape(-1, 1, side, side).astype(np.float32) / 255.0)

    def labels(name):
        return torch.from_numpy(
            np.fromfile(os.path.join(directory, spec[name]), dtype="<i4").astype(np.int64))

    pool, pool_labels = images("pool"), labels("pool_labels")
    test, test_labels = images("test"), labels("test_labels")

    from alfer_blocks import ConvBn, ResidualBlock

    class Encoder(nn.Module):
        def __init__(self, enc):
            super().__init__()
            self.stem = ConvBn(1, enc["stem"], 3, 1, True, kaiming=True)
            blocks, cin = [], enc["stem"]
            names = []
            for s, (width, count) in enumerate(zip(enc["stages"], enc["blocks"])):
                for b in range(count):
                    blocks.append(ResidualBlock(cin, width, 2 if s > 0 and b == 0 else 1, kaiming=True))
                    names.append("stage%d_block%d" % (s, b))
                    cin = width
            self.blocks = nn.ModuleList(blocks)
            self.block_names = names
            self.width = cin

        def forward(self, x):
            x = self.stem(x)
            for block in self.blocks:
                x = block(x)
            return x.mean(dim=(2, 3))

        def alfer_tensors(self):
            """This encoder's tensors under the names alfer's export uses."""
            out = {}

            def conv_bn(prefix, m):
                out[prefix + "_conv_weight"] = m.conv.weight
                out[prefix + "_bn_gamma"] = m.bn.weight
                out[prefix + "_bn_beta"] = m.bn.bias
                out[prefix + "_bn_runningMean"] = m.bn.running_mean
                out[prefix + "_bn_runningVar"] = m.bn.running_var

            conv_bn("stem", self.stem)
            for name, block in zip(self.block_names, self.blocks):
                conv_bn(name + "_conv1", block.conv1)
                conv_bn(name + "_conv2", block.conv2)
                if block.shortcut is not None:
                    conv_bn(name + "_shortcut", block.shortcut)
            return out

    class Classifier(nn.Module):
        def __init__(self, enc, dropout):
            super().__init__()
            self.encoder = Encoder(enc)
            self.dropout = nn.Dropout(dropout)
            self.head = nn.Linear(self.encoder.width, classes)
            # alfer-ml's head (DJL's default for a linear layer): normal, std sqrt(2 / fan-in)
            nn.init.kaiming_normal_(self.head.weight, mode="fan_in", nonlinearity="relu")
            nn.init.zeros_(self.head.bias)

        def forward(self, x):
            return self.head(self.dropout(self.encoder(x)))

    def load_encoder(model, cell):
        weights = np.fromfile(os.path.join(directory, cell["encoder_weights"]), dtype="<f4")
        tensors = model.encoder.alfer_tensors()
        offset = 0
        for t in cell["encoder_tensors"]:
            count = int(np.prod(t["shape"]))
            target = tensors.pop(t["name"])
            values = torch.from_numpy(weights[offset:offset + count].copy()).reshape(t["shape"])
            if tuple(values.shape) != tuple(target.shape):
                raise ValueError("tensor %s: alfer %s, reference %s"
                                 % (t["name"], tuple(values.shape), tuple(target.shape)))
            with torch.no_grad():
                target.copy_(values)
            offset += count
        if tensors or offset != len(weights):
            raise ValueError("encoder weights do not match: unused %s" % sorted(tensors))

    def augment(x, generator):
        """A batch of augmented views in [0, 1], as alfer-ml's Augmenter draws them."""
        n = x.shape[0]
        rand = lambda *shape: torch.rand(*shape, generator=generator)
        lo, hi = augmentation["min_crop_scale"], augmentation["max_crop_scale"]
        log_lo, log_hi = math.log(augmentation["min_aspect"]), math.log(augmentation["max_aspect"])
        theta = torch.zeros(n, 2, 3)
        for i in range(n):
            cw, ch, left, top = float(side), float(side), 0.0, 0.0
            for _ in range(10):
                scale = lo + (hi - lo) * rand(1).item()
                aspect = math.exp(log_lo + (log_hi - log_lo) * rand(1).item())
                w = math.sqrt(scale * side * side * aspect)
                h = math.sqrt(scale * side * side / aspect)
                if w <= side and h <= side:
                    cw, ch = w, h
                    left = rand(1).item() * (side - w)
                    top = rand(1).item() * (side - h)
                    break
            theta[i, 0, 0] = cw / side
            theta[i, 0, 2] = (2 * left + cw) / side - 1
            theta[i, 1, 1] = ch / side
            theta[i, 1, 2] = (2 * top + ch) / side - 1
        grid = F.affine_grid(theta, (n, 1, side, side), align_corners=False)
        out = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
        flip = rand(n) < augmentation["flip_probability"]
        out[flip] = out[flip].flip(3)
        jitter = rand(n) < augmentation["jitter_probability"]
        b, c = augmentation["brightness"], augmentation["contrast"]
        brightness = (1 - b) + 2 * b * rand(n)
        contrast = (1 - c) + 2 * c * rand(n)
        if jitter.any():
            j = out[jitter]
            j = torch.clamp(j * brightness[jitter].view(-1, 1, 1, 1), max=1.0)
            mean = j.mean(dim=(1, 2, 3), keepdim=True)
            j = torch.clamp((j - mean) * contrast[jitter].view(-1, 1, 1, 1) + mean, 0.0, 1.0)
            out[jitter] = j
        if augmentation["blur_probability"] > 0:
            raise ValueError("the reference has no Gaussian blur; fine-tuning does not use it")
        return out

    def class_weights(y):
        counts = torch.bincount(y, minlength=classes).double()
        kind = recipe["class_weighting"]
        raw = torch.zeros(classes, dtype=torch.float64)
        present = counts > 0
        if kind == "NONE":
            raw[present] = 1.0
        elif kind == "INVERSE_SQRT_FREQUENCY":
            raw[present] = 1.0 / counts[present].sqrt()
        elif kind == "INVERSE_FREQUENCY":
            raw[present] = 1.0 / counts[present]
        else:
            raise ValueError("unknown class weighting " + kind)
        return (raw * len(y) / (raw * counts).sum()).float()

    def fine_tune(cell, rows, seed):
        torch.manual_seed(seed)
        generator = torch.Generator().manual_seed(seed)
        model = Classifier(spec["encoder"], recipe["dropout"])
        pretrained = cell["encoder_weights"] is not None
        if pretrained:
            load_encoder(model, cell)
        norm = cell["normalization"]
        x_all = pool[rows]
        y_all = pool_labels[rows]
        n = len(rows)
        batch = min(recipe["batch_size"], n)
        per_epoch = n // batch + (1 if n % batch >= 2 else 0)
        steps = max(recipe["min_steps"], recipe["epochs"] * per_epoch)
        if recipe["max_epochs"] > 0:
            steps = min(steps, recipe["max_epochs"] * per_epoch)
        warmup = int(math.floor(recipe["warmup_fraction"] * steps + 0.5))
        head_only = int(math.floor(recipe["head_only_fraction"] * steps + 0.5)) if pretrained else 0
        encoder_factor = recipe["encoder_learning_rate_factor"] if pretrained else 1.0
        peak = recipe["learning_rate"]
        final = peak * recipe["final_learning_rate_fraction"]

        def rate(step):
            if step < warmup:
                return peak * (step + 1) / warmup
            decay = steps - warmup
            progress = 0.0 if decay <= 1 else min(1.0, (step - warmup) / (decay - 1))
            return final + (peak - final) * 0.5 * (1 + math.cos(math.pi * progress))

        if recipe["optimizer"] != "SGD":
            raise ValueError("the reference implements SGD only, not " + recipe["optimizer"])
        encoder_params = list(model.encoder.parameters())
        head_params = list(model.head.parameters())
        optimizer = torch.optim.SGD(
            [{"params": encoder_params}, {"params": head_params}],
            lr=peak, momentum=recipe["momentum"], weight_decay=recipe["weight_decay"])
        weights = class_weights(y_all)
        step, epoch, accuracy = 0, 0, 0.0
        model.train()
        while step < steps:
            order = torch.randperm(n, generator=generator)
            correct, seen = 0, 0
            for b in range(per_epoch):
                if step >= steps:
                    break
                idx = order[b * batch:min(n, (b + 1) * batch)]
                x = (augment(x_all[idx], generator) - norm["mean"]) / norm["std"]
                y = y_all[idx]
                logits = model(x)
                loss = (F.cross_entropy(logits, y, reduction="none") * weights[y]).mean()
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                if not math.isfinite(loss.item()):
                    raise RuntimeError("training diverged: loss is %s" % loss.item())
                r = rate(step)
                optimizer.param_groups[1]["lr"] = r
                optimizer.param_groups[0]["lr"] = 0.0 if step < head_only else r * encoder_factor
                if step < head_only or encoder_factor == 0:
                    for p in encoder_params:
                        p.grad = None  # left alone, momentum included, as alfer-ml does
                optimizer.step()
                correct += (logits.argmax(1) == y).sum().item()
                seen += len(idx)
                step += 1
            epoch += 1
            accuracy = correct / seen
            stop = recipe["stop_at_train_accuracy"]
            if stop > 0 and accuracy >= stop:
                break
        model.eval()
        with torch.no_grad():
            predicted = torch.cat([model((test[i:i + 256] - norm["mean"]) / norm["std"]).argmax(1)
                                   for i in range(0, len(test), 256)])
        return (predicted == test_labels).float().mean().item(), accuracy, step

    for cell in spec["cells"]:
        labelled = []
        for r, picked in enumerate(cell["rounds"]):
            labelled = labelled + picked
            start = time.time()
            accuracy, train_accuracy, steps = fine_tune(
                cell, torch.tensor(labelled, dtype=torch.long), cell["seed"] * 1000 + r)
            print(json.dumps({
                "mode": cell["mode"], "seed": cell["seed"], "round": r,
                "labelled": len(labelled), "accuracy": accuracy,
                "train_accuracy": train_accuracy, "steps": steps,
                "seconds": round(time.time() - start, 2)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
