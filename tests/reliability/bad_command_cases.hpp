#pragma once
// The rows of the bad-input table (docs/bad-inputs.md) about what the commands
// make of well-formed input: the compiler's fields, SHAVE and DMA kinds, layers
// on the whole device, outputs over inputs, devices and versions, the NAS
// evaluator, command lines and the environment. The files and numbers are in
// bad_input_cases.hpp (and the Case they share).

#include "bad_input_cases.hpp"

namespace vpucost::test {

inline const Case kCommandCases[] = {
    // The compiler's fields (activation, sparsity, output write tiles, ISI strategy), HF8.
    {"UnknownActivation", "an unknown activation function",
     "predict --device VPU_2_7 --op CONVOLUTION --input 5x5x16 --output 5x5x16 --activation "
     "RELU6",
     "unknown activation function 'RELU6' (expected NONE, RELU or LRELU)"},
    {"SparsityOutOfRange", "a sparsity rate of 1.5",
     "predict --device VPU_2_7 --op CONVOLUTION --input 5x5x16 --output 5x5x16 "
     "--input-sparsity 1.5",
     "input_sparsity 1.5 is outside [0, 1)"},
    {"NanSparsity", "a sparsity rate of nan",
     "predict --device VPU_2_7 --op CONVOLUTION --input 5x5x16 --output 5x5x16 "
     "--weight-sparsity nan",
     "weight_sparsity nan is outside [0, 1)"},
    {"SparsityOnAPool", "sparsity where VPUNN takes none (a MAXPOOL)",
     "predict --device VPU_4_0 --op MAXPOOL --input 8x8x16 --kernel 2x2 --stride 2x2 "
     "--input-sparsity 0.5",
     "input_sparsity 0.5 is not accepted on MAXPOOL"},
    {"TooManyWriteTiles", "more output write tiles than the device has",
     "predict --device VPU_4_0 --op CONVOLUTION --input 5x5x16 --output 5x5x16 "
     "--output-write-tiles 7",
     "output_write_tiles 7 is outside 1..6 (VPU_4_0 has 6 tiles)"},
    {"SplitOverHOnNpu50", "SPLIT_OVER_H on NPU_5_0",
     "predict --device NPU_5_0 --op CONVOLUTION --input 5x5x16 --output 5x5x16 --isi SPLIT_OVER_H",
     "isi_strategy SPLIT_OVER_H is not accepted on NPU_5_0"},
    {"SplitOverKOnOneTile", "SPLIT_OVER_K writing one tile",
     "predict --device VPU_2_7 --op CONVOLUTION --input 5x5x16 --output 5x5x16 --isi SPLIT_OVER_K",
     "isi_strategy SPLIT_OVER_K needs output_write_tiles > 1 (got 1)"},
    {"Hf8BeforeNpu50", "HF8 on a device without it",
     "predict --device VPU_4_0 --op CONVOLUTION --input 5x5x16 --output 5x5x16 --dtype HF8",
     "input dtype HF8 does not exist on VPU_4_0"},
    {"Hf8LutBeforeNpu50", "a HF8 latency table for VPU_2_7",
     "lut --device VPU_2_7 --dtype HF8 --out out.yaml", "--dtype HF8 does not exist on VPU_2_7"},
    {"ModeOfAnotherOperation", "an execution mode NPU_5_0 does not run the operation in",
     "predict --device NPU_5_0 --op ELTWISE --input 8x8x16 --mode CUBOID_16x16",
     "execution mode CUBOID_16x16 is not accepted for ELTWISE on NPU_5_0 (it takes CUBOID_8x16)"},
    {"CompilerFieldsStrict", "CSV rows with compiler fields VPUNN refuses (--strict)",
     "import --csv bad_fields.csv --out out.h5 --strict", "2 of 3 rows of bad_fields.csv"},
    {"Encoding2ModelNewField", "a field an encoding-2 model never saw",
     "predict --model model_encoding2.h5 --op CONVOLUTION --input 56x56x64 --output 56x56x64 "
     "--output-write-tiles 2",
     "this model (feature encoding version 2) cannot cost a workload with output_write_tiles 2"},
    // SHAVE operations (issue #15): kinds kept apart, SHAVE descriptors checked.
    {"ShaveOpTheModelLacks", "a SHAVE operation the model has no data for (relu on VPU_2_7)",
     "predict --model shave.h5 --op relu --input 8x8x16",
     "the VPU_2_7 SHAVE model was not fitted on relu FLOAT16"},
    {"DpuOptionForShave", "a DPU workload's option for a SHAVE operation",
     "predict --model shave.h5 --op gelu --input 8x8x16 --kernel 3x3",
     "--kernel describes a DPU workload, not a SHAVE operation"},
    {"ShaveModelAsDpu", "a SHAVE model where a DPU model is needed",
     "predict --kind dpu --model shave.h5 --op CONVOLUTION --input 8x8x16 --output 8x8x16",
     "holds a shave model, not a DPU workload model"},
    {"NetworkOptionForShave", "a network option when training a SHAVE model",
     "train --data shave.csv --out out.h5 --epochs 5", "--epochs does not apply to SHAVE models"},
    {"DpuCsvForShaveEval", "DPU recordings given to a SHAVE model",
     "eval --model shave.h5 --data data.csv", "records DPU workloads, not SHAVE operations"},
    {"ShaveCsvForDpuModel", "SHAVE recordings given where DPU workloads are read",
     "eval --model model.h5 --data shave.csv",
     "shave.csv records SHAVE operations, not DPU workloads"},
    {"ShaveDatasetForDpuModel", "a SHAVE dataset given where DPU workloads are read",
     "eval --model model.h5 --data shave_data.h5",
     "dataset file shave_data.h5 records SHAVE operations, not DPU workloads"},
    {"DmaDatasetForShaveModel", "a DMA dataset given to a SHAVE model",
     "eval --model shave.h5 --data dma_data.h5",
     "dataset file dma_data.h5: records DMA transfers, not SHAVE operations"},
    {"ShaveParamMissing", "softmax without its axis",
     "predict --model shave.h5 --op softmax --input 7x7x1000", "--param is required for softmax"},
    {"DepthToSpaceChannels", "depth_to_space of channels the block does not divide",
     "predict --model shave.h5 --op depth_to_space --input 8x8x6",
     "depth_to_space with block 2 needs input channels divisible by 4 (got 6)"},
    // DMA transfers (issue #15).
    {"DmaDirectionTheModelLacks", "a DMA direction the model has no curve for",
     "predict --model dma_in.h5 --direction CMX_TO_DDR --bytes 4096",
     "the DMA model has no CMX_TO_DDR curve (its training data had no such transfer)"},
    {"DmaTensorAndBytes", "a DMA transfer given as a tensor and as bytes",
     "predict --model dma.h5 --direction DDR_TO_CMX --tensor 8x8x16 --bytes 1024",
     "give either --bytes or --tensor (with --dtype), not both"},
    {"DmaTransferTooLarge", "a DMA transfer beyond 1 GiB",
     "predict --model dma.h5 --direction DDR_TO_CMX --tensor 65536x65536x2",
     "exceeds the supported maximum of 1073741824 bytes"},
    {"DmaOptionForDpu", "a DMA option for a DPU workload",
     "predict --model model.h5 --op CONVOLUTION --input 8x8x16 --output 8x8x16 --direction "
     "DDR_TO_CMX",
     "--direction describes a DMA transfer (--kind dma)"},
    {"NetworkOptionForDma", "a network option when training a DMA model",
     "train --data dma.csv --out out.h5 --hidden 8", "--hidden does not apply to DMA models"},
    {"DmaOneSize", "DMA recordings of a single size", "train --data dma_one_size.csv --out out.h5",
     "every DDR_TO_CMX transfer moves 4096 bytes; a DMA curve needs at least two sizes"},
    {"RooflineWithData", "the roofline DMA model given data",
     "train --roofline VPU_2_0 --data dma.csv --out out.h5", "--roofline takes no --data"},
    {"DmaCsvForShaveEval", "DMA recordings given to a SHAVE model",
     "eval --model shave.h5 --data dma.csv", "records DMA transfers, not SHAVE operations"},
    {"DmaModelAsDpu", "a DMA model where a DPU model is needed", "lut --model dma.h5 --out out.csv",
     "holds a dma model, not a DPU workload model"},
    // A layer on the whole device (issue #16).
    {"LayerNoStrategyFits", "a layer no tiling strategy fits in the tiles' memory",
     "layer --model model.h5 --op CONVOLUTION --input 256x256x512 --output-channels 512 --dtype "
     "FLOAT16",
     "no tiling strategy is valid for this layer"},
    {"LayerStrategyNotValid", "a tiling strategy the layer cannot take",
     "layer --model model.h5 --op CONVOLUTION --input 7x7x960 --output-channels 16 --strategy SOK",
     "strategy SOK is not valid for this layer: 16 output channels: a split over output channels "
     "needs at least 32"},
    {"LayerCsvMissingColumn", "a layers CSV without a layer column (SHAVE recordings)",
     "layer --model model.h5 --csv shave.csv --out out.csv",
     "shave.csv: required column 'kernel_width' is missing from the header"},
    {"LayerCsvPng", "a PNG given as a layers CSV", "layer --model model.h5 --csv picture.png",
     "picture.png is not a text CSV"},
    {"LayerCsvOfAnotherDevice", "layers of another device (--strict)",
     "layer --model model.h5 --csv data_4_0.csv --out out.csv --strict",
     "are invalid (--strict), first: line 2: device VPU_4_0, but the model is for VPU_2_7"},
    {"LayerCsvWithOneLayerOption", "options of one layer with a layers CSV",
     "layer --model model.h5 --csv data.csv --op CONVOLUTION",
     "--op describes one layer; with --csv the rows do"},
    {"LayerCsvWithDdrMode", "--mode ddr with a layers CSV",
     "layer --model model.h5 --csv data.csv --out out.csv --mode ddr",
     "--mode applies to one layer; with --csv the best strategy is the cheapest in compute"},
    {"LayerTrainingMarginAlone", "--training-margin without --emit-training-rows",
     "layer --model model.h5 --op CONVOLUTION --input 14x14x64 --output-channels 64 "
     "--training-margin 0.1",
     "--training-margin applies to --emit-training-rows (with --csv)"},
    {"PredictOutWithoutCsv", "--out for one workload (a CSV option)",
     "predict --model model.h5 --op CONVOLUTION --input 14x14x64 --output 14x14x64 --out out.csv",
     "--out needs --csv"},
    {"LayerTrainingRowsWithoutLabels", "DPU training rows asked of a layers CSV without labels",
     "layer --model model.h5 --csv data.csv --out out.csv --emit-training-rows rows.csv",
     "--emit-training-rows needs the teacher's labels (cycles_best, cycles_<strategy>) in "
     "data.csv"},
    {"LayerTrainingMarginOutOfRange", "a training margin of 1.5",
     "layer --model model.h5 --csv data.csv --out out.csv --emit-training-rows rows.csv "
     "--training-margin 1.5",
     "--training-margin must be in [0, 1), got 1.5"},
    {"LayerTrainingRowsOverTheModel", "DPU training rows written over the model read",
     "layer --model model.h5 --csv data.csv --emit-training-rows model.h5",
     "--model and --emit-training-rows name the same file"},
    {"LayerCsvUnknownExecMode", "a layer's exec_modes naming an unknown mode (--strict)",
     "layer --model model.h5 --csv layers_bad_mode.csv --out out.csv --strict",
     "line 2: column exec_modes: 'CUBOID_99' is not a known execution mode"},
    {"NetNodesWithoutShaveModel", "a network with SHAVE nodes and no SHAVE model",
     "net --device VPU_4_0 --nodes nodes_4_0.csv --dtype FLOAT16",
     "runs on SHAVE: give --shave-model (e.g. models/shave_vpu_4_0.h5)"},
    {"NetNodesAndConfig", "a network given two ways",
     "net --device VPU_4_0 --nodes nodes_4_0.csv --config mobilenetv2.json",
     "--nodes and --config are two ways to give the network"},
    // An output over a file the command reads (it would be destroyed).
    {"EvalPlotOverData", "--plot naming the test data",
     "eval --model model.h5 --data data.csv --plot data.csv",
     "--data and --plot name the same file data.csv"},
    {"LutOutOverModel", "a latency table written over the model it is costed with",
     "lut --model model.h5 --format csv --out model.h5",
     "--model and --out name the same file model.h5"},
    {"SelectOutOverPool", "the selected rows written over the pool",
     "select --models model.h5 --pool data.csv --budget 5 --out data.csv",
     "--pool and --out name the same file data.csv"},
    {"NetEmitOverConfig", "a list of what to profile written over the net config",
     "net --device VPU_4_0 --config mobilenetv2.json --emit-workloads mobilenetv2.json",
     "--config and --emit-workloads name the same file mobilenetv2.json"},
    {"NetNodesBadKind", "a network node of an unknown kind",
     "net --device VPU_4_0 --nodes bad_nodes.csv",
     "bad_nodes.csv line 2: column kind: 'GPU' is not DPU, SHAVE or NOCOST (1 invalid rows)"},
    {"NetNodesWithResolution", "--resolution with a network given node by node",
     "net --device VPU_4_0 --nodes nodes_4_0.csv --resolution 160",
     "--resolution does not apply to --nodes: the file gives every node's shapes"},
    {"NetConfigWithOnnxOption", "an ONNX import option with a net config",
     "net --device VPU_4_0 --config mobilenetv2.json --input-shape 1x3x160x160",
     "--input-shape applies to --onnx only"},
    {"PredictCsvWithWorkloadOption", "an option for one workload with a workload CSV",
     "predict --model model.h5 --csv data.csv --out out.csv --activation RELU",
     "--activation describes one workload; with --csv the rows do"},
    // Another device, another version.
    {"ModelOfAnotherDevice", "model of another device",
     "predict --model model.h5 --device VPU_4_0 --op CONVOLUTION --input 56x56x64 --output "
     "56x56x64",
     "VPU_2_7"},
    {"EvalDataOfAnotherDevice", "test data of another device",
     "eval --model model.h5 --data data_4_0.csv", "VPU_4_0"},
    {"PredictCsvOfAnotherDevice", "workload CSV of another device (--strict)",
     "predict --model model.h5 --csv data_4_0.csv --out out.csv --strict",
     "but the model is for VPU_2_7"},
    {"OtherEncodingVersion", "model of another feature-encoding version", "info model_v99.h5",
     "feature encoding version 99"},
    {"OtherFormatVersion", "model of another file-format version", "info model_format4.h5",
     "model file format version 4 is not supported"},
    {"Hdf5Format18", "model in the HDF5 1.8 format (no metadata checksums; h5py's default)",
     "info model_hdf5_1_8.h5", "is in the HDF5 1.8 file format (superblock version 0)"},
    {"FineTuneOtherEncoding", "fine-tuning from another encoding version",
     "train --init-from model_v99.h5 --data data.csv --out out.h5", "feature encoding version 99"},
    // The external evaluator of `vpucost nas`.
    {"EvaluatorCrashes", "nas evaluator that crashes",
     "nas --device VPU_2_7 --latency-ms 3 --population 4 --top-k 2 --generations 1 --mutations 2 "
     "--crossovers 2 "
     "--out out.json --quiet "
     "--evaluator 'cat > /dev/null; kill -SEGV $$'",
     "killed by signal 11 (Segmentation fault)"},
    {"EvaluatorHangs", "nas evaluator that hangs",
     "nas --device VPU_2_7 --latency-ms 3 --population 4 --top-k 2 --generations 1 --mutations 2 "
     "--crossovers 2 "
     "--out out.json --quiet "
     "--evaluator 'sleep 60' --evaluator-timeout 0.5",
     "timed out after 0.5 s"},
    {"EvaluatorPrintsGarbage", "nas evaluator that prints no number",
     "nas --device VPU_2_7 --latency-ms 3 --population 4 --top-k 2 --generations 1 --mutations 2 "
     "--crossovers 2 "
     "--out out.json --quiet "
     "--evaluator 'echo banana'",
     "last line of its output is not a number: 'banana'"},
    // Command lines.
    {"UnknownOption", "an unknown option", "predict --frobnicate 3", "unrecognised option", 2},
    {"UnknownEnum", "an unknown operation name",
     "predict --device VPU_2_7 --op CONV2D --input 5x5x16 --output 5x5x16", "CONV2D"},
    // The environment (cpu_kernels.hpp, mlp.hpp); "@env NAME=VALUE" sets it.
    {"UnknownCpuPath", "VPUCOST_CPU naming no CPU path",
     "@env VPUCOST_CPU=avx1024 predict --device VPU_2_7 --op CONVOLUTION --input 5x5x16 "
     "--output 5x5x16",
     "VPUCOST_CPU: unknown CPU path 'avx1024' (expected generic, avx2, avx512 or auto)"},
    {"UnknownWeightPrecision", "VPUCOST_WEIGHTS naming no precision",
     "@env VPUCOST_WEIGHTS=fp16 predict --device VPU_2_7 --op CONVOLUTION --input 5x5x16 "
     "--output 5x5x16",
     "VPUCOST_WEIGHTS: unknown weight precision 'fp16' (expected fp32 or bf16)"},
};

}  // namespace vpucost::test
