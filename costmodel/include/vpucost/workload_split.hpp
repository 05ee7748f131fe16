#pragma once
// What one DPU workload may hold, and how a layer beyond that is split into
// workloads that the hardware (and the cost model) accept.
//
// Limits of one workload (those VPUNN's validator enforces):
//  - depthwise convolution and pooling on VPU_2_7 / VPU_4_0: 16, 32 or 64
//    channels (DeviceSpec::dw_pool_channels);
//  - everything it touches must fit in the tile memory (CMX, DeviceSpec::
//    cmx_bytes), as counted by cmx_footprint() below.
//
// Split rule (the rule of the teacher data, ../shared/datasets/vpunn-teacher):
//  1. Depthwise/pool layers on 2.7 / 4.0 are cut into channel chunks of 64,
//     the remainder into a chunk of 32 and/or one of 16 (144 -> 64+64+16).
//  2. Any other layer may be cut into N near-equal output-channel chunks,
//     each a multiple of 16 (144 -> 80+64), for N = 1 .. channels/16; a
//     convolution keeps all its input channels in every chunk.
//  3. Any layer may also be cut into M near-equal output-row chunks; each
//     chunk reads the input rows its rows need (halo rows included) and keeps
//     the padding only where it touches the tensor border.
//  4. Chunks form a grid (every channel chunk cut into the same M row
//     chunks). Among the grids whose every workload fits, those with the
//     fewest workloads are kept; the costing code (network_cost.hpp) takes
//     the cheapest of them, and on an exact tie the one with fewer row cuts.
//  5. Beyond the teacher rule, as a last resort: when no grid of rules 1-4
//     fits within kMaxSplitWorkloads (a wide map with many input channels),
//     output columns are cut too, with their halo, the same way as rows.
// Summing the chunks' cycles models one DPU running them one after another.
#include <cstdint>
#include <string>
#include <vector>

#include "vpucost/workload.hpp"

namespace vpucost {

/// Bytes of tile memory a workload occupies, each tensor rounded up to the
/// 16 KB allocation page (VPUNN's memory estimator, calibrated so that it
/// reproduces every accept/reject decision in the teacher data):
///  - input: width x height x channels x bytes (a CM_CONVOLUTION's input
///    unpadded). ELTWISE: like VPUNN, the second operand is not counted (the
///    teacher data accept ELTWISE workloads only this count lets fit);
///  - weights: (CM_)CONVOLUTION: out x align(in x kw x kh, a) x bytes, with a
///    = 16 for FLOAT16 and for UINT8 on 2.0 / 2.7, 32 for UINT8 on 4.0 (8 /
///    16 for CM); DW_CONVOLUTION and AVEPOOL: channels x kw x kh x bytes;
///    plus a 16-byte weight-table entry per output channel. MAXPOOL and
///    ELTWISE have none;
///  - output: width x height x channels x bytes.
/// Fits when total <= DeviceSpec::cmx_bytes. Computed on the executed form
/// (as_executed) of a valid workload.
struct CmxFootprint {
  std::int64_t input_bytes = 0;
  std::int64_t weight_bytes = 0;
  std::int64_t output_bytes = 0;
  std::int64_t total_bytes = 0;
};
CmxFootprint cmx_footprint(const Workload& w);

/// Why a workload cannot run as one DPU workload.
enum class SplitReason : std::uint8_t {
  None,               ///< it can
  DepthwiseChannels,  ///< depthwise/pool channel count not allowed on this device
  CmxCapacity,        ///< does not fit in CMX
};
std::string_view to_string(SplitReason reason);

/// The first limit `w` (valid, channels padded) exceeds, or None.
SplitReason split_reason(const Workload& w);

/// One way to split a workload: a grid of channel x row x column chunks.
struct SplitOption {
  int channel_chunks = 1;
  int row_chunks = 1;
  int column_chunks = 1;            ///< rule 5 only
  std::vector<Workload> workloads;  ///< channel-major order, each valid and within the limits

  /// "none", "3xK", "2xH", "2xK+2xH" (the teacher CSV's spelling), "4xH+2xW".
  std::string label() const;
};

/// Upper bound on the workloads of one split: a layer that cannot be brought
/// within the limits with this many is reported as an error.
inline constexpr int kMaxSplitWorkloads = 4096;

/// The split options with the fewest workloads for a valid workload `w`
/// whose channels are padded to 16 (layer_workload() gives such workloads).
/// A workload within the limits gives one option with itself. Options with
/// fewer row cuts come first. Throws vpucost::Error when `w` cannot be split
/// into at most kMaxSplitWorkloads fitting workloads (e.g. the weights of 16
/// output channels of a 7x7 convolution over 1152 FLOAT16 channels alone
/// exceed the 1 MB CMX of VPU_2_0; that would need an input-channel split,
/// which one DPU workload cannot do).
std::vector<SplitOption> minimal_split_options(const Workload& w);

}  // namespace vpucost
