#!/usr/bin/env python3
"""Forward-pass parity between vit-lens and an independent PyTorch implementation of docs/model-spec.md.

Loads timm-named safetensors weights (as `vit export` writes them, configuration in __metadata__) into
vit_model.ViT in float64, runs the first n images of the Fashion-MNIST test set (IDX bytes: no decoder in
between), and compares with the logits `vit predict` wrote for the same weights and images.

  vit export --checkpoint RUN/checkpoints/epoch-NNN.zip --out w.safetensors
  vit predict --weights w.safetensors --dataset fashion-mnist --limit 256 --out logits.csv
  python3 tools/pytorch-reference/parity.py --weights w.safetensors --logits logits.csv

`--write-random OUT` instead writes random timm-named weights with metadata (large enough that attention is
far from uniform), for checking variants no trained run covers.
Not a test and not part of the build: it needs python3-torch and numpy.
"""
import argparse
import csv
import gzip
import json
import struct
import sys

import numpy as np
import torch

from vit_model import ViT

FASHION = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, t in header.items():
        if t["dtype"] != "F32":
            sys.exit(f"{path}: tensor {name} has dtype {t['dtype']}, expected F32")
        lo, hi = t["data_offsets"]
        tensors[name] = np.frombuffer(data[lo:hi], dtype="<f4").reshape(t["shape"])
    return tensors, meta


def write_safetensors(path, tensors, meta):
    header, offset, blobs = {"__metadata__": meta}, 0, []
    for name, a in tensors.items():
        b = np.ascontiguousarray(a, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def model_from(meta, tensors):
    m = lambda key: int(meta[key])
    model = ViT(m("image_size"), m("channels"), m("patch_size"), m("dim"), m("depth"), m("heads"), m("mlp_dim"),
                m("num_classes"), pos_embed="pos_embed" in tensors, pooling=meta.get("pooling", "cls"))
    state = {k: torch.from_numpy(v.copy()) for k, v in tensors.items() if k not in ("pos_embed_row", "pos_embed_col")}
    model.load_state_dict(state, strict=True)
    return model.double().eval()


def fashion_images(n, meta):
    with gzip.open(FASHION, "rb") as f:
        magic, count, rows, cols = struct.unpack(">IIII", f.read(16))
        pixels = np.frombuffer(f.read(n * rows * cols), dtype=np.uint8).reshape(n, 1, rows, cols)
    mean = np.array([float(v) for v in meta["mean"].split(",")]).reshape(1, -1, 1, 1)
    std = np.array([float(v) for v in meta["std"].split(",")]).reshape(1, -1, 1, 1)
    return torch.from_numpy((pixels / 255.0 - mean) / std)  # [n, 1, 28, 28] float64


def random_weights(args):
    g = np.random.default_rng(args.seed)
    d, depth, m, c, p, s, k = 64, 3, 128, 1, 4, 28, 10
    t = (s // p) ** 2 + 1
    r = lambda *shape, std=args.std: g.normal(0, std, shape).astype(np.float32)
    w = {"cls_token": r(1, 1, d), "patch_embed.proj.weight": r(d, c, p, p), "patch_embed.proj.bias": r(d)}
    if args.pos != "none":
        w["pos_embed"] = r(1, t, d)
    for i in range(depth):
        b = f"blocks.{i}."
        w |= {b + "norm1.weight": 1 + r(d), b + "norm1.bias": r(d), b + "attn.qkv.weight": r(3 * d, d),
              b + "attn.qkv.bias": r(3 * d), b + "attn.proj.weight": r(d, d), b + "attn.proj.bias": r(d),
              b + "norm2.weight": 1 + r(d), b + "norm2.bias": r(d), b + "mlp.fc1.weight": r(m, d),
              b + "mlp.fc1.bias": r(m), b + "mlp.fc2.weight": r(d, m), b + "mlp.fc2.bias": r(d)}
    w |= {"norm.weight": 1 + r(d), "norm.bias": r(d), "head.weight": r(k, d), "head.bias": r(k)}
    meta = {"image_size": str(s), "channels": str(c), "patch_size": str(p), "dim": str(d), "depth": str(depth),
            "heads": "4", "mlp_dim": str(m), "num_classes": str(k), "pos_embedding": args.pos,
            "pooling": args.pooling, "mean": "0.286", "std": "0.353",
            "class_names": ",".join(f"c{i}" for i in range(k))}
    write_safetensors(args.write_random, w, meta)
    print(f"wrote {args.write_random}: D {d}, L {depth}, H 4, M {m}, pos {args.pos}, pooling {args.pooling}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--weights")
    ap.add_argument("--logits", help="CSV written by vit predict")
    ap.add_argument("--tolerance", type=float, default=1e-4, help="max |logit difference| / (1 + |logit|)")
    ap.add_argument("--write-random", metavar="OUT")
    ap.add_argument("--std", type=float, default=0.25)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pos", default="learned", choices=["learned", "none"])
    ap.add_argument("--pooling", default="cls", choices=["cls", "mean"])
    args = ap.parse_args()
    if args.write_random:
        return random_weights(args)
    if not (args.weights and args.logits):
        ap.error("--weights and --logits are required (or --write-random)")

    tensors, meta = read_safetensors(args.weights)
    with open(args.logits) as f:
        rows = list(csv.DictReader(f))
    k = int(meta["num_classes"])
    theirs = np.array([[float(r[f"logit_{j}"]) for j in range(k)] for r in rows])
    indices = [int(r["index"]) for r in rows]
    if indices != list(range(len(rows))):
        sys.exit(f"{args.logits}: expected rows for images 0..{len(rows) - 1} in order")
    model = model_from(meta, tensors)
    with torch.no_grad():
        ours = model(fashion_images(len(rows), meta)).numpy()  # [n, K] float64
    err = np.abs(ours - theirs) / (1 + np.abs(ours))
    agree = (ours.argmax(1) == theirs.argmax(1)).mean()
    print(f"{len(rows)} images, {k} classes: logits up to {np.abs(ours).max():.3f}; "
          f"max |diff| {np.abs(ours - theirs).max():.3e}, max |diff| / (1 + |logit|) {err.max():.3e}, "
          f"argmax agreement {100 * agree:.1f}%")
    if err.max() > args.tolerance:
        i, j = np.unravel_index(err.argmax(), err.shape)
        sys.exit(f"FAIL: image {i}, logit {j}: vit-lens {theirs[i, j]:.6f}, PyTorch {ours[i, j]:.6f}")
    print("PASS")


if __name__ == "__main__":
    main()
