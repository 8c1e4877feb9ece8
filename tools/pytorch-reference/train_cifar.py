#!/usr/bin/env python3
"""The training recipe of configs/cifar10-vit-tiny.yaml in PyTorch, on the same decoded images, for the
ten-epoch accuracy parity of vit-lens with an independent implementation (issue #18 item 4).

Same data: the images come from a `vit data convert` cache file (the bytes vit-lens trains on), normalised
with the training set's per-channel mean and std computed the way vit-lens does ((x/255 - mean) / std, std
floored at 1/255). Same recipe (the config's values are the defaults below): random crop of the image padded
by 4 zeros + horizontal flip, batch 128 with the last partial batch kept, AdamW (betas 0.9 / 0.999, eps 1e-8)
with decoupled weight decay 0.05 on the linear and patch-projection weights only (as vit-lens's ParamSpec
WEIGHT role: not biases, LayerNorm, CLS token or position embedding), learning rate per step: linear warm-up
(step + 1) / warmup_steps * lr, then cosine to min_lr over the remaining steps (vit-core
WarmupCosineSchedule), label smoothing 0.1, global gradient-norm clipping at 1.0 of the batch-mean loss, timm
initialisation (trunc-normal std 0.02 cut at +-2 std for weights, CLS and position embedding; zero biases).
Differences that remain: the random streams (shuffle, crops, flips, initial values) are PyTorch's.

Not a test and not part of the build. Usage:
  ./vit data convert --dataset image-folder --data-dir ../shared/datasets/cifar10-jpg.tar.gz --out cifar10.vlc
  .venv/bin/python tools/pytorch-reference/train_cifar.py --cache cifar10.vlc --seed 42 --out torch-seed42.jsonl
"""
import argparse
import json
import math
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from vit_model import Attention, ViT

MAGIC = 0x56544C44


def read_utf(buf, pos):
    n = struct.unpack_from(">H", buf, pos)[0]
    return buf[pos + 2:pos + 2 + n].decode("utf-8"), pos + 2 + n


def read_cache(path):
    """The DatasetCache format of vit-lens (data/DatasetCache.java): big-endian header, labels, uint8 pixels."""
    with open(path, "rb") as f:
        buf = f.read()
    magic, version = struct.unpack_from(">ii", buf, 0)
    if magic != MAGIC or version != 1:
        raise SystemExit(f"{path}: not a vit-lens cache file (magic {magic:#x}, version {version}); "
                         "expected one written by `vit data convert`")
    pos = 8
    name, pos = read_utf(buf, pos)
    channels, size, classes = struct.unpack_from(">iii", buf, pos)
    pos += 12
    names = []
    for _ in range(classes):
        n, pos = read_utf(buf, pos)
        names.append(n)
    pos += 4  # skipped files of the source
    splits = []
    for _ in range(2):
        n = struct.unpack_from(">i", buf, pos)[0]
        pos += 4
        labels = np.frombuffer(buf, dtype=">i4", count=n, offset=pos).astype(np.int64)
        pos += 4 * n
        pixels = np.frombuffer(buf, dtype=np.uint8, count=n * channels * size * size, offset=pos)
        pos += n * channels * size * size
        splits.append((pixels.reshape(n, channels, size, size), labels))
    return name, names, splits[0], splits[1]


def channel_stats(x):
    """Per-channel mean and std in [0, 1] units over a uint8 [N, C, S, S] array, std floored at 1/255."""
    v = x.astype(np.float64)
    mean = v.mean(axis=(0, 2, 3)) / 255.0
    std = np.maximum(v.std(axis=(0, 2, 3)) / 255.0, 1.0 / 255.0)
    return mean.astype(np.float32), std.astype(np.float32)


def augment(batch, padding, flip, gen):
    """Random crop of the zero-padded images and a left-right mirror with probability 1/2. uint8 [B, C, S, S]."""
    b, c, s, _ = batch.shape
    padded = F.pad(batch, (padding,) * 4)
    ox = torch.randint(0, 2 * padding + 1, (b,), generator=gen)
    oy = torch.randint(0, 2 * padding + 1, (b,), generator=gen)
    out = torch.empty_like(batch)
    for i in range(b):
        out[i] = padded[i, :, oy[i]:oy[i] + s, ox[i]:ox[i] + s]
    if flip:
        m = torch.rand(b, generator=gen) < 0.5
        out[m] = out[m].flip(-1)
    return out


def trunc_normal_(t, std=0.02):
    nn.init.trunc_normal_(t, std=std, a=-2 * std, b=2 * std)


def init_timm(model):
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            trunc_normal_(m.weight)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.LayerNorm):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
    trunc_normal_(model.cls_token)
    if model.pos_embed is not None:
        trunc_normal_(model.pos_embed)


def lr_at(step, lr, min_lr, warmup, total):
    if step < warmup:
        return lr * (step + 1) / warmup
    decay = total - 1 - warmup
    if decay <= 0:
        return lr
    t = min(1.0, (step - warmup) / decay)
    return min_lr + 0.5 * (lr - min_lr) * (1 + math.cos(math.pi * t))


def evaluate(model, x, y, mean, std, batch=500):
    model.eval()
    correct, loss = 0, 0.0
    with torch.inference_mode():
        for i in range(0, len(y), batch):
            xb = (x[i:i + batch].float() / 255 - mean) / std
            out = model(xb)
            loss += F.cross_entropy(out, y[i:i + batch], reduction="sum").item()
            correct += (out.argmax(1) == y[i:i + batch]).sum().item()
    model.train()
    return correct / len(y), loss / len(y)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", required=True, help="a `vit data convert` file of CIFAR-10")
    ap.add_argument("--out", required=True, help="metrics, one JSON object per epoch")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--min-lr", type=float, default=1e-5)
    ap.add_argument("--warmup-epochs", type=float, default=2)
    ap.add_argument("--weight-decay", type=float, default=0.05)
    ap.add_argument("--label-smoothing", type=float, default=0.1)
    ap.add_argument("--grad-clip", type=float, default=1.0)
    ap.add_argument("--crop-padding", type=int, default=4)
    ap.add_argument("--no-flip", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit-train", type=int, default=0, help="use N training images drawn at random (smoke tests)")
    ap.add_argument("--limit-test", type=int, default=0)
    # model: configs/cifar10-vit-tiny.yaml
    ap.add_argument("--patch", type=int, default=4)
    ap.add_argument("--dim", type=int, default=128)
    ap.add_argument("--depth", type=int, default=6)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--mlp", type=int, default=256)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    Attention.fused = True

    name, classes, (xtr, ytr), (xte, yte) = read_cache(args.cache)
    rng = np.random.default_rng(args.seed)   # the cache is sorted by class: subsets are drawn at random
    if args.limit_train:
        pick = np.sort(rng.choice(len(ytr), args.limit_train, replace=False))
        xtr, ytr = xtr[pick], ytr[pick]
    if args.limit_test:
        pick = np.sort(rng.choice(len(yte), args.limit_test, replace=False))
        xte, yte = xte[pick], yte[pick]
    m, s = channel_stats(xtr)
    mean, std = torch.tensor(m).view(1, -1, 1, 1), torch.tensor(s).view(1, -1, 1, 1)
    xtr, ytr, xte, yte = (torch.from_numpy(np.array(a)) for a in (xtr, ytr, xte, yte))   # writable copies
    size, channels = xtr.shape[-1], xtr.shape[1]

    model = ViT(size, channels, args.patch, args.dim, args.depth, args.heads, args.mlp, len(classes))
    init_timm(model)
    decay = [p for n, p in model.named_parameters() if n.endswith("weight") and p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if not (n.endswith("weight") and p.dim() >= 2)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.999), eps=1e-8)
    steps_per_epoch = math.ceil(len(ytr) / args.batch)
    total = max(1, args.epochs * steps_per_epoch)
    warmup = min(round(args.warmup_epochs * steps_per_epoch), total - 1)
    print(f"{name}: {len(ytr)} train / {len(yte)} test images, mean {m.round(4)}, std {s.round(4)}; "
          f"{sum(p.numel() for p in model.parameters())} parameters; {total} steps, warm-up {warmup}", flush=True)

    step = 0
    with open(args.out, "w") as out:
        for epoch in range(1, args.epochs + 1):
            order = torch.randperm(len(ytr), generator=gen)
            t0, loss_sum, seen = time.time(), 0.0, 0
            for i in range(0, len(order), args.batch):
                idx = order[i:i + args.batch]
                xb = augment(xtr[idx], args.crop_padding, not args.no_flip, gen)
                xb = (xb.float() / 255 - mean) / std
                for g in opt.param_groups:
                    g["lr"] = lr_at(step, args.lr, args.min_lr, warmup, total)
                opt.zero_grad(set_to_none=True)
                loss = F.cross_entropy(model(xb), ytr[idx], label_smoothing=args.label_smoothing)
                loss.backward()
                if args.grad_clip > 0:
                    torch.nn.utils.clip_grad_norm_(model.parameters(), args.grad_clip)
                opt.step()
                step += 1
                loss_sum += loss.item() * len(idx)
                seen += len(idx)
            seconds = time.time() - t0
            acc, test_loss = evaluate(model, xte, yte, mean, std)
            line = {"epoch": epoch, "step": step, "trainLoss": loss_sum / seen, "testLoss": test_loss,
                    "testAccuracy": acc, "lr": lr_at(step - 1, args.lr, args.min_lr, warmup, total),
                    "imagesPerSecond": seen / seconds, "epochSeconds": seconds, "seed": args.seed,
                    "torch": torch.__version__}
            out.write(json.dumps(line) + "\n")
            out.flush()
            print(f"epoch {epoch}: train loss {line['trainLoss']:.4f}, test accuracy {acc:.4f}, "
                  f"{line['imagesPerSecond']:.0f} img/s", flush=True)


if __name__ == "__main__":
    main()
