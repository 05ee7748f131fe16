#pragma once
// Latency look-up tables of a search space at one input resolution: the
// latency of the fixed parts (stem, feature mix, logits) and of every
// (position, candidate) pair, each with the layers and DPU workloads behind
// it. An architecture's latency is the fixed latency plus the entry of its
// choice at every position (latency_ms), which is what NAS needs in its inner
// loop. Writers for the files NAS tools read are in lut_writers.hpp.
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "vpucost/network_cost.hpp"
#include "vpucost/network_parts.hpp"
#include "vpucost/search_space.hpp"

namespace vpucost {

struct LutEntry {
  PartKind kind = PartKind::Block;
  std::string key;                ///< ProxylessNAS key; empty for the zero op
  int position = -1;              ///< Block entries: index into SearchSpace::positions
  int candidate = -1;             ///< Block entries: index into Position::candidates
  int stage = -1;                 ///< Block entries: Position::stage
  std::string candidate_name;     ///< Block entries: Candidate::name() ("k3_e6", "zero")
  std::vector<LayerCost> layers;  ///< empty for the zero op
  std::vector<ShaveCost> shave;   ///< SHAVE steps (MobileNetV3, HURRICANE SE, SR parts)
  std::vector<DmaCost> dma;       ///< DMA copies (SR nearest upsampling)
  double cycles = 0.0;            ///< sum of the layers', SHAVE steps' and DMA copies' cycles
  double ms = 0.0;                ///< cycles at the DPU clock
};

struct LatencyTable {
  std::string space;  ///< SearchSpace::name
  Device device = Device::VPU_2_7;
  DType dtype = DType::UINT8;
  int resolution = 224;
  std::string source;  ///< the predictor's source(): "model" or "roofline"
  LutEntry stem;
  LutEntry feature_mix;  ///< Conv_1: feature mix (ProxylessNAS), final expand (MobileNetV3)
  /// MobileNetV3 only: AvgPool2D and Conv_2, between feature_mix and logits.
  std::vector<LutEntry> pooled_head;
  LutEntry logits;
  std::vector<std::vector<LutEntry>> blocks;  ///< [position][candidate]

  /// Stem + feature mix + pooled head + logits.
  double fixed_ms() const;
  /// fixed_ms() + the chosen entry at every position. Validates `arch`.
  double latency_ms(std::span<const int> arch) const;
  /// Every entry in network order: stem, blocks (position-major), feature
  /// mix, pooled head, logits.
  std::vector<const LutEntry*> entries() const;
};

/// Called after each resolution: (tables done, tables in total, resolution).
using LutProgress = std::function<void(std::size_t, std::size_t, int)>;

/// Costs every part of `space` at `resolution` (one batched predictor query).
/// Validates the space and the resolution. A MobileNetV3-family space needs a
/// coster with a SHAVE model (throws vpucost::Error otherwise).
LatencyTable build_latency_table(const SearchSpace& space, int resolution,
                                 const NetworkCoster& coster);
std::vector<LatencyTable> build_latency_tables(const SearchSpace& space,
                                               std::span<const int> resolutions,
                                               const NetworkCoster& coster,
                                               const LutProgress& progress = {});

/// A candidate drop_candidates_without_kernel removed, and why.
struct DroppedCandidate {
  int position = 0;
  std::string name;  ///< Candidate::name()
  std::string why;
};
/// Removes from `space` every candidate with a SHAVE step `coster` cannot
/// cost at `resolution` (an SR space's PReLU on VPU_2_7, its align-corners
/// upsampler on VPU_4_0: VPUNN has no kernel for them there) and returns
/// them. Throws vpucost::Error when a position would be left with no
/// candidate.
std::vector<DroppedCandidate> drop_candidates_without_kernel(SearchSpace& space, int resolution,
                                                             const NetworkCoster& coster);

/// The part at (position, candidate) at `resolution`: an MBConv block with
/// the position's channels and stride, residual when the position is (and
/// for the MobileNetV3 family its middle width, SE and activation).
/// The zero op has no part (throws).
NetPart candidate_part(const SearchSpace& space, int resolution, int position, int candidate);

}  // namespace vpucost
