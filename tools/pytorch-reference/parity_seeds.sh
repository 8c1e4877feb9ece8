#!/usr/bin/env bash
# Ten-epoch accuracy parity of vit-lens with the PyTorch reference (issue #18 item 4): the recipe of
# configs/cifar10-vit-tiny.yaml, the same decoded images (a `vit data convert` cache), several seeds per side,
# run one after the other and alternating sides so that drift of the machine's speed hits both alike.
# Accuracy does not depend on speed; the alternation only keeps the two sides' wall times comparable.
#
#   tools/pytorch-reference/parity_seeds.sh CACHE OUT [SEEDS...]     (default seeds: 42 43 44)
#   SMOKE=1 ...   one short epoch per run (a check of the plumbing, minutes instead of hours)
#
# Writes OUT/vitlens-seedN/ (a run directory), OUT/pytorch-seedN.jsonl, and OUT/parity.md / parity.json
# (summarize_parity.py): final test accuracy per seed, mean and standard deviation per side.
# About 50 min per vit-lens run and 60 min per PyTorch run on a 2-core Zen 3; keep the cores free.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="$(realpath "$1")"; out="$(mkdir -p "$2" && realpath "$2")"; shift 2
if [ $# -gt 0 ]; then seeds=("$@"); else seeds=(42 43 44); fi
python="${PYTHON:-$repo/.venv/bin/python}"

vit_extra=(); torch_extra=()
if [ "${SMOKE:-0}" = 1 ]; then
  vit_extra=(--set train.epochs=1 --set train.warmup-epochs=0.5 --set train.max-batches-per-epoch=4 --set train.eval-images=256)
  torch_extra=(--epochs 1 --warmup-epochs 0.5 --limit-train 512 --limit-test 256)
fi

# A run whose metrics already hold its last epoch is kept, so the script can be started again after a stop
# (e.g. the end of a session) and goes on where it was: a vit-lens run with checkpoints resumes from its last
# one (a checkpoint every epoch), a PyTorch run starts again.
epochs=10; [ "${SMOKE:-0}" = 1 ] && epochs=1
finished() { [ -f "$1" ] && grep -q "\"epoch\": *$epochs[,}]" "$1"; }

for seed in "${seeds[@]}"; do
  run="$out/vitlens-seed$seed"
  if finished "$run/metrics.jsonl"; then
    echo "== seed $seed: vit-lens already finished ($run)" >&2
  else
    mode=(--overwrite); ls "$run"/checkpoints/epoch-0*.zip > /dev/null 2>&1 && mode=(--resume)
    echo "== seed $seed: vit-lens (${mode[*]})" >&2
    "$repo/vit" train --config "$repo/configs/cifar10-vit-tiny.yaml" --set seed="$seed" \
        --set data.dataset=cache --set data.data-dir="$cache" --set train.checkpoint-every=1 "${vit_extra[@]}" \
        --out "$run" "${mode[@]}"
  fi
  if finished "$out/pytorch-seed$seed.jsonl"; then
    echo "== seed $seed: PyTorch already finished" >&2
  else
    echo "== seed $seed: PyTorch" >&2
    "$python" "$here/train_cifar.py" --cache "$cache" --seed "$seed" "${torch_extra[@]}" --out "$out/pytorch-seed$seed.jsonl"
  fi
done
"$python" "$here/summarize_parity.py" "$out"
