#pragma once
// A layer on the whole device (issue #16, first part): the tiling strategies
// that spread one layer over the device's tiles, the part each tile runs,
// and the layer's compute cycles under each strategy.
//
// Strategies (VPUNN's layer API; the v2 teacher data's spelling):
//  - CLUSTERING: the whole layer on one tile;
//  - SOHO: output rows split near-equally over the tiles, each tile reading
//    the input rows it needs (overlapping halo rows), output kept on its tile
//    (isi SPLIT_OVER_H, output_write_tiles 1);
//  - SOK: output channels split over the tiles in 16-aligned chunks (the
//    input channels too for depthwise, pooling and ELTWISE), each tile
//    broadcasting its chunk to every tile (isi SPLIT_OVER_K,
//    output_write_tiles = tiles);
//  - SOW: output columns split like SOHO's rows (isi CLUSTERING,
//    output_write_tiles 1);
//  - SOHO_K_SWITCH: SOHO whose output is broadcast for a following SOK layer
//    (isi SPLIT_OVER_H, output_write_tiles = tiles).
// Inside a tile, its part is costed as vpucost costs a layer on one DPU
// (network_cost.hpp: split into workloads that fit, fastest mode each). The
// layer's compute cycles under a strategy are the slowest tile's (tiles run
// in parallel); the best strategy is the cheapest valid one. Compute only:
// weights prefetched, activations in CMX (DMA terms are separate).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vpucost/dma_model.hpp"
#include "vpucost/network_cost.hpp"
#include "vpucost/predictor.hpp"
#include "vpucost/workload.hpp"

namespace vpucost {

/// The strategies `device` offers (VPU_2_0: CLUSTERING only; VPU_2_7:
/// CLUSTERING, SOHO, SOK; VPU_4_0 and NPU_5_0 all five).
std::vector<TilingStrategy> device_strategies(Device device);

/// The part of `layer` each tile runs under `strategy`, with isi_strategy and
/// output_write_tiles set as the strategy implies; CLUSTERING gives one part.
/// std::nullopt with the reason when the layer cannot be split that way
/// (fewer output rows, columns or 16-channel groups than tiles; a part that
/// would not be a valid workload).
struct TileParts {
  std::vector<Workload> parts;
  std::string why_not;  ///< empty when parts is filled
};
TileParts tile_parts(const Workload& layer, TilingStrategy strategy);

struct StrategyCost {
  TilingStrategy strategy = TilingStrategy::CLUSTERING;
  std::vector<WorkloadCost> tiles;  ///< one per tile part
  double cycles = 0;                ///< the slowest tile's
  std::size_t workloads() const;    ///< DPU workloads over all tiles
};

struct LayerStrategies {
  std::vector<StrategyCost> valid;                                ///< in device_strategies order
  std::vector<std::pair<TilingStrategy, std::string>> not_valid;  ///< and why
  /// The cheapest valid strategy; throws vpucost::Error when none is valid.
  const StrategyCost& best() const;
};

/// The DMA a layer adds to its compute under a strategy (VPUNN's layer
/// model), each term in DPU cycles from `dma`:
///  - weights: fetching a tile's weights from DDR when they were not
///    prefetched during the previous layer -- the largest tile part's weights
///    and weight table (so SOK fetches 1/tiles of them; an ELTWISE's second
///    operand), once per tile of the device, the DMA ports serving
///    ceil(tiles / ports) rounds;
///  - input: fetching the layer's input from DDR (an ELTWISE's first operand);
///  - output: spilling the layer's output to DDR.
/// The terms add to the compute cycles independently.
struct LayerDmaTerms {
  double weights = 0;
  double input = 0;
  double output = 0;
};
LayerDmaTerms dma_terms(const DmaModel& dma, const Workload& layer, const StrategyCost& strategy);

/// Every strategy of the layer's device, costed with `predictor`. `layer` is
/// a valid workload with channels padded as the layer model requires (its
/// mode is ignored: each DPU workload runs at its fastest).
LayerStrategies cost_strategies(const CyclePredictor& predictor, const Workload& layer);

/// cost_strategies() with only the cheapest valid strategy, tiles and all, in
/// `valid` -- the same strategy, cycles and workloads -- and in `not_valid`
/// the strategies found invalid on the way (all of cost_strategies' when none
/// is valid). A strategy that cannot beat the cheapest (one of its tiles
/// already costs more) is not costed further: what a network needs of a
/// layer, without the parts and workloads of the strategies it does not use.
LayerStrategies cost_best_strategy(const CyclePredictor& predictor, const Workload& layer);

/// A layer on the device as a network runs it: at its best strategy, or --
/// when no strategy fits the tiles' memory -- streamed through DDR in slices
/// (the v2 teacher's composition rule): the fewest k >= 2 output-row slices
/// (slice i = rows floor(i H / k) .. floor((i + 1) H / k) - 1 with the input
/// rows and padding it needs) that each have a valid strategy, else the
/// fewest m 16-aligned output-channel chunks (a channel-wise layer's input
/// channels cut alike). Each slice runs at its best strategy and fetches its
/// input and spills its output, so a streamed layer's compute includes that
/// DMA; its weights are fetched once per slice when not prefetched.
struct DeviceLayerCost {
  double compute = 0;               ///< cycles, weights prefetched (streamed: slices' DMA included)
  LayerDmaTerms dma;                ///< what a layer in DDR adds (streamed: weights only)
  std::string strategy;             ///< "SOK", or "rows:2 (SOK+SOHO)" / "out_channels:2 (...)"
  int slices = 1;                   ///< > 1 when streamed
  std::vector<WorkloadCost> tiles;  ///< every tile part of every slice
};
DeviceLayerCost cost_on_device(const CyclePredictor& predictor, const DmaModel& dma,
                               const Workload& layer);

}  // namespace vpucost
