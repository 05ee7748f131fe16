#!/usr/bin/env bash
# Refits the shipped SHAVE and DMA models (models/shave_<device>.h5,
# models/dma_<device>.h5) exactly as models/README.md describes, from the
# v2 teacher data next to the repository (../shared). Least-squares fits:
# the whole set takes a few seconds.
#   scripts/train-shave-dma-models.sh            (OUT=models by default)
# VPU_2_0 has no SHAVE or DMA data (VPUNN has no SHAVE tables and no DMA
# network for it): its DMA model is the roofline curve VPUNN itself uses there.
set -euo pipefail
cd "$(dirname "$0")/.."
vpucost=${VPUCOST:-build/tools/vpucost}
v2=../shared/datasets/vpunn-teacher-v2
out=${OUT:-models}
[ -x "$vpucost" ] || { echo "build first: scripts/build.sh" >&2; exit 1; }
mkdir -p "$out"
# The DMA curves also learn from the input and output transfers of the
# layers/ training files (scripts/layer_dma_transfers.py): the dma/ files
# start at 1 KiB, the layers' small tensors give the curve its part below.
# (written under build/, so that the model's training record names them plainly)
work=build/layer-dma-transfers
mkdir -p "$work"
for d in vpu_2_7 vpu_4_0 npu_5_0; do
  "$vpucost" train --data "$v2/shave/${d}_train.csv" --out "$out/shave_$d.h5"
  python3 scripts/layer_dma_transfers.py "$v2/layers/${d}_train.csv" > "$work/layers_${d}_train_dma.csv"
  "$vpucost" train --data "$v2/dma/${d}_train.csv,$work/layers_${d}_train_dma.csv" \
    --out "$out/dma_$d.h5"
done
"$vpucost" train --roofline VPU_2_0 --out "$out/dma_vpu_2_0.h5"
echo "SHAVE and DMA models in $out/"
