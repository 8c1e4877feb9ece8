#!/usr/bin/env bash
# vit bench and the PyTorch reference alternating in one run, per model and round, in the environment as it is
# and with OPENBLAS_CORETYPE flipped (unset where it is set, Haswell where it is unset), so that the ratios
# compare runs made minutes apart on the same machine. Not a test: run it on a quiet machine.
#
# Usage: tools/pytorch-reference/side_by_side.sh OUT_DIR [ROUNDS (default 2)]
#   PYTHON   the interpreter with torch (default .venv/bin/python: python3 -m venv --system-site-packages .venv
#            && .venv/bin/pip install --no-index --no-deps torch, with PIP_FIND_LINKS naming the wheel's folder)
#   MODELS   default "tiny small" (configs/cifar10-vit-MODEL.yaml)
# Then: python3 tools/pytorch-reference/summarize_side_by_side.py OUT_DIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:?usage: side_by_side.sh OUT_DIR [ROUNDS]}"
rounds="${2:-2}"
py="${PYTHON:-$here/.venv/bin/python}"
models="${MODELS:-tiny small}"
mkdir -p "$out"
"$here/vit" --help >/dev/null   # build first, outside the timed runs

if [ -n "${OPENBLAS_CORETYPE:-}" ]; then asis="$OPENBLAS_CORETYPE"; flipped=""; else asis=""; flipped="Haswell"; fi
for env_name in as-is flipped; do
  if [ "$env_name" = as-is ]; then core="$asis"; else core="$flipped"; fi
  label="${core:-unset}"
  for r in $(seq 1 "$rounds"); do
    for m in $models; do
      echo "== OPENBLAS_CORETYPE=$label round $r $m: vit-lens" >&2
      ( if [ -n "$core" ]; then export OPENBLAS_CORETYPE="$core"; else unset OPENBLAS_CORETYPE; fi
        "$here/vit" bench --config "$here/configs/cifar10-vit-$m.yaml" --iterations 10 --warmup 5 \
          --json "$out/vit-$env_name-$m-$r.json" ) > "$out/vit-$env_name-$m-$r.log" 2>&1
      echo "== OPENBLAS_CORETYPE=$label round $r $m: PyTorch" >&2
      extra=""; if [ "$r" = 1 ]; then extra="--bf16"; fi
      ( if [ -n "$core" ]; then export OPENBLAS_CORETYPE="$core"; else unset OPENBLAS_CORETYPE; fi
        "$py" "$here/tools/pytorch-reference/vit_bench.py" --config "cifar10-vit-$m" --threads 2 --iterations 10 \
          --warmup 5 $extra --json "$out/torch-$env_name-$m-$r.json" ) > "$out/torch-$env_name-$m-$r.log" 2>&1
    done
  done
done
echo "wrote $out" >&2
