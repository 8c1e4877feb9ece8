#!/usr/bin/env bash
# tools/gpu-check.sh: the model on the ND4J CUDA backend, checked on a machine with an NVIDIA GPU (issue #15).
#
#   tools/gpu-check.sh [OUT_DIR]          (default OUT_DIR: gpu-check-out)
#
# Steps, each logged to OUT_DIR/<step>.log and timed; a failing step is recorded and the next one still runs:
#   gpu     nvidia-smi: GPU name, compute capability, driver, memory
#   build   mvn -Pcuda -DskipTests package (switches this tree's build to CUDA; rebuild without -Pcuda after)
#   tests   the portable engine's CUDA-meaningful tests on the CUDA backend, -Dvitlens.engine=portable:
#           PortableReferenceTest (logits vs the plain-Java reference, every variant, float and double;
#           gradients finite and reaching every parameter) and PortableGradientCheckTest (DL4J's gradient
#           check in double). The portable-vs-fast equality tests need the fast (CPU-only) engine: not run here.
#   train   tiny CIFAR-10 (configs/cifar10-vit-tiny.yaml) for one epoch on the portable engine
#   bench   vit bench for tiny and small; the ceiling it reports is Nd4j.gemm's fp32 rate, i.e. cuBLAS here
# then writes OUT_DIR/gpu-check.json with every step's status and seconds and the figures.
#
# Needs: an NVIDIA driver (libcuda.so.1); CUDA 11.x's libcublas.so.11 and libcusolver.so.11 on the library
# path, or GPU_CHECK_MAVEN_ARGS=-Pcuda-redist to bundle them (a 1.8 GB jar); Maven Central reachable, or the
# CUDA jars already in ~/.m2 (then GPU_CHECK_MAVEN_ARGS=-o); python3 for the JSON; CIFAR-10 as the config's
# data-dir (../shared/datasets/cifar10-jpg.tar.gz) or GPU_CHECK_DATA=<cifar10 JPEG tree or tar.gz>.
# nd4j-cuda-11.6 1.0.0-M2.1's libnd4jcuda holds cubins for sm_37, 50, 52, 60, 61, 70, 75, 80 and 86 and no
# PTX: Kepler (K80) to Ampere, and Ada (sm_89 runs sm_86 cubins); Hopper (H100, sm_90) and later cannot run
# its kernels. On such a GPU this script records the error rather than working around it.
# Environment: GPU_CHECK_MAVEN_ARGS (extra mvn args), GPU_CHECK_DATA, GPU_CHECK_XMX (default 16g),
#              GPU_CHECK_STEPS (default "gpu build tests train bench").
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(mkdir -p "${1:-gpu-check-out}" && cd "${1:-gpu-check-out}" && pwd)"
mvn_args="${GPU_CHECK_MAVEN_ARGS:-}"
xmx="${GPU_CHECK_XMX:-16g}"
steps="${GPU_CHECK_STEPS:-gpu build tests train bench}"
status_file="$out/steps.tsv"
: > "$status_file"
cd "$here" || exit 1

# run_step NAME COMMAND...: runs it with output in OUT/NAME.log, appends "NAME<TAB>rc<TAB>milliseconds"
run_step() {
  local name="$1"; shift
  case " $steps " in *" $name "*) ;; *) return 0 ;; esac
  echo "gpu-check: $name ..." >&2
  local start end rc
  start=$(date +%s%N)
  "$@" > "$out/$name.log" 2>&1
  rc=$?
  end=$(date +%s%N)
  printf '%s\t%s\t%s\n' "$name" "$rc" "$(( (end - start) / 1000000 ))" >> "$status_file"
  echo "gpu-check: $name rc=$rc ($(tail -n 1 "$out/$name.log" | cut -c1-160))" >&2
}

data_args=()
if [ -n "${GPU_CHECK_DATA:-}" ]; then data_args=(--set "data.data-dir=$GPU_CHECK_DATA"); fi
export VIT_JAVA_OPTS="-Xmx$xmx -Dvitlens.engine=portable"
export VIT_MAVEN_ARGS="-Pcuda $mvn_args"

gpu_info() {
  nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total --format=csv,noheader \
    || nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  nvidia-smi
}
# shellcheck disable=SC2086
build() { mvn -B -Pcuda $mvn_args -DskipTests package && touch training/target/classpath.txt; }
# shellcheck disable=SC2086
tests() {
  mvn -B -Pcuda $mvn_args test -pl vit-core -Dvitlens.engine=portable \
    -Dtest='PortableReferenceTest,PortableGradientCheckTest' -Dvitlens.fullGradientCheck=true \
    -Dsurefire.failIfNoSpecifiedTests=false
}
train() {
  rm -rf "$out/tiny-run"
  ./vit train --config configs/cifar10-vit-tiny.yaml --out "$out/tiny-run" \
    --set train.epochs=1 --set train.warmup-epochs=0 "${data_args[@]}"
}
bench() {
  local rc=0
  for m in tiny small; do
    ./vit bench --config "configs/cifar10-vit-$m.yaml" --json "$out/bench-$m.json" || rc=$?
  done
  return $rc
}

run_step gpu gpu_info
run_step build build
run_step tests tests
run_step train train
run_step bench bench

python3 - "$out" <<'PY'
import json, os, sys, glob
out = sys.argv[1]
res = {"steps": {}, "engine": "portable"}
for line in open(os.path.join(out, "steps.tsv")):
    name, rc, secs = line.rstrip("\n").split("\t")
    log = open(os.path.join(out, name + ".log"), errors="replace").read().splitlines()
    errors = [l for l in log if "Exception" in l or "Error" in l or "error:" in l][:5]
    res["steps"][name] = {"rc": int(rc), "seconds": round(int(secs) / 1000.0, 1), "first_errors": errors}
gpu = os.path.join(out, "gpu.log")
if os.path.exists(gpu):
    res["gpu"] = open(gpu).read().splitlines()[:1]
metrics = os.path.join(out, "tiny-run", "metrics.jsonl")
if os.path.exists(metrics):
    lines = [json.loads(l) for l in open(metrics) if l.strip()]
    if lines:
        last = lines[-1]
        res["train_tiny_one_epoch"] = {k: last.get(k) for k in
            ("epoch", "step", "trainLoss", "testLoss", "testAccuracy", "engine", "epochSeconds", "imagesPerSecond")
            if k in last}
for f in sorted(glob.glob(os.path.join(out, "bench-*.json"))):
    try:
        res[os.path.basename(f)[:-5]] = json.load(open(f))
    except Exception as e:
        res[os.path.basename(f)[:-5]] = "unreadable: %s" % e
json.dump(res, open(os.path.join(out, "gpu-check.json"), "w"), indent=2)
print(json.dumps({k: v for k, v in res.items() if k in ("steps", "gpu", "train_tiny_one_epoch")}, indent=2))
PY
echo "gpu-check: figures in $out/gpu-check.json; logs in $out/*.log" >&2
