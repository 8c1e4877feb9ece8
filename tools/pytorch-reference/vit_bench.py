#!/usr/bin/env python3
"""Reference PyTorch (eager, fp32) benchmark of the same ViT as `vit bench`, on the same CPU.

The model follows docs/model-spec.md the way timm's VisionTransformer does: patch convolution,
CLS token, learned position embedding, pre-norm blocks (LayerNorm eps 1e-6, exact GELU), final LayerNorm,
CLS pooling, linear head. A training step is forward + label-smoothed cross-entropy + backward + AdamW, at
the batch size and with the timing rules of `vit bench`: untimed warm-up steps, then the median and the
10th/90th percentiles of the timed ones. The ceiling is torch's own fp32 2048^3 matrix product.

Not a test and not part of the build: it needs python3-torch (Debian) or pip's torch.
Usage: python3 tools/pytorch-reference/vit_bench.py [--batch 128] [--iterations 10] [--json out.json]
"""
import argparse
import json
import math
import os
import platform
import statistics
import time

import torch
import torch.nn.functional as F

from vit_model import Attention, ViT

# name: (image size, channels, patch, D, L, H, M, classes): configs/cifar10-vit-{tiny,small}.yaml
CONFIGS = {
    "cifar10-vit-tiny": (32, 3, 4, 128, 6, 4, 256, 10),
    "cifar10-vit-small": (32, 3, 4, 192, 6, 6, 384, 10),
}


def forward_flops(size, channels, patch, d, depth, heads, mlp, classes):
    """Multiply-adds x 2 per image of the products (patch embedding, linear layers, attention, head)."""
    n = (size // patch) ** 2
    t = n + 1
    flops = 2 * n * d * channels * patch * patch
    flops += depth * (2 * t * d * (3 * d + d + 2 * mlp) + 2 * 2 * t * t * d)
    return flops + 2 * d * classes


def percentiles(xs):
    s = sorted(xs)
    pick = lambda q: s[min(len(s) - 1, max(0, int(math.ceil(q * len(s))) - 1))]
    return statistics.median(s), pick(0.1), pick(0.9)


def timed(fn, warmup, iterations):
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(iterations):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def gemm_gflops(size, iterations):
    a, b = torch.randn(size, size), torch.randn(size, size)
    secs = timed(lambda: torch.mm(a, b), 2, iterations)
    return [2 * size ** 3 / s / 1e9 for s in secs]


def bench_model(name, batch, warmup, iterations, ceiling, bf16=False):
    spec = CONFIGS[name]
    torch.manual_seed(42)
    model = ViT(*spec)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    x = torch.randn(batch, spec[1], spec[0], spec[0])
    y = torch.randint(0, spec[-1], (batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        # bf16 autocast: the products in bfloat16 (AMX / AVX-512 BF16 where the CPU has them), for information
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            loss = F.cross_entropy(model(x), y, label_smoothing=0.1)
        loss.backward()
        opt.step()

    model.train()
    train = [batch / s for s in timed(step, warmup, iterations)]
    model.eval()
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        infer = [batch / s for s in timed(lambda: model(x), warmup, iterations)]
    flops = forward_flops(*spec)
    t_med, t_lo, t_hi = percentiles(train)
    i_med, _, _ = percentiles(infer)
    return {
        "config": name, "precision": "bf16 autocast" if bf16 else "fp32", "flopsPerImage": flops,
        "trainImagesPerSecond": t_med, "trainP10": t_lo, "trainP90": t_hi,
        "inferImagesPerSecond": i_med,
        "trainGflops": t_med * 3 * flops / 1e9,
        "shareOfCeiling": t_med * 3 * flops / 1e9 / ceiling,
        "inferOverTrain": i_med / t_med,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--iterations", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--mmul-size", type=int, default=2048)
    ap.add_argument("--config", choices=sorted(CONFIGS), action="append")
    ap.add_argument("--json")
    ap.add_argument("--attention", choices=["sdpa", "manual"], default="sdpa",
                    help="sdpa: F.scaled_dot_product_attention, as timm runs it (default); manual: products + softmax")
    ap.add_argument("--bf16", action="store_true", help="also measure bf16 autocast (for information)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    Attention.fused = args.attention == "sdpa"

    g_med, g_lo, g_hi = percentiles(gemm_gflops(args.mmul_size, max(5, args.iterations)))
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")
    print(f"torch fp32 gemm {args.mmul_size}^3: median {g_med:.1f} GFLOP/s (p10 {g_lo:.1f}, p90 {g_hi:.1f})")
    print(f"{'model':<22} {'MFLOP/img':>9} {'train img/s':>12} {'(p10-p90)':>11} {'% ceiling':>9} "
          f"{'infer img/s':>11} {'infer/train':>11}")
    rows = []
    for name, bf16 in [(n, b) for n in (args.config or list(CONFIGS)) for b in ([False, True] if args.bf16 else [False])]:
        r = bench_model(name, args.batch, args.warmup, args.iterations, g_med, bf16)
        rows.append(r)
        name = name + (" bf16" if bf16 else "")
        print(f"{name:<22} {r['flopsPerImage'] / 1e6:>9.1f} {r['trainImagesPerSecond']:>12.1f} "
              f"{r['trainP10']:>5.0f}-{r['trainP90']:<5.0f} {100 * r['shareOfCeiling']:>8.1f}% "
              f"{r['inferImagesPerSecond']:>11.1f} {r['inferOverTrain']:>11.2f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"torch": torch.__version__, "threads": torch.get_num_threads(), "attention": args.attention,
                       "openblasCoretype": os.environ.get("OPENBLAS_CORETYPE"),
                       "machine": platform.processor() or platform.machine(), "batch": args.batch,
                       "mmulGflops": g_med, "models": rows}, f, indent=2)


if __name__ == "__main__":
    main()
