#pragma once
// The numbers behind the VPU design rules of a search space (`vpucost lut
// --report`): per stage, how a block's latency moves with kernel size and
// expand ratio, and what channel counts that are not multiples of 16 cost
// (the DPU pads them, so 24 channels cost what 32 cost).
#include <string>
#include <vector>

#include "vpucost/lut.hpp"

namespace vpucost {

/// Latency of one position's MBConv candidates, as a kernel x expand grid.
struct BlockSensitivity {
  int stage = 0;
  int position = 0;
  int in_channels = 0;
  int out_channels = 0;
  int stride = 1;
  std::int64_t in_size = 0;
  std::int64_t out_size = 0;
  std::vector<int> kernels;  ///< ascending
  std::vector<int> expands;  ///< ascending
  /// ms[e * kernels.size() + k]; negative where the position lacks the candidate.
  std::vector<double> ms;
};

/// What channel counts cost around a stage's width: a 1x1 convolution
/// width -> width and the stage's repeated block (stride 1, in = out =
/// width) at the stage's output size, for widths in steps of 4 from just
/// above the multiple of 16 below the stage width to just past the one above.
struct ChannelSweep {
  int stage = 0;
  int width = 0;  ///< the stage's width in the space
  int kernel = 3;
  int expand_ratio = 1;  ///< the stage's largest
  std::int64_t size = 0;
  std::vector<int> widths;       ///< ascending, including `width`
  std::vector<double> conv_ms;   ///< the 1x1 convolution at each width
  std::vector<double> block_ms;  ///< the block at each width
};

struct DesignReport {
  std::string space;
  int resolution = 0;
  Device device = Device::VPU_2_7;
  DType dtype = DType::UINT8;
  std::string source;
  /// Per stage: its first position and, when the stage has one, its second
  /// (a repeated stride-1 block).
  std::vector<BlockSensitivity> blocks;
  std::vector<ChannelSweep> channels;
};

/// Reads the kernel/expand grids from `table` (built from `space` with
/// `coster`) and costs the channel sweeps.
DesignReport design_report(const SearchSpace& space, const LatencyTable& table,
                           const NetworkCoster& coster);

/// Plain-text tables with a short reading guide.
std::string format_design_report(const DesignReport& report);

}  // namespace vpucost
