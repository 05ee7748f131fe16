#!/usr/bin/env bash
# Retrains the shipped models (models/<device>.h5) exactly as models/README.md
# describes, from the teacher data next to the repository (../shared):
#   scripts/train-shipped-models.sh [device ...]   (default: all four)
# For each device: four teachers of different shapes and seeds on all of the
# device's training rows (v2, plus v1 where it exists), then the student on
# the same rows plus 290,000 teacher-labelled mixes of them. The devices of
# several tiles (VPU_2_7, VPU_4_0, NPU_5_0) then fine-tune the student on
# DPU rows derived from the v2 layers/ training labels, in $ROUNDS rounds
# (`vpucost layer --emit-training-rows`, network/NETWORK.md section 11);
# VPU_2_0's student is shipped as it is. LAYER_ROUNDS_ONLY=1 runs only those
# rounds, from the students already in $TEACHERS (<device>_student.h5).
# For the devices in $LARGE (default: vpu_2_7 vpu_4_0) the same rounds also
# fine-tune teacher 4 (256-256-128, 113,665 parameters) into the
# accuracy-first model <device>_large.h5 (models/README.md, "Accuracy-first
# models"); on NPU_5_0 it scored worse than the student on held-out layers.
# Teachers go to $TEACHERS (default /tmp/vpucost-teachers), students to
# $OUT (default models/). Two runs at a time (JOBS), one thread each: on two
# cores the whole set takes about 100 minutes (models/README.md has each run's time).
set -euo pipefail
cd "$(dirname "$0")/.."
vpucost=${VPUCOST:-build/tools/vpucost}
v1=../shared/datasets/vpunn-teacher
v2=../shared/datasets/vpunn-teacher-v2/dpu
layers=../shared/datasets/vpunn-teacher-v2/layers
rounds=${ROUNDS:-3}
round_epochs=${ROUND_EPOCHS:-100}
teachers=${TEACHERS:-/tmp/vpucost-teachers}
out=${OUT:-models}
jobs=${JOBS:-2}
devices=("$@")
[ ${#devices[@]} -gt 0 ] || devices=(vpu_2_0 vpu_2_7 vpu_4_0 npu_5_0)
mkdir -p "$teachers" "$out"
[ -x "$vpucost" ] || { echo "build first: scripts/build.sh" >&2; exit 1; }

common=(--val-fraction 0 --activation silu --batch 128 --lr 0.002 --min-lr-ratio 0.001
  --warmup 0 --weight-decay 0.03 --threads 1 --quiet)
# Fine-tuning: the default fine-tuning rate, a hundredth of it at the end, weight
# decay pulling toward the student (L2-SP) rather than toward zero.
tune=(--val-fraction 0 --activation silu --batch 128 --lr 0.0003 --min-lr-ratio 0.01 --decay-to-init
  --warmup 0 --weight-decay 0.03 --threads 1 --quiet)

data_of() {  # the device's training rows: v2, then v1 where it exists
  local d=$1
  if [ -f "$v1/${d}_train.csv" ]; then echo "$v2/${d}_train.csv,$v1/${d}_train.csv"
  else echo "$v2/${d}_train.csv"; fi
}

# name hidden seed: one teacher
teacher() {
  local d=$1 name=$2 hidden=$3 seed=$4
  "$vpucost" train --data "$(data_of "$d")" --out "$teachers/${d}_${name}.h5" \
    --hidden "$hidden" --epochs 800 --seed "$seed" "${common[@]}"
}

run_limited() {  # runs "$@" in the background, at most $jobs at once
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
  "$@" &
}

student_of() {  # where the student goes: shipped as it is, or fine-tuned on layers
  local d=$1
  if [ -f "$layers/${d}_train.csv" ] && [ "$d" != vpu_2_0 ]; then
    echo "$teachers/${d}_student.h5"
  else echo "$out/$d.h5"; fi
}

if [ -z "${LAYER_ROUNDS_ONLY:-}" ]; then
for d in "${devices[@]}"; do
  run_limited teacher "$d" t1 128,128,48 1
  run_limited teacher "$d" t2 128,128,48 2
  run_limited teacher "$d" t3 176,128,48 3
  run_limited teacher "$d" t4 256,256,128 4
done
wait
for d in "${devices[@]}"; do
  t="$teachers/${d}_t1.h5,$teachers/${d}_t2.h5,$teachers/${d}_t3.h5,$teachers/${d}_t4.h5"
  run_limited "$vpucost" train --data "$(data_of "$d")" --out "$(student_of "$d")" \
    --hidden 128,128,48 --epochs 600 --seed 1 "${common[@]}" --teachers "$t" --synthetic 290000
done
wait
fi

# The fine-tuning on whole-layer labels: each round derives DPU rows from the
# layers' labels through the previous round's model (at margin 0: every
# label whose chain runs through one workload shape) and fine-tunes the
# student on its training rows plus those rows three times over.
# layer_rounds DEVICE START NAME: rounds from START, the last one copied to
# $out/NAME.h5 (work files named after NAME in $teachers).
layer_rounds() {
  local d=$1 start=$2 name=$3 model rows
  model=$start
  for r in $(seq 1 "$rounds"); do
    rows="$teachers/${name}_layer_rows_$r.csv"
    "$vpucost" layer --model "$model" --dma-model "models/dma_$d.h5" --csv "$layers/${d}_train.csv" \
      --out "$teachers/${name}_layers_$r.csv" --emit-training-rows "$rows.once" --training-margin 0
    { cat "$rows.once"; tail -n +2 "$rows.once"; tail -n +2 "$rows.once"; } >"$rows"
    "$vpucost" train --data "$(data_of "$d"),$rows" --init-from "$start" \
      --out "$teachers/${name}_round_$r.h5" --epochs "$round_epochs" "${tune[@]}"
    model="$teachers/${name}_round_$r.h5"
  done
  cp "$model" "$out/$name.h5"
}
large=(${LARGE-vpu_2_7 vpu_4_0})
for d in "${devices[@]}"; do
  [ "$(student_of "$d")" = "$out/$d.h5" ] || run_limited layer_rounds "$d" "$(student_of "$d")" "$d"
  for l in "${large[@]}"; do
    if [ "$l" = "$d" ]; then run_limited layer_rounds "$d" "$teachers/${d}_t4.h5" "${d}_large"; fi
  done
done
wait
echo "shipped models in $out/, teachers in $teachers/"
