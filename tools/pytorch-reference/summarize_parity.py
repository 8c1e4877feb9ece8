#!/usr/bin/env python3
"""Summarise parity_seeds.sh's runs: each side's final test accuracy per seed, its mean and sample standard
deviation, and the difference of the means against its standard error (Welch), so that "do the two sides
differ by more than the seeds' spread explains" has a number. Writes OUT/parity.json and OUT/parity.md.

  python3 tools/pytorch-reference/summarize_parity.py OUT
"""
import glob
import json
import math
import os
import re
import statistics
import sys


def last_line(path):
    with open(path) as f:
        lines = [l for l in f if l.strip()]
    if not lines:
        raise SystemExit(f"{path}: no epochs recorded")
    return json.loads(lines[-1])


def side(pattern, out):
    runs = {}
    for path in sorted(glob.glob(os.path.join(out, pattern))):
        seed = int(re.search(r"seed(\d+)", path).group(1))
        metrics = path if path.endswith(".jsonl") else os.path.join(path, "metrics.jsonl")
        if not os.path.exists(metrics):
            continue
        d = last_line(metrics)
        runs[seed] = {"epochs": d["epoch"], "testAccuracy": d["testAccuracy"], "trainLoss": d["trainLoss"]}
    return runs


def stats(runs):
    acc = [r["testAccuracy"] for r in runs.values()]
    return {"n": len(acc), "mean": statistics.fmean(acc) if acc else None,
            "sd": statistics.stdev(acc) if len(acc) > 1 else None}


def main():
    out = sys.argv[1]
    vit, torch = side("vitlens-seed*", out), side("pytorch-seed*.jsonl", out)
    sv, st = stats(vit), stats(torch)
    result = {"vitlens": {"runs": vit, **sv}, "pytorch": {"runs": torch, **st}}
    if sv["sd"] is not None and st["sd"] is not None:
        diff = sv["mean"] - st["mean"]
        se = math.sqrt(sv["sd"] ** 2 / sv["n"] + st["sd"] ** 2 / st["n"])
        result["difference"] = {"meanVitlensMinusPytorch": diff, "standardError": se,
                                "inStandardErrors": diff / se if se > 0 else None}
    with open(os.path.join(out, "parity.json"), "w") as f:
        json.dump(result, f, indent=2)
    rows = ["| seed | vit-lens test acc | PyTorch test acc |", "| --- | --- | --- |"]
    for seed in sorted(set(vit) | set(torch)):
        cell = lambda runs: f"{100 * runs[seed]['testAccuracy']:.2f}% ({runs[seed]['epochs']} ep)" if seed in runs else "-"
        rows.append(f"| {seed} | {cell(vit)} | {cell(torch)} |")
    fmt = lambda s: "-" if s["mean"] is None else f"{100 * s['mean']:.2f}%" + ("" if s["sd"] is None else f" +- {100 * s['sd']:.2f}")
    rows.append(f"| mean +- sd | {fmt(sv)} | {fmt(st)} |")
    if "difference" in result:
        d = result["difference"]
        rows.append("")
        rows.append(f"Difference of the means (vit-lens - PyTorch): {100 * d['meanVitlensMinusPytorch']:+.2f} points, "
                    f"standard error {100 * d['standardError']:.2f} ({d['inStandardErrors']:+.2f} standard errors).")
    text = "\n".join(rows) + "\n"
    with open(os.path.join(out, "parity.md"), "w") as f:
        f.write(text)
    print(text, end="")


if __name__ == "__main__":
    main()
