#pragma once
// What one DPU workload may hold, and how a layer beyond that is split into
// workloads that the hardware (and the cost model) accept.
//
// The limits of one workload are in workload_limits.hpp (costmodel).
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
#include "vpucost/workload_limits.hpp"

namespace vpucost {

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
