// The bad-input table (docs/bad-inputs.md), one test per row: each runs
// `vpucost` on one bad input in a scratch folder and checks the answer is a
// clean refusal (exit code, one "vpucost <command>: error: ..." line with the
// documented words, no output file). Set VPUCOST_BAD_INPUT_TABLE=<file> to
// append each row, with the exact message, as Markdown (how the table in the
// docs is made).
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "bad_input_files.hpp"
#include "cli_cases.hpp"

namespace vpucost {
namespace {

using test::BadInputFiles;

struct Case {
  const char* id;      ///< test name
  const char* input;   ///< the bad input, for the table
  const char* args;    ///< command line after `vpucost` (run in the files' folder)
  const char* expect;  ///< words the one-line error must contain
  int code = 1;        ///< 1 bad input, 2 bad command line
};

const Case kCases[] = {
    // Missing, unreadable, empty files.
    {"MissingModel", "missing model file",
     "predict --model nope.h5 --op CONVOLUTION --input 56x56x64 --output 56x56x64",
     "model file nope.h5 does not exist"},
    {"MissingModelInfo", "missing model file", "info nope.h5", "model file nope.h5 does not exist"},
    {"MissingCsv", "missing recording CSV", "import --csv nope.csv --out out.h5",
     "CSV file nope.csv does not exist"},
    {"MissingDataset", "missing dataset", "stats nope.h5", "dataset file nope.h5 does not exist"},
    {"MissingTrainData", "missing training data", "train --data nope.h5 --out out.h5",
     "dataset file nope.h5 does not exist"},
    {"MissingNetConfig", "missing net config", "net --device VPU_2_7 --config nope.json",
     "nope.json: cannot open the net config"},
    {"MissingSpace", "missing search-space JSON",
     "lut --device VPU_2_7 --space nope.json --out out.yaml", "neither a built-in space"},
    {"MissingAlpha", "missing architecture-parameter JSON",
     "nas-export --device VPU_2_7 --alpha nope.json --out out.json",
     "nope.json: cannot open architecture parameters"},
    {"DirectoryAsModel", "a directory given as a model", "info folder",
     "model file folder is a directory"},
    {"DirectoryAsCsv", "a directory given as a CSV", "import --csv folder --out out.h5", "folder"},
    {"UnreadableModel", "unreadable model file (mode 000)", "@unprivileged info locked.h5",
     "cannot be read"},
    {"UnreadableCsv", "unreadable CSV (mode 000)",
     "@unprivileged import --csv locked.csv --out out.h5", "locked.csv"},
    {"EmptyModel", "empty model file", "info empty.h5", "model file empty.h5 is empty"},
    {"EmptyDataset", "empty dataset file", "stats empty.h5", "dataset file empty.h5 is empty"},
    {"EmptyCsv", "empty CSV", "import --csv empty.csv --out out.h5",
     "empty.csv is empty: expected a header line"},
    {"EmptyNetConfig", "empty net config", "net --device VPU_2_7 --config empty.json",
     "empty.json"},
    {"HeaderOnlyTrain", "CSV with a header only, to train on",
     "train --data header.csv --out out.h5", "training data header.csv has no rows"},
    {"HeaderOnlyEval", "CSV with a header only, to evaluate on",
     "eval --model roofline --data header.csv", "header.csv"},
    // Wrong format.
    {"PngAsModel", "a PNG given as a model", "info picture.png",
     "model file picture.png is not an HDF5 file"},
    {"PngAsDataset", "a PNG given as a dataset", "stats picture.png",
     "dataset file picture.png is not an HDF5 file"},
    {"PngAsCsv", "a PNG given as a recording CSV", "import --csv picture.png --out out.h5",
     "picture.png is not a text CSV"},
    {"PngAsWorkloadCsv", "a PNG given as a workload CSV", "predict --csv picture.png",
     "picture.png is not a text CSV"},
    {"PngAsNetConfig", "a PNG given as a net config", "net --device VPU_2_7 --config picture.png",
     "picture.png: not valid JSON"},
    {"DatasetAsModel", "a dataset given as a model", "info data.h5", "not a vpucost model"},
    {"ModelAsDataset", "a model given as a dataset", "stats model.h5", "not a vpucost dataset"},
    {"CsvAsModel", "a CSV given as a model", "predict --model data.csv --csv data.csv",
     "is not an HDF5 file"},
    // Truncated or damaged HDF5.
    {"TruncatedModel", "truncated model file", "info cut_model.h5", "damaged or truncated"},
    {"TruncatedDataset", "truncated dataset", "stats cut_data.h5", "damaged or truncated"},
    {"TruncatedTrainData", "truncated dataset, to train on",
     "train --data cut_data.h5 --out out.h5", "damaged or truncated"},
    {"NanWeightsModel", "model whose weights hold NaN", "info nan_model.h5", "non-finite"},
    // Numbers: NaN, infinity, negative, huge.
    {"NanCyclesStrict", "CSV rows with cycles nan / inf / -5 / 1e400 (--strict)",
     "import --csv bad_numbers.csv --out out.h5 --strict", "rejected (--strict)"},
    {"NegativeSize", "negative tensor size",
     "predict --device VPU_2_7 --op CONVOLUTION --input -5x5x16 --output 5x5x16",
     "input width must be positive (got -5)"},
    {"HugeSize", "size beyond 64 bits",
     "predict --device VPU_2_7 --op CONVOLUTION --input 99999999999999999999x5x5 --output 5x5x5",
     "is not a shape"},
    {"NanKernel", "NaN kernel",
     "predict --device VPU_2_7 --op CONVOLUTION --input 5x5x16 --output 5x5x16 --kernel nanxnan",
     "--kernel 'nanxnan'"},
    {"MacOverflow", "descriptor whose MAC count overflows 64 bits",
     "predict --device VPU_2_7 --op CONVOLUTION --input 1048576x1048576x1048576 --output "
     "1x1x1048576 --kernel 1048576x1048576",
     "overflows 64 bits"},
    {"NanLearningRate", "--lr nan", "train --data data.csv --out out.h5 --lr nan", "learning rate"},
    {"InfLearningRate", "--lr inf", "train --data data.csv --out out.h5 --lr inf", "learning rate"},
    {"ZeroEpochs", "--epochs 0", "train --data data.csv --out out.h5 --epochs 0", "epochs"},
    {"HugeResolution", "--resolution 99999999",
     "lut --device VPU_2_7 --resolution 99999999 --out out.yaml", "outside 32..1024"},
    {"NegativeResolution", "--resolution -224",
     "net --device VPU_2_7 --config mobilenetv2.json --resolution -224", "resolution"},
    {"NanLatency", "--latency-ms nan", "nas --device VPU_2_7 --latency-ms nan --out out.json",
     "--latency-ms must be a positive number"},
    {"NegativeLatency", "--latency-ms -1", "nas --device VPU_2_7 --latency-ms -1 --out out.json",
     "--latency-ms must be a positive number"},
    {"HugeJsonNumber", "net config with a number beyond double (1e999)",
     "net --device VPU_2_7 --config huge_number.json", "huge_number.json"},
    {"NegativeSpaceNumber", "search space with a negative channel count",
     "lut --device VPU_2_7 --space negative_space.json --out out.yaml", "negative_space.json"},
    {"UnknownActivationInConfig",
     "a MobileNetV3 net config with an activation vpucost does not "
     "map (gelu)",
     "net --device VPU_2_7 --config mbv3_gelu.json",
     "blocks[0].conv.act_func: unsupported activation 'gelu' (relu, relu6, h_swish or null)"},
    {"SeOutsideMobileNetV3", "h-swish and SE in a net config without final_expand_layer",
     "net --device VPU_2_7 --config se_without_head.json",
     "first_conv.act_func: h_swish is read in MobileNetV3 configs (with a final_expand_layer)"},
    {"SrUnknownUpsampler", "a super-resolution config with an upsampler vpucost does not map",
     "net --device VPU_4_0 --config sr_bicubic.json",
     "sr_bicubic.json: upsampler: unknown value 'bicubic' (expected nearest, bilinear, "
     "bilinear_align_corners, depth_to_space)"},
    {"OnnxTruncated", "a truncated ONNX file", "net --device VPU_4_0 --onnx truncated.onnx",
     "truncated.onnx: not an ONNX model (the protobuf does not parse"},
    {"OnnxNotOnnx", "a file that is not ONNX given as --onnx",
     "net --device VPU_4_0 --onnx mobilenetv2.json", "mobilenetv2.json: not an ONNX model"},
    {"OnnxDynamicShape", "an ONNX model with a dynamic input and no --input-shape",
     "net --device VPU_4_0 --onnx dynamic_input.onnx",
     "input 'x' has a dynamic dimension 0 ('batch'): give --input-shape NxCxHxW"},
    {"OnnxBatchTwo", "--input-shape with batch 2",
     "net --device VPU_4_0 --onnx dynamic_input.onnx --input-shape 2x3x32x32",
     "has batch 2: vpucost costs batch 1"},
    {"OnnxBadInputShape", "--input-shape that is not N x C x H x W",
     "net --device VPU_4_0 --onnx tiny_net.onnx --input-shape 3x224x224",
     "--input-shape '3x224x224': expected N x C x H x W"},
    {"OnnxUnknownOp", "an ONNX operator with no mapping",
     "net --device VPU_4_0 --onnx unknown_op.onnx",
     "node 'hs' (Sin): operator 'Sin' has no mapping to the DPU, SHAVE or layout nodes"},
    {"OnnxCycle", "an ONNX graph with a cycle", "net --device VPU_4_0 --onnx cycle.onnx",
     "node 'dw' (Conv) reads 'c2', which no earlier node produces: the graph has a cycle"},
    {"OnnxGroupedConv", "a grouped (not depthwise) convolution in ONNX",
     "net --device VPU_4_0 --onnx grouped_conv.onnx",
     "grouped convolution (group 4, not depthwise) has no DPU mapping"},
    {"OnnxShaveWithoutModel", "an ONNX model with SHAVE nodes and no --shave-model",
     "net --device VPU_4_0 --onnx tiny_net.onnx",
     "node 'hs' runs hswish on SHAVE: give --shave-model"},
    {"OnnxUnknownOpsValue", "--unknown-ops with a value it does not take",
     "net --device VPU_4_0 --onnx tiny_net.onnx --unknown-ops ignore",
     "--unknown-ops 'ignore' is not error or shave-generic"},
    {"SrScaleThree", "a super-resolution config with scale 3",
     "net --device VPU_4_0 --config sr_scale3.json", "sr_scale3.json: scale: expected"},
    {"SrInputSizeWithoutHeight", "a super-resolution config whose input_size is one number",
     "net --device VPU_4_0 --config sr_no_height.json",
     "sr_no_height.json: input_size: expected [height, width]"},
    {"SrResolutionGiven", "--resolution with a super-resolution config",
     "net --device VPU_4_0 --config sr_valid.json --resolution 360",
     "--resolution does not apply to sr_valid.json: a super-resolution config fixes its "
     "input_size"},
    {"SrSpaceOddResolution", "an sr-edsr input height with no whole 16:9 width",
     "lut --device VPU_4_0 --space sr-edsr --resolution 100 --out out.yaml",
     "input height 100 gives no whole width (try 360)"},
    {"SrSpaceWithoutShaveModel", "the sr-edsr space without a SHAVE model",
     "lut --device VPU_4_0 --space sr-edsr --out out.yaml",
     "runs PReLU and upsamplers on the SHAVE cores: its table needs a SHAVE model of VPU_4_0"},
    {"SelectMissingPool", "select with a pool file that does not exist",
     "select --pool nope.csv --budget 10 --out out.csv", "nope.csv"},
    {"SelectHeaderOnlyPool", "select with a pool of no rows",
     "select --pool header.csv --budget 10 --out out.csv", "header.csv has no valid workloads"},
    {"SelectZeroBudget", "select --budget 0", "select --pool data.csv --budget 0 --out out.csv",
     "--budget must be at least 1, got 0"},
    {"SelectUnknownStrategy", "select with an unknown strategy",
     "select --pool data.csv --budget 5 --strategy smart --out out.csv",
     "unknown selection strategy 'smart' (expected weighted, random or coverage)"},
    {"SelectBadTarget", "select with a target file holding an invalid row",
     "select --pool data.csv --budget 5 --target bad_fields.csv --out out.csv",
     "bad_fields.csv: line"},
    {"MobileNetV3WithoutShaveModel", "the ofa-mbv3 space without a SHAVE model",
     "lut --device VPU_4_0 --space ofa-mbv3 --out out.yaml",
     "needs a SHAVE model of VPU_4_0 (--shave-model)"},
    {"EmitWorkloadsIntoMissingFolder", "--emit-workloads into a folder that does not exist",
     "lut --device VPU_2_7 --emit-workloads nowhere/w.csv", "directory nowhere does not exist"},
    {"AdviseWithAMode", "advise given a latency mode", "advise --device VPU_4_0 --mode dpu",
     "--mode and --dpu-only do not apply"},
    {"HugeAlpha", "architecture parameters beyond double (1e400)",
     "nas-export --device VPU_2_7 --alpha huge_alpha.json --out out.json", "huge_alpha.json"},
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
    {"LutDeviceMode", "a table in device mode (a mode for networks in order)",
     "lut --device VPU_4_0 --mode device --out out.yaml",
     "latency mode device costs a network in order (vpucost net); a table's layers have no "
     "predecessor: use compute or ddr"},
    {"NetNodesWithoutShaveModel", "a network with SHAVE nodes and no SHAVE model",
     "net --device VPU_4_0 --nodes nodes_4_0.csv --dtype FLOAT16",
     "runs on SHAVE: give --shave-model (e.g. models/shave_vpu_4_0.h5)"},
    {"NetNodesAndConfig", "a network given two ways",
     "net --device VPU_4_0 --nodes nodes_4_0.csv --config mobilenetv2.json",
     "--nodes and --config are two ways to give the network"},
    {"NetNodesBadKind", "a network node of an unknown kind",
     "net --device VPU_4_0 --nodes bad_nodes.csv",
     "bad_nodes.csv line 2: column kind: 'GPU' is not DPU, SHAVE or NOCOST (1 invalid rows)"},
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
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.id;
}

class BadInput : public ::testing::TestWithParam<Case> {
 protected:
  static void SetUpTestSuite() { files_ = new BadInputFiles(); }
  static void TearDownTestSuite() {
    delete files_;
    files_ = nullptr;
  }
  static BadInputFiles* files_;
};
BadInputFiles* BadInput::files_ = nullptr;

// Appends the row to $VPUCOST_BAD_INPUT_TABLE (Markdown) when set.
void record_row(const Case& c, const std::string& args, const test::CliResult& r) {
  const char* table = std::getenv("VPUCOST_BAD_INPUT_TABLE");
  if (table == nullptr) return;
  std::string message = r.err.substr(0, r.err.find('\n'));
  std::string escaped;
  for (const char ch : message) escaped += ch == '|' ? std::string("\\|") : std::string(1, ch);
  std::ofstream(table, std::ios::app)
      << "| " << c.input << " | `vpucost " << args << "` | `" << escaped << "` | " << r.exit_code
      << " | `BadInput." << c.id << "` |\n";
}

TEST_P(BadInput, IsRefusedCleanly) {
  const Case& c = GetParam();
  std::string args = c.args;
  std::string prefix;
  const std::string unprivileged = "@unprivileged ";
  if (args.rfind(unprivileged, 0) == 0) {
    args = args.substr(unprivileged.size());
    // Mode 000 stops everyone but root: as root, run vpucost as nobody.
    if (geteuid() == 0) {
      if (std::system("setpriv --reuid=65534 --regid=65534 --clear-groups true") != 0) {
        GTEST_SKIP() << "running as root without setpriv: mode 000 cannot be tested";
      }
      prefix = "setpriv --reuid=65534 --regid=65534 --clear-groups";
    }
  }
  const auto before = files_->names();
  const test::CliResult r = test::run_in(files_->dir(), args, prefix);
  record_row(c, args, r);
  EXPECT_TRUE(test::clean_error(r, args, c.expect, c.code));
  EXPECT_EQ(test::files_except(files_->dir(), before), std::vector<std::string>{})
      << "output left behind by " << args;
}

// docs/bad-inputs.md is generated from this table (see the top of this
// file); a case added here and not there is a documentation gap.
TEST(BadInputTable, EveryCaseIsInTheDocs) {
  std::ifstream in(std::string(VPUCOST_SOURCE_DIR) + "/docs/bad-inputs.md");
  ASSERT_TRUE(in) << "docs/bad-inputs.md is missing";
  const std::string docs((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const Case& c : kCases) {
    EXPECT_NE(docs.find("`BadInput." + std::string(c.id) + "`"), std::string::npos)
        << c.id << " is not in docs/bad-inputs.md";
  }
}

INSTANTIATE_TEST_SUITE_P(Table, BadInput, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) { return info.param.id; });

}  // namespace
}  // namespace vpucost
