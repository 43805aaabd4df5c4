#!/usr/bin/env bash
# CUDA smoke run (issue #19): build with the CUDA backend, print `trainkit info`, train ResNet-20 for 200 steps on
# synthetic CIFAR-shaped data on the GPU, and print the throughput next to a short CPU run of the same config.
#
#   tools/gpu-smoke.sh                       # on a machine with an NVIDIA GPU and nuget.org (TorchSharp-cuda-linux)
#   BACKEND=cpu DEVICE=cpu STEPS=20 tools/gpu-smoke.sh   # the same path on CPU (how it is checked where no GPU is lent)
#
# Not run in CI: CI has no GPU, and the CUDA packages (TorchSharp-cuda-linux, libtorch-cuda-*) are not served on the
# machines TrainKit is developed on, so the build step needs a NuGet source that has them.
# Writes everything under ${OUT:-/tmp/trainkit-gpu-smoke}; the last lines are the numbers to record.
set -euo pipefail
cd "$(dirname "$0")/.."
BACKEND=${BACKEND:-cuda}
DEVICE=${DEVICE:-cuda}
STEPS=${STEPS:-200}
OUT=${OUT:-/tmp/trainkit-gpu-smoke}
rm -rf "$OUT" && mkdir -p "$OUT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== build (TorchBackend=$BACKEND)"
dotnet build src/Cli -c Release -p:TorchBackend="$BACKEND" -o "$OUT/cli" -v:q -nologo >/dev/null
trainkit() { dotnet "$OUT/cli/trainkit.dll" "$@"; }

echo "== trainkit info"
trainkit info | tee "$OUT/info.txt"

echo "== synthetic CIFAR-10 (binary layout: 1 label byte + 3072 pixel bytes per record)"
python3 - "$OUT/data/cifar-10-batches-bin" <<'PY'
import os, random, sys
folder = sys.argv[1]
os.makedirs(folder, exist_ok=True)
rng = random.Random(0)
def write(name, records):
    with open(os.path.join(folder, name), "wb") as f:
        for _ in range(records):
            f.write(bytes([rng.randrange(10)]) + rng.randbytes(3072))
for i in range(1, 6):
    write(f"data_batch_{i}.bin", 2000)   # 10,000 training images in all (the real set has 10,000 per file)
write("test_batch.bin", 2000)
PY

cat > "$OUT/run.json" <<JSON
{"task": "resnet-cifar10", "model": {"name": "resnet20", "width": 1}, "batch_size": 128,
 "optimizer": {"name": "sgd", "lr": 0.1, "momentum": 0.9, "weight_decay": 5e-4},
 "schedule": {"kind": "WarmupCosine", "params": {"warmup_steps": 20}},
 "log_every": 50, "eval_every": 100000, "checkpoint_every": 100000,
 "data": {"source": "cifar10", "eval_examples": 512}}
JSON

run() {  # device steps folder
  local start end
  start=$(date +%s.%N)
  trainkit train --config "$OUT/run.json" --data "$OUT/data" --device "$1" --steps "$2" --out "$OUT/$3" > "$OUT/$3.log"
  end=$(date +%s.%N)
  python3 - "$OUT/$3/metrics.jsonl" "$1" "$2" "$start" "$end" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rates = [r["examples_per_second"] for r in rows if r.get("examples_per_second")]
steady = rates[1:] or rates   # the first logged interval includes start-up and kernel selection
print(f"{sys.argv[2]}: {sys.argv[3]} steps of ResNet-20 (batch 128), steady {sum(steady) / len(steady):.0f} img/s "
      f"(logged intervals after the first), wall {float(sys.argv[5]) - float(sys.argv[4]):.1f} s including start-up and evaluation")
PY
}

echo "== train on $DEVICE ($STEPS steps)"
run "$DEVICE" "$STEPS" device-run | tee "$OUT/result.txt"
if [ "$DEVICE" != cpu ]; then
  echo "== the same config on cpu (20 steps), for the ratio"
  run cpu 20 cpu-run | tee -a "$OUT/result.txt"
fi
