#!/usr/bin/env python3
"""Markdown table of a side_by_side.sh run: per environment and model, vit-lens and PyTorch training img/s per
round, the ratio of each round's pair, and PyTorch's bf16 autocast figure (first round) for information.

Usage: python3 tools/pytorch-reference/summarize_side_by_side.py OUT_DIR [--json summary.json]
"""
import glob
import json
import os
import statistics
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def main():
    out = sys.argv[1]
    rows, summary = [], []
    for env in ("as-is", "flipped"):
        for model in ("tiny", "small"):
            vit = sorted(glob.glob(os.path.join(out, f"vit-{env}-{model}-*.json")))
            if not vit:
                continue
            pairs = []
            bf16 = None
            for v in vit:
                r = v.rsplit("-", 1)[1].split(".")[0]
                t = os.path.join(out, f"torch-{env}-{model}-{r}.json")
                if not os.path.exists(t):
                    continue
                vj, tj = load(v), load(t)
                vrate = vj["models"][0]["trainImagesPerSecond"]["median"]
                fp32 = [m for m in tj["models"] if m.get("precision", "fp32") == "fp32"][0]
                b = [m for m in tj["models"] if m.get("precision") == "bf16 autocast"]
                if b:
                    bf16 = b[0]["trainImagesPerSecond"]
                pairs.append({"round": int(r), "vit": vrate, "torch": fp32["trainImagesPerSecond"],
                              "ratio": vrate / fp32["trainImagesPerSecond"],
                              "vitInfer": vj["models"][0]["inferImagesPerSecond"]["median"],
                              "torchInfer": fp32["inferImagesPerSecond"],
                              "openblasCore": vj.get("openblasCore"), "vitCeiling": vj.get("mmulGflops"),
                              "torchCeiling": tj.get("mmulGflops"),
                              "kernels": {k["key"]: k["impl"] for k in vj["models"][0].get("kernelChoices", [])}})
            if not pairs:
                continue
            ratios = [p["ratio"] for p in pairs]
            summary.append({"environment": env, "model": model, "rounds": pairs, "medianRatio": statistics.median(ratios),
                            "torchBf16TrainImagesPerSecond": bf16})
            rows.append(f"| {pairs[0]['openblasCore']} | {model} | "
                        + ", ".join(f"{p['vit']:.1f}" for p in pairs) + " | "
                        + ", ".join(f"{p['torch']:.1f}" for p in pairs) + " | "
                        + ", ".join(f"{p['ratio']:.2f}x" for p in pairs) + " | "
                        + (f"{bf16:.1f}" if bf16 else "-") + " | "
                        + ", ".join(f"{p['vitInfer']:.0f} / {p['torchInfer']:.0f}" for p in pairs) + " |")
    print("| OpenBLAS core (vit-lens) | model | vit-lens train img/s (rounds) | PyTorch fp32 train img/s | ratio per round "
          "| PyTorch bf16 autocast | infer img/s vit-lens / PyTorch |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    if "--json" in sys.argv:
        with open(sys.argv[sys.argv.index("--json") + 1], "w") as f:
            json.dump(summary, f, indent=2)


if __name__ == "__main__":
    main()
