// A layer on the device as a network runs it (layer_strategy.hpp): the DMA
// terms a layer in DDR adds under a strategy, and the layer at its best
// strategy or streamed through DDR when no strategy fits the tiles.
#include <optional>

#include "intra_tile_split.hpp"
#include "layer_memory.hpp"
#include "tensor_chunks.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"
#include "vpucost/layer_strategy.hpp"

namespace vpucost {

using detail::channel_chunk;
using detail::row_chunk;

LayerDmaTerms dma_terms(const DmaModel& dma, const Workload& layer, const StrategyCost& strategy) {
  if (strategy.tiles.empty()) throw Error("dma_terms: the strategy has no tile parts");
  const DeviceSpec& spec = device_spec(layer.device);
  LayerDmaTerms terms;
  // Every tile fetches its part's weights -- under CLUSTERING every tile
  // holds the whole layer, so each fetches all of them -- and the DMA ports
  // serve the transfers in order, each to the port free first.
  // NPU_5_0's layer model issues a tile's transfer even when it is empty
  // (MAXPOOL, AVEPOOL) and pays the DMA's fixed latency for it (the v2
  // teacher: 344 cycles a tile, 688 with 3 tiles on 2 ports); the others
  // skip it.
  std::vector<double> transfers;
  const auto fetch = [&](const Workload& part) {
    const auto bytes = double(detail::weight_footprint_bytes(part));
    if (bytes > 0 || layer.device == Device::NPU_5_0) {
      transfers.push_back(dma.predict_bytes(DmaDirection::DDR_TO_CMX, bytes));
    }
  };
  for (const WorkloadCost& tile : strategy.tiles) fetch(tile.whole);
  terms.weights = detail::list_schedule(transfers, spec.dma_ports);
  // The whole input (an ELTWISE's first operand) and output, once each.
  const auto bytes = [](const Tensor& t) {
    return double(t.width * t.height * t.channels) * bytes_per_element(t.dtype);
  };
  terms.input = dma.predict_bytes(DmaDirection::DDR_TO_CMX, bytes(layer.input));
  terms.output = dma.predict_bytes(DmaDirection::CMX_TO_DDR, bytes(layer.output));
  return terms;
}

namespace {

// The layer cut into `k` slices along output rows or output channels.
std::vector<Workload> stream_slices(const Workload& layer, std::int64_t k, bool by_rows) {
  std::vector<Workload> slices;
  if (by_rows) {
    for (std::int64_t i = 0; i < k; ++i) {
      const std::int64_t first = i * layer.output.height / k;
      const std::int64_t last = (i + 1) * layer.output.height / k;
      slices.push_back(row_chunk(layer, first, last - first));
    }
  } else {
    for (const std::int64_t c : detail::near_equal_chunks(layer.output.channels, k, 16)) {
      slices.push_back(channel_chunk(layer, c));
    }
  }
  return slices;
}

// Whether every slice has a strategy whose parts fit the tiles (no costing:
// the search for the fewest slices stays cheap).
bool slices_fit(const std::vector<Workload>& slices) {
  for (const Workload& slice : slices) {
    if (find_problem(slice)) return false;
    bool any = false;
    for (const TilingStrategy s : device_strategies(slice.device)) {
      any = any || !tile_parts(slice, s).parts.empty();
    }
    if (!any) return false;
  }
  return true;
}

// Each slice at its best strategy; nothing when a slice has no valid one.
std::optional<DeviceLayerCost> streamed(const CyclePredictor& predictor, const DmaModel& dma,
                                        const std::vector<Workload>& slices, bool by_rows) {
  DeviceLayerCost out;
  out.slices = static_cast<int>(slices.size());
  std::string names;
  for (const Workload& slice : slices) {
    const LayerStrategies s = cost_best_strategy(predictor, slice);
    if (s.valid.empty()) return std::nullopt;
    const StrategyCost& best = s.best();
    const LayerDmaTerms t = dma_terms(dma, slice, best);
    out.compute += best.cycles + t.input + t.output;
    out.dma.weights += t.weights;
    out.tiles.insert(out.tiles.end(), best.tiles.begin(), best.tiles.end());
    names += (names.empty() ? "" : "+") + std::string(to_string(best.strategy));
  }
  out.strategy =
      (by_rows ? "rows:" : "out_channels:") + std::to_string(slices.size()) + " (" + names + ")";
  return out;
}

}  // namespace

DeviceLayerCost cost_on_device(const CyclePredictor& predictor, const DmaModel& dma,
                               const Workload& layer) {
  const LayerStrategies all = cost_best_strategy(predictor, layer);
  if (!all.valid.empty()) {
    const StrategyCost& best = all.best();
    DeviceLayerCost out;
    out.compute = best.cycles;
    out.dma = dma_terms(dma, layer, best);
    out.strategy = std::string(to_string(best.strategy));
    out.tiles = best.tiles;
    return out;
  }
  for (const bool by_rows : {true, false}) {
    const std::int64_t most = by_rows ? layer.output.height : layer.output.channels / 16;
    for (std::int64_t k = 2; k <= most; ++k) {
      const std::vector<Workload> slices = stream_slices(layer, k, by_rows);
      if (!slices_fit(slices)) continue;
      if (auto s = streamed(predictor, dma, slices, by_rows)) return *s;
    }
  }
  all.best();  // throws, naming why no strategy is valid
  throw Error("the layer cannot be streamed");
}

}  // namespace vpucost
