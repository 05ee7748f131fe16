#!/usr/bin/env bash
# How a device's layer figures grow with the number of labelled training
# layers (models/README.md, "How the layer figures grow with labelled
# layers"): the shipped recipe's three layer rounds, from the device's
# student, on the first N of the first 18,000 layers of
# layers/<device>_train.csv (and once on the last 9,000 of them, to see the
# spread), each scored on the last 2,000 training layers (best-strategy MAPE,
# same strategy as the teacher) and on the ProxylessNAS space at 224
# (layer MAPE; blocks within +-3 %, a block being the sum of its layers'
# best-strategy cycles, by (block_id, input_dtype)).
#
#   bench/layer_labels_curve/study.sh [device]      (default: npu_5_0)
#
# Needs build/tools/vpucost, the v1/v2 teacher data in ../shared and the
# device's student that scripts/train-shipped-models.sh leaves in $TEACHERS
# (default /tmp/vpucost-teachers). Runs two trainings at a time, one thread
# each; about 10 minutes per device on two cores. Deterministic: it reprints
# the table in models/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
vpucost=$PWD/build/tools/vpucost
d=${1:-npu_5_0}
shared=../shared/datasets
layers=$shared/vpunn-teacher-v2/layers
student=${TEACHERS:-/tmp/vpucost-teachers}/${d}_student.h5
[ -f "$student" ] || { echo "study.sh: $student is missing: run scripts/train-shipped-models.sh $d first" >&2; exit 1; }
data=$shared/vpunn-teacher-v2/dpu/${d}_train.csv
[ -f "$shared/vpunn-teacher/${d}_train.csv" ] && data="$data,$shared/vpunn-teacher/${d}_train.csv"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -n 18001 "$layers/${d}_train.csv" >"$work/fit.csv"
{ head -n 1 "$layers/${d}_train.csv"; tail -n +18002 "$layers/${d}_train.csv"; } >"$work/held.csv"
tune=(--val-fraction 0 --activation silu --batch 128 --lr 0.0003 --min-lr-ratio 0.01 --decay-to-init
  --warmup 0 --weight-decay 0.03 --threads 1 --quiet --epochs 100 --init-from "$student")
# rounds NAME FIT: the recipe's three rounds on the layers of FIT
rounds() {
  local name=$1 fit=$2 model=$student rows
  for r in 1 2 3; do
    rows=$work/${name}_rows_$r.csv
    "$vpucost" layer --model "$model" --dma-model "models/dma_$d.h5" --csv "$fit" \
      --emit-training-rows "$rows.once" --training-margin 0 >/dev/null 2>&1
    { cat "$rows.once"; tail -n +2 "$rows.once"; tail -n +2 "$rows.once"; } >"$rows"
    "$vpucost" train --data "$data,$rows" --out "$work/${name}.h5" "${tune[@]}" >/dev/null
    model=$work/${name}.h5
  done
  echo $(($(wc -l <"$rows.once") - 1)) >"$work/${name}.rows"  # less the header
}
cp "$student" "$work/0.h5"
echo 0 >"$work/0.rows"
for n in 2250 4500 9000 13500 18000; do
  head -n $((n + 1)) "$work/fit.csv" >"$work/fit_$n.csv"
  rounds "$n" "$work/fit_$n.csv" &
  while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n; done
done
{ head -n 1 "$work/fit.csv"; tail -n 9000 "$work/fit.csv"; } >"$work/fit_last9000.csv"
rounds last9000 "$work/fit_last9000.csv" &
wait
echo "labelled_layers derived_rows held_best_mape held_same_strategy proxyless_layer_mape proxyless_blocks_within_3"
for name in 0 2250 4500 9000 last9000 13500 18000; do
  m=$work/$name.h5
  "$vpucost" layer --model "$m" --dma-model "models/dma_$d.h5" --csv "$work/held.csv" >"$work/$name.held" 2>&1
  "$vpucost" layer --model "$m" --csv "$layers/${d}_proxyless_224.csv" --out "$work/$name.px.csv" >/dev/null 2>&1
  blocks=$(/usr/bin/python3 - "$work/$name.px.csv" <<'PY'
import sys
import pandas as pd
d = pd.read_csv(sys.argv[1])
layer = (d.vpucost_cycles / d.cycles_best - 1).abs().mean()
g = d.groupby(["block_id", "input_dtype"])[["cycles_best", "vpucost_cycles"]].sum()
within = ((g.vpucost_cycles / g.cycles_best - 1).abs() <= 0.03).mean()
print(f"{100 * layer:.2f}% {100 * within:.1f}%")
PY
)
  echo "$name $(cat "$work/$name.rows") $(awk '/best-strategy cycles/ {print $6 "%"}' "$work/$name.held") $(awk '/same best strategy/ {print $4 "%"}' "$work/$name.held") $blocks"
done
