#!/usr/bin/env python3
"""Scalars-only summary of a `vit analyze` report, small enough to commit beside docs/results.md.

analysis.json of a long run is tens of megabytes: per head it holds the mean Q/K cosine and attention at every
(row, column) offset, and per checkpoint the 64 x 64 position-embedding cosine matrix and PCA scores. This keeps
what the results page quotes: per checkpoint the position-embedding scalars (C1 rho, row/column R^2), the
per-layer summaries with head-type counts, every head's scalar measures and type, and the C1-C12 verdicts with
their scalar details.

Usage: python3 tools/analysis_summary.py RUN/report/analysis.json OUT.json [--source "command that made it"]
"""
import argparse
import json
import sys

# Per-offset maps, matrices and vectors that make analysis.json large; the figures of the report draw them.
HEAVY_KEYS = {
    "qkCosineAtOffset", "attentionAtOffset", "qkPrincipalAnglesDeg",
    "cosineSimilarity", "pcaScores", "similarityByDistance",
    "pcaVarianceShare", "pcaRowCorrelation", "pcaColumnCorrelation",
}


def is_scalar(value):
    return value is None or isinstance(value, (bool, int, float, str))


def strip(node):
    """Drops HEAVY_KEYS and lists of numbers longer than a per-layer list; keeps everything else."""
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in HEAVY_KEYS}
    if isinstance(node, list):
        if node and all(is_scalar(v) and not isinstance(v, str) for v in node) and len(node) > 24:
            return None
        return [strip(v) for v in node]
    return node


def summarize(analysis, source):
    checkpoints = []
    for c in analysis["checkpoints"]:
        pe = c.get("positionEmbedding") or {}
        checkpoints.append({
            "checkpoint": c["checkpoint"],
            "epoch": c["epoch"],
            "images": c.get("images"),
            "positionEmbedding": {k: v for k, v in pe.items() if is_scalar(v)},
            "positionEmbeddingReason": c.get("positionEmbeddingReason"),
            "meanAsymmetry": c.get("meanAsymmetry"),
            "meanQkPrincipalAngleDeg": c.get("meanQkPrincipalAngleDeg"),
            "meanAttentionDistanceDepthRho": c.get("meanAttentionDistanceDepthRho"),
            "layers": strip(c.get("layers", [])),
            "heads": strip(c.get("heads", [])),
        })
    claims = []
    for claim in analysis.get("claims", []):
        kept = {k: v for k, v in claim.items() if k != "details"}
        details = claim.get("details") or {}
        # C3's trajectory repeats the checkpoints' scalars above; keep the rest of each claim's details.
        kept["details"] = strip({k: v for k, v in details.items() if k != "trajectory"})
        claims.append(kept)
    return {
        "source": source,
        "model": analysis.get("model"),
        "images": analysis.get("images"),
        "uniformAttentionMeanDistancePx": analysis.get("uniformAttentionMeanDistancePx"),
        "headTypeRules": analysis.get("headTypeRules"),
        "claims": claims,
        "checkpoints": checkpoints,
    }


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("analysis_json")
    parser.add_argument("out_json")
    parser.add_argument("--source", default=None, help="how the report was made (default: the input path)")
    args = parser.parse_args(argv)
    try:
        with open(args.analysis_json) as f:
            analysis = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"analysis_summary: cannot read {args.analysis_json}: {e}")
    if "checkpoints" not in analysis:
        sys.exit(f"analysis_summary: {args.analysis_json} has no 'checkpoints': not a vit analyze analysis.json")
    summary = summarize(analysis, args.source or args.analysis_json + ", scalars only")
    with open(args.out_json, "w") as f:
        json.dump(summary, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
