#include "vpucost/layer_strategy.hpp"

#include <algorithm>
#include <cmath>

#include "batch_coster.hpp"
#include "tensor_chunks.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

using detail::channel_chunk;
using detail::column_chunk;
using detail::near_equal_chunks;
using detail::row_chunk;

TileParts refuse(std::string why) {
  TileParts t;
  t.why_not = std::move(why);
  return t;
}

// NPU_5_0's DPU takes no SPLIT_OVER_H workload: its SOH parts run as
// CLUSTERING workloads (the strategy still splits the rows over tiles).
Workload with_tiling(Workload w, IsiStrategy isi, std::int64_t write_tiles) {
  w.isi_strategy = device_has_isi_strategy(w.device, isi) ? isi : IsiStrategy::CLUSTERING;
  w.output_write_tiles = write_tiles;
  return w;
}

// Near-equal pieces of `extent` (rows or columns), one per tile; nothing
// when a tile would get none.
std::vector<std::pair<std::int64_t, std::int64_t>> spans(std::int64_t extent, int tiles) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  if (extent < tiles) return out;
  std::int64_t first = 0;
  for (const std::int64_t n : near_equal_chunks(extent, tiles, 1)) {
    out.emplace_back(first, n);
    first += n;
  }
  return out;
}

// A tile's part on the tile's DPUs. One DPU runs its workloads one after
// another (cost_workload). Several (VPU_2_0: 5) share the part: it is cut
// into one near-equal piece per DPU along output rows, output channels (16
// aligned) or output columns, whichever finishes first, and the tile takes
// as long as its slowest DPU.
WorkloadCost cost_on_tile(const CyclePredictor& predictor, const Workload& part) {
  const int dpus = device_spec(part.device).dpus_per_tile;
  WorkloadCost best = cost_workload(predictor, part);
  if (dpus == 1) return best;
  const auto try_pieces = [&](const std::vector<Workload>& pieces) {
    WorkloadCost tile;
    tile.whole = part;
    tile.split = std::to_string(pieces.size()) + " DPUs";
    for (const Workload& piece : pieces) {
      Workload probe = piece;
      probe.mode = operation_modes(piece.device, piece.operation).front();
      if (find_problem(probe)) return;
      WorkloadCost c;
      try {
        c = cost_workload(predictor, piece);
      } catch (const Error&) {
        return;
      }
      tile.cycles = std::max(tile.cycles, c.cycles);
      tile.workloads.insert(tile.workloads.end(), c.workloads.begin(), c.workloads.end());
    }
    if (tile.cycles < best.cycles) best = std::move(tile);
  };
  if (const auto rows = spans(part.output.height, dpus); !rows.empty()) {
    std::vector<Workload> pieces;
    for (const auto& [first, n] : rows) pieces.push_back(row_chunk(part, first, n));
    try_pieces(pieces);
  }
  if (part.output.channels >= 16 * dpus) {
    std::vector<Workload> pieces;
    for (const std::int64_t c : near_equal_chunks(part.output.channels, dpus, 16)) {
      pieces.push_back(channel_chunk(part, c));
    }
    try_pieces(pieces);
  }
  if (const auto cols = spans(part.output.width, dpus); !cols.empty()) {
    std::vector<Workload> pieces;
    for (const auto& [first, n] : cols) pieces.push_back(column_chunk(part, first, n));
    try_pieces(pieces);
  }
  return best;
}

// Bytes the weights of `w` move from DDR: per output channel the kernel
// (input channels x kw x kh for a convolution, kw x kh for depthwise and
// average pooling) rounded up to 16 bytes, plus a 16-byte weight-table
// entry; MAXPOOL has none; an ELTWISE's second operand. (VPUNN's
// weight_footprint; the CMX count of workload_split.hpp also rounds to pages.)
double weight_transfer_bytes(const Workload& w) {
  const auto b = static_cast<std::int64_t>(bytes_per_element(w.input.dtype));
  const auto align16 = [](std::int64_t x) { return (x + 15) / 16 * 16; };
  const std::int64_t oc = w.output.channels;
  switch (w.operation) {
    case Operation::CONVOLUTION:
    case Operation::CM_CONVOLUTION:
      return double(oc * align16(w.input.channels * w.kernel_w * w.kernel_h * b) + 16 * oc);
    case Operation::DW_CONVOLUTION:
    case Operation::AVEPOOL:
      return double(oc * align16(w.kernel_w * w.kernel_h * b) + 16 * oc);
    case Operation::ELTWISE:
      return double(w.input.width * w.input.height * w.input.channels * b);
    case Operation::MAXPOOL:
      return 0.0;
  }
  return 0.0;
}

}  // namespace

std::vector<TilingStrategy> device_strategies(Device device) {
  const int tiles = device_spec(device).tiles;
  if (tiles == 1) return {TilingStrategy::CLUSTERING};
  if (device == Device::VPU_2_7) {
    return {TilingStrategy::CLUSTERING, TilingStrategy::SOHO, TilingStrategy::SOK};
  }
  return {TilingStrategy::CLUSTERING, TilingStrategy::SOHO, TilingStrategy::SOK,
          TilingStrategy::SOW, TilingStrategy::SOHO_K_SWITCH};
}

TileParts tile_parts(const Workload& layer, TilingStrategy strategy) {
  const int tiles = device_spec(layer.device).tiles;
  TileParts t;
  switch (strategy) {
    case TilingStrategy::CLUSTERING:
      t.parts.push_back(with_tiling(layer, IsiStrategy::CLUSTERING, 1));
      break;
    case TilingStrategy::SOHO:
    case TilingStrategy::SOHO_K_SWITCH: {
      const auto rows = spans(layer.output.height, tiles);
      if (rows.empty()) {
        return refuse(std::to_string(layer.output.height) + " output rows cannot be split over " +
                      std::to_string(tiles) + " tiles");
      }
      const std::int64_t write_tiles = strategy == TilingStrategy::SOHO ? 1 : tiles;
      for (const auto& [first, n] : rows) {
        t.parts.push_back(
            with_tiling(row_chunk(layer, first, n), IsiStrategy::SPLIT_OVER_H, write_tiles));
      }
      break;
    }
    case TilingStrategy::SOW: {
      const auto cols = spans(layer.output.width, tiles);
      if (cols.empty()) {
        return refuse(std::to_string(layer.output.width) + " output columns cannot be split over " +
                      std::to_string(tiles) + " tiles");
      }
      for (const auto& [first, n] : cols) {
        t.parts.push_back(with_tiling(column_chunk(layer, first, n), IsiStrategy::CLUSTERING, 1));
      }
      break;
    }
    case TilingStrategy::SOK: {
      if (layer.output.channels < 16 * tiles) {
        return refuse(std::to_string(layer.output.channels) +
                      " output channels are fewer than 16 per tile over " + std::to_string(tiles) +
                      " tiles");
      }
      for (const std::int64_t c : near_equal_chunks(layer.output.channels, tiles, 16)) {
        t.parts.push_back(with_tiling(channel_chunk(layer, c), IsiStrategy::SPLIT_OVER_K, tiles));
      }
      break;
    }
  }
  for (const Workload& part : t.parts) {
    Workload probe = part;
    probe.mode = operation_modes(part.device, part.operation).front();
    if (auto problem = find_problem(probe)) return refuse("a tile's part is invalid: " + *problem);
    // VPUNN's layer validator wants a tile's whole part (input, weights,
    // output) in the tile's memory, however its DPU workloads are cut later.
    const CmxFootprint cmx = cmx_footprint(probe);
    if (cmx.total_bytes > device_spec(part.device).cmx_bytes) {
      return refuse("a tile's part needs " + std::to_string(cmx.total_bytes) +
                    " bytes of CMX, a tile has " +
                    std::to_string(device_spec(part.device).cmx_bytes));
    }
  }
  return t;
}

std::size_t StrategyCost::workloads() const {
  std::size_t n = 0;
  for (const WorkloadCost& t : tiles) n += t.workloads.size();
  return n;
}

const StrategyCost& LayerStrategies::best() const {
  if (valid.empty()) {
    std::string why;
    for (const auto& [s, reason] : not_valid) {
      why += (why.empty() ? "" : "; ") + std::string(to_string(s)) + ": " + reason;
    }
    throw Error("no tiling strategy is valid for this layer (" + why + ")");
  }
  return *std::min_element(valid.begin(), valid.end(),
                           [](const auto& a, const auto& b) { return a.cycles < b.cycles; });
}

LayerDmaTerms dma_terms(const DmaModel& dma, const Workload& layer, const StrategyCost& strategy) {
  if (strategy.tiles.empty()) throw Error("dma_terms: the strategy has no tile parts");
  const auto bytes = [](const Tensor& t) {
    return double(t.width * t.height * t.channels) * bytes_per_element(t.dtype);
  };
  const Workload& part = strategy.tiles.front().whole;  // the first part is the largest
  const DeviceSpec& spec = device_spec(layer.device);
  LayerDmaTerms terms;
  const double weight_bytes = weight_transfer_bytes(part);
  if (weight_bytes > 0) {
    // Every tile of the device fetches its part's weights (CLUSTERING too:
    // VPUNN counts them on every tile); the DMA ports serve the tiles in
    // rounds of one transfer each (VPU_4_0: 6 tiles, 2 ports: 3 rounds).
    const double rounds = std::ceil(double(spec.tiles) / double(spec.dma_ports));
    terms.weights = rounds * dma.predict_bytes(DmaDirection::DDR_TO_CMX, weight_bytes);
  }
  // An ELTWISE's second operand is counted with the weights (as VPUNN does).
  terms.input = dma.predict_bytes(DmaDirection::DDR_TO_CMX, bytes(layer.input));
  terms.output = dma.predict_bytes(DmaDirection::CMX_TO_DDR, bytes(layer.output));
  return terms;
}

LayerStrategies cost_strategies(const CyclePredictor& predictor, const Workload& layer) {
  LayerStrategies out;
  if (device_spec(layer.device).dpus_per_tile > 1) {
    // Several DPUs per tile: each part is cut over them (cost_on_tile).
    for (const TilingStrategy s : device_strategies(layer.device)) {
      TileParts parts = tile_parts(layer, s);
      if (parts.parts.empty()) {
        out.not_valid.emplace_back(s, parts.why_not);
        continue;
      }
      StrategyCost cost;
      cost.strategy = s;
      try {
        for (const Workload& part : parts.parts) {
          cost.tiles.push_back(cost_on_tile(predictor, part));
          cost.cycles = std::max(cost.cycles, cost.tiles.back().cycles);
        }
      } catch (const Error& e) {
        out.not_valid.emplace_back(s, e.what());  // a part no split brings within one tile
        continue;
      }
      out.valid.push_back(std::move(cost));
    }
    return out;
  }
  // One DPU per tile: every part of every strategy goes into one batch, so
  // the predictor is asked once, for each distinct piece (equal tile parts,
  // the same piece in several strategies) in each mode.
  detail::BatchCoster batch(predictor, std::nullopt);
  struct Pending {
    TilingStrategy strategy;
    std::vector<std::size_t> slots;
  };
  std::vector<Pending> pending;
  for (const TilingStrategy s : device_strategies(layer.device)) {
    TileParts parts = tile_parts(layer, s);
    if (parts.parts.empty()) {
      out.not_valid.emplace_back(s, parts.why_not);
      continue;
    }
    Pending p{s, {}};
    try {
      for (Workload part : parts.parts) {
        part.mode = operation_modes(part.device, part.operation).front();
        p.slots.push_back(batch.add(part));
      }
    } catch (const Error& e) {
      out.not_valid.emplace_back(s, e.what());  // a part no split brings within one tile
      continue;
    }
    pending.push_back(std::move(p));
  }
  batch.run();
  for (const Pending& p : pending) {
    StrategyCost cost;
    cost.strategy = p.strategy;
    for (const std::size_t slot : p.slots) {
      cost.tiles.push_back(batch.result(slot));
      cost.cycles = std::max(cost.cycles, cost.tiles.back().cycles);
    }
    out.valid.push_back(std::move(cost));
  }
  return out;
}

}  // namespace vpucost
