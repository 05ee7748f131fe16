#!/usr/bin/env bash
# Retrains the shipped models (models/<device>.h5) exactly as models/README.md
# describes, from the teacher data next to the repository (../shared):
#   scripts/train-shipped-models.sh [device ...]   (default: all four)
# For each device: four teachers of different shapes and seeds on all of the
# device's training rows (v2, plus v1 where it exists), then the shipped
# student on the same rows plus 290,000 teacher-labelled mixes of them.
# Teachers go to $TEACHERS (default /tmp/vpucost-teachers), students to
# $OUT (default models/). Two runs at a time (JOBS), one thread each: on two
# cores the whole set takes about 85 minutes (models/README.md has each run's time).
set -euo pipefail
cd "$(dirname "$0")/.."
vpucost=${VPUCOST:-build/tools/vpucost}
v1=../shared/datasets/vpunn-teacher
v2=../shared/datasets/vpunn-teacher-v2/dpu
teachers=${TEACHERS:-/tmp/vpucost-teachers}
out=${OUT:-models}
jobs=${JOBS:-2}
devices=("$@")
[ ${#devices[@]} -gt 0 ] || devices=(vpu_2_0 vpu_2_7 vpu_4_0 npu_5_0)
mkdir -p "$teachers" "$out"
[ -x "$vpucost" ] || { echo "build first: scripts/build.sh" >&2; exit 1; }

common=(--val-fraction 0 --activation silu --batch 128 --lr 0.002 --min-lr-ratio 0.001
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

for d in "${devices[@]}"; do
  run_limited teacher "$d" t1 128,128,48 1
  run_limited teacher "$d" t2 128,128,48 2
  run_limited teacher "$d" t3 176,128,48 3
  run_limited teacher "$d" t4 256,256,128 4
done
wait
for d in "${devices[@]}"; do
  t="$teachers/${d}_t1.h5,$teachers/${d}_t2.h5,$teachers/${d}_t3.h5,$teachers/${d}_t4.h5"
  run_limited "$vpucost" train --data "$(data_of "$d")" --out "$out/$d.h5" \
    --hidden 128,128,48 --epochs 600 --seed 1 "${common[@]}" --teachers "$t" --synthetic 290000
done
wait
echo "shipped models in $out/, teachers in $teachers/"
