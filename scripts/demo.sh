#!/usr/bin/env bash
# The main job on data bundled in the repository: installs dependencies,
# builds, then: predict, import/split/stats, batch predict, train a small model,
# evaluate it with a plot, predict and build a LUT with a shipped model, and
# cost NPU_5_0 workloads with the compiler's fields.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
# `import vpucost` for Debian's /usr/bin/python3 (python/README.md)
scripts/install-python.sh
vpucost=build/tools/vpucost
out=out/demo
mkdir -p "$out"

echo
echo "== vpucost predict: 3x3 convolution 56x56x64 -> 56x56x64 on VPU_2_7 (roofline, no model)"
"$vpucost" predict --device VPU_2_7 --op CONVOLUTION --input 56x56x64 --output 56x56x64 \
  --kernel 3x3 --stride 1x1 --pad 1,1,1,1 --dtype UINT8 --mode CUBOID_16x16
echo
echo "== the same layer with 65 channels costs what the hardware runs: 80 channels"
"$vpucost" predict --device VPU_2_7 --op CONVOLUTION --input 56x56x65 --output 56x56x65 \
  --kernel 3x3 --pad 1,1,1,1 --json

echo
echo "== vpucost import: a bundled recording CSV -> HDF5 dataset (rejected rows listed with line + reason)"
"$vpucost" import --csv data/samples/vpu_2_7_train.csv --out "$out/vpu_2_7_train.h5" \
  --rejects "$out/vpu_2_7_train_rejects.csv"
"$vpucost" split --data "$out/vpu_2_7_train.h5" --train "$out/train.h5" --test "$out/test.h5" \
  --test-fraction 0.2 --seed 1
"$vpucost" stats "$out/train.h5"
echo
echo "== vpucost predict --csv: every layer of the ProxylessNAS-mobile space on VPU_2_7 (roofline)"
"$vpucost" predict --csv data/samples/vpu_2_7_mbconv_blocks.csv --out "$out/mbconv_predictions.csv" \
  --rejects "$out/mbconv_invalid_rows.csv" 2>&1 | tail -n 2

echo
echo "== vpucost train: a small model on the bundled VPU_2_7 sample (1,600 rows after the split)"
"$vpucost" train --data "$out/train.h5" --val "$out/test.h5" --out "$out/small_vpu_2_7.h5" \
  --hidden 32,16 --activation silu --epochs 150 --lr 0.003 --weight-decay 0.01 --quiet
echo
echo "== vpucost eval: the small model on 1,000 held-out VPU_2_7 test workloads, with a plot"
"$vpucost" eval --model "$out/small_vpu_2_7.h5" --data data/samples/vpu_2_7_test.csv \
  --plot "$out/small_pred_vs_true.png"
echo
echo "== the same test workloads with the shipped model (trained on 100,000 rows; models/README.md)"
"$vpucost" eval --model models/vpu_2_7.h5 --data data/samples/vpu_2_7_test.csv \
  --plot "$out/shipped_pred_vs_true.png"
echo
echo "== vpucost predict with the shipped model"
"$vpucost" predict --model models/vpu_2_7.h5 --device VPU_2_7 --op CONVOLUTION \
  --input 56x56x64 --output 56x56x64 --kernel 3x3 --stride 1x1 --pad 1,1,1,1 --dtype UINT8 \
  --mode CUBOID_16x16
echo
echo "== the compiler's fields on NPU_5_0 with its shipped model: HF8 data, a fused ReLU, sparse"
echo "   activations and weights, the output broadcast to all 3 tiles (split over K)"
"$vpucost" predict --model models/npu_5_0.h5 --op CONVOLUTION --input 28x28x128 \
  --output 28x28x128 --kernel 3x3 --pad 1,1,1,1 --dtype HF8 --activation RELU \
  --input-sparsity 0.4 --weight-sparsity 0.5 --output-write-tiles 3 --isi SPLIT_OVER_K
echo
echo "== the NPU_5_0 model on 1,000 held-out v2 workloads (errors per operation and per sparsity)"
"$vpucost" eval --model models/npu_5_0.h5 --data data/samples/v2/npu_5_0_test.csv --worst 3
echo
echo "== layers on the whole VPU_4_0 (6 tiles): every tiling strategy, the best, its DMA terms,"
echo "   against VPUNN's layer model on 300 bundled layers"
"$vpucost" layer --model models/vpu_4_0.h5 --dma-model models/dma_vpu_4_0.h5 \
  --csv data/samples/v2/layers/vpu_4_0_test.csv --out "$out/layers_vpu_4_0.csv"
echo
echo "== MobileNetV3-Large on VPU_4_0 node by node (DPU, SHAVE h-swish / SE, layout), compute mode"
"$vpucost" net --model models/vpu_4_0.h5 --shave-model models/shave_vpu_4_0.h5 \
  --nodes data/samples/v2/networks/vpu_4_0_mobilenet_v3_large.csv --mode compute | tail -n 3
echo
echo "== a ProxylessNAS latency table for VPU_2_7 with the shipped models (the whole device,"
echo "   device mode: weight fetches the layer before does not hide are counted)"
"$vpucost" lut --model models/vpu_2_7.h5 --dma-model models/dma_vpu_2_7.h5 --space proxyless \
  --resolution 224 --format proxyless-yaml --out "$out/224_lookup_table.yaml"
echo
echo "== once-for-all's MobileNetV3 space on VPU_4_0: the five tables its LatencyTable loads"
mkdir -p "$out/ofa_mbv3"
"$vpucost" lut --model models/vpu_4_0.h5 --shave-model models/shave_vpu_4_0.h5 \
  --dma-model models/dma_vpu_4_0.h5 --space ofa-mbv3 --resolution 160,176,192,208,224 \
  --out "$out/ofa_mbv3"
echo
echo "== the papers' VPU design rules, measured on VPU_4_0"
"$vpucost" advise --model models/vpu_4_0.h5 --shave-model models/shave_vpu_4_0.h5 \
  --dma-model models/dma_vpu_4_0.h5 | tail -n 5
echo
echo "== an ONNX model: torchvision's MobileNetV3-Large exported (weights=None) and costed node by node"
/usr/bin/python3 -W ignore -c "import torch, torchvision; torch.onnx.export(
  torchvision.models.mobilenet_v3_large(weights=None).eval(), torch.zeros(1, 3, 224, 224),
  '$out/mobilenet_v3_large.onnx', opset_version=13)"
"$vpucost" net --model models/vpu_4_0.h5 --shave-model models/shave_vpu_4_0.h5 \
  --dma-model models/dma_vpu_4_0.h5 --onnx "$out/mobilenet_v3_large.onnx" | tail -n 4
echo
echo "== the same from Python (/usr/bin/python3, installed package): python/examples/quickstart.py"
(cd / && /usr/bin/python3 -c "import vpucost; print('import vpucost:', vpucost.__file__)")
/usr/bin/python3 python/examples/quickstart.py
echo
echo "outputs in $out/ (plots: small_pred_vs_true.png, shipped_pred_vs_true.png)"
