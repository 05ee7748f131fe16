#!/usr/bin/env bash
# What labels on a search space's own layer shapes buy (models/README.md,
# "Where the per-block errors come from"): the 194 distinct layers of
# layers/vpu_4_0_proxyless_224.csv split in two at random per seed; one
# half's labels become DPU rows (ten times over) and fine-tune the shipped
# VPU_4_0 model one more round with its round-3 rows; the other half is
# scored. The control is the same round without the space's rows.
#
#   bench/space_labels_study/study.sh [seed ...]      (default: 7 11 21 31)
#
# Needs build/tools/vpucost, the v1/v2 teacher data in ../shared and the
# round-3 rows scripts/train-shipped-models.sh leaves in $TEACHERS
# (default /tmp/vpucost-teachers). About 1.5 min per seed and for the control.
set -euo pipefail
cd "$(dirname "$0")/../.."
vpucost=build/tools/vpucost
shared=../shared/datasets
rows3=${TEACHERS:-/tmp/vpucost-teachers}/vpu_4_0_layer_rows_3.csv
space=$shared/vpunn-teacher-v2/layers/vpu_4_0_proxyless_224.csv
[ -f "$rows3" ] || { echo "study.sh: $rows3 is missing: run scripts/train-shipped-models.sh vpu_4_0 first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(7 11 21 31)
data="$shared/vpunn-teacher-v2/dpu/vpu_4_0_train.csv,$shared/vpunn-teacher/vpu_4_0_train.csv,$rows3"
tune=(--val-fraction 0 --activation silu --batch 128 --lr 0.0003 --min-lr-ratio 0.01 --decay-to-init
  --warmup 0 --weight-decay 0.03 --threads 1 --quiet --epochs 100 --init-from models/vpu_4_0.h5)
"$vpucost" train --data "$data" --out "$work/control.h5" "${tune[@]}" >/dev/null
best_mape() { "$vpucost" layer --model "$1" --csv "$2" 2>&1 | awk '/best-strategy cycles/ {print $6 "%"}'; }
echo "seed shipped control with_half_the_space"
for s in "${seeds[@]}"; do
  /usr/bin/python3 - "$space" "$s" "$work" <<'PY'
import sys
import numpy as np
import pandas as pd
space, seed, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
d = pd.read_csv(space)
desc = ["operation", "input_width", "input_height", "input_channels", "output_width",
        "output_height", "output_channels", "kernel_width", "kernel_height", "stride_width",
        "stride_height", "pad_top", "pad_bottom", "pad_left", "pad_right", "input_dtype",
        "output_dtype", "activation_function"]
key = d[desc].astype(str).agg("|".join, axis=1)
half = set(np.random.default_rng(seed).permutation(key.unique())[:key.nunique() // 2])
d[key.isin(half)].to_csv(f"{work}/A_{seed}.csv", index=False)
d[~key.isin(half)].to_csv(f"{work}/B_{seed}.csv", index=False)
PY
  "$vpucost" layer --model models/vpu_4_0.h5 --dma-model models/dma_vpu_4_0.h5 --csv "$work/A_$s.csv" \
    --emit-training-rows "$work/rows_$s.once" --training-margin 0 >/dev/null 2>&1
  { cat "$work/rows_$s.once"; for _ in $(seq 2 10); do tail -n +2 "$work/rows_$s.once"; done; } >"$work/rows_$s.csv"
  "$vpucost" train --data "$data,$work/rows_$s.csv" --out "$work/with_$s.h5" "${tune[@]}" >/dev/null
  echo "$s $(best_mape models/vpu_4_0.h5 "$work/B_$s.csv") $(best_mape "$work/control.h5" "$work/B_$s.csv") $(best_mape "$work/with_$s.h5" "$work/B_$s.csv")"
done
