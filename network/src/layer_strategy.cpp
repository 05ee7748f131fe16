#include "vpucost/layer_strategy.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <unordered_map>

#include "batch_coster.hpp"
#include "intra_tile_split.hpp"
#include "layer_memory.hpp"
#include "range_split.hpp"
#include "tensor_chunks.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

using detail::ceil_first_chunks;
using detail::channel_chunk;
using detail::column_chunk;
using detail::row_chunk;

TileParts refuse(std::string why) {
  TileParts t;
  t.why_not = std::move(why);
  return t;
}

Workload with_tiling(Workload w, IsiStrategy isi, std::int64_t write_tiles) {
  w.isi_strategy = isi;
  w.output_write_tiles = write_tiles;
  return w;
}

// Why `part` of `layer` cannot run on a tile, or nothing.
std::optional<std::string> fits_tile(const Workload& part, const Workload& layer) {
  Workload probe = part;
  probe.mode = operation_modes(part.device, part.operation).front();
  if (auto problem = find_problem(probe)) return "a tile's part is invalid: " + *problem;
  // VPUNN's layer validator wants a tile's whole part (input, weights,
  // output -- all of it when broadcast) in the tile's memory, however its
  // DPU workloads are cut later.
  const Tensor& held = part.output_write_tiles > 1 ? layer.output : part.output;
  const std::int64_t need = detail::tile_cmx_bytes(part, held);
  if (need > device_spec(part.device).cmx_bytes) {
    return "a tile's part needs " + std::to_string(need) + " bytes of CMX, a tile has " +
           std::to_string(device_spec(part.device).cmx_bytes);
  }
  return std::nullopt;
}

}  // namespace

std::vector<TilingStrategy> device_strategies(Device device) {
  const int tiles = device_spec(device).tiles;
  // One tile (VPU_2_0): SOHO over one tile is the layer reading only the
  // input rows its output needs, which may fit where CLUSTERING does not.
  if (tiles == 1) return {TilingStrategy::CLUSTERING, TilingStrategy::SOHO};
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
      // Every tile runs the whole layer (VPUNN's model: its workloads and
      // its weights are counted on every tile).
      t.parts.assign(static_cast<std::size_t>(tiles),
                     with_tiling(layer, IsiStrategy::CLUSTERING, 1));
      break;
    case TilingStrategy::SOHO:
    case TilingStrategy::SOHO_K_SWITCH: {
      if (layer.output.height < 2) {
        return refuse("1 output row: a split over rows needs at least 2");
      }
      const auto rows = ceil_first_chunks(layer.output.height, tiles, 1);
      const std::int64_t write_tiles =
          strategy == TilingStrategy::SOHO ? 1 : std::int64_t(rows.size());
      std::int64_t first = 0;
      for (const std::int64_t n : rows) {
        t.parts.push_back(
            with_tiling(row_chunk(layer, first, n), IsiStrategy::CLUSTERING, write_tiles));
        first += n;
      }
      if (rows.size() == 1) {
        // One tile: the part is the layer, reading only the input rows its
        // output needs. That may fit the tile's memory where CLUSTERING does
        // not (the check below), but the DPUs run the layer as it is: the
        // teacher's one-tile SOHO costs exactly what CLUSTERING does.
        if (auto refused = fits_tile(t.parts.front(), layer)) return refuse(*refused);
        t.parts.front() = with_tiling(layer, IsiStrategy::CLUSTERING, write_tiles);
        return t;
      }
      break;
    }
    case TilingStrategy::SOW: {
      if (layer.output.width < 2) {
        return refuse("1 output column: a split over columns needs at least 2");
      }
      std::int64_t first = 0;
      for (const std::int64_t n : ceil_first_chunks(layer.output.width, tiles, 1)) {
        t.parts.push_back(with_tiling(column_chunk(layer, first, n), IsiStrategy::CLUSTERING, 1));
        first += n;
      }
      break;
    }
    case TilingStrategy::SOK: {
      if (layer.output.channels < 32) {
        return refuse(std::to_string(layer.output.channels) +
                      " output channels: a split over output channels needs at least 32");
      }
      const auto chunks = ceil_first_chunks(layer.output.channels, tiles, 16);
      for (const std::int64_t c : chunks) {
        // Each tile reads only the input its output needs (VPUNN recomputes
        // it: a stride that skips the last input row or column drops it).
        Workload part = channel_chunk(layer, c);
        part.input.width = (part.output.width - 1) * part.stride_w + part.kernel_w -
                           part.padding.left - part.padding.right;
        part.input.height = (part.output.height - 1) * part.stride_h + part.kernel_h -
                            part.padding.top - part.padding.bottom;
        t.parts.push_back(
            with_tiling(part, IsiStrategy::SPLIT_OVER_K, std::int64_t(chunks.size())));
      }
      break;
    }
  }
  for (const Workload& part : t.parts) {
    if (auto refused = fits_tile(part, layer)) return refuse(*refused);
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

namespace {

// Every strategy's tile parts, each part's candidate splits, and every
// workload of them asked of the predictor in one batch: equal parts (SOHO's
// equal slices, a part shared by two strategies) and equal workloads are
// costed once.
class StrategyBatch {
 public:
  explicit StrategyBatch(const CyclePredictor& predictor) : predictor_(predictor) {
    // A VPU_4_0 layer: ~20 parts over five strategies, ~50 distinct pieces;
    // reserving spares the rehashes.
    parts_.reserve(32);
    part_index_.reserve(32);
    queries_.reserve(128);
    query_index_.reserve(128);
  }

  /// Index of `part`, or nothing when no split of it is acceptable.
  std::optional<std::size_t> add_part(const Workload& part) {
    if (const auto it = part_index_.find(part); it != part_index_.end()) {
      return parts_[it->second].candidates.empty() ? std::nullopt
                                                   : std::optional<std::size_t>(it->second);
    }
    Part entry;
    entry.part = part;
    entry.candidates = detail::intra_tile_candidates(part);
    for (const detail::TileSplitCandidate& c : entry.candidates) {
      std::vector<std::size_t> ids;
      for (const Workload& w : c.pieces) {
        const auto [it, inserted] = query_index_.emplace(w, queries_.size());
        if (inserted) queries_.push_back(w);
        ids.push_back(it->second);
      }
      entry.query_ids.push_back(std::move(ids));
    }
    parts_.push_back(std::move(entry));
    part_index_.emplace(part, parts_.size() - 1);
    if (parts_.back().candidates.empty()) return std::nullopt;
    return parts_.size() - 1;
  }

  void run() {
    // A piece padded on one side is costed as the dearer of its symmetric
    // neighbours (detail::symmetric_neighbours), unless the model learnt
    // such pieces.
    const bool as_themselves = predictor_.learnt_one_sided_padding();
    std::vector<Workload> asked;
    std::vector<std::pair<std::size_t, std::size_t>> answer;  // per query: indices in asked
    asked.reserve(queries_.size());
    for (const Workload& w : queries_) {
      auto [larger, smaller] = as_themselves ? std::pair(w, w) : detail::symmetric_neighbours(w);
      const bool two = !(larger == smaller);
      asked.push_back(std::move(larger));
      if (two) asked.push_back(std::move(smaller));
      answer.emplace_back(asked.size() - (two ? 2 : 1), asked.size() - 1);
    }
    std::vector<double> c(asked.size());
    detail::predict_in_range(predictor_, asked, c);
    cycles_.resize(queries_.size());
    for (std::size_t i = 0; i < queries_.size(); ++i) {
      cycles_[i] = std::max(c[answer[i].first], c[answer[i].second]);
    }
  }

  /// The cheapest candidate of part `slot` (after run()).
  WorkloadCost result(std::size_t slot) const {
    const Part& entry = parts_[slot];
    const int dpus = device_spec(entry.part.device).dpus_per_tile;
    std::size_t chosen = 0;
    double chosen_cycles = std::numeric_limits<double>::infinity();
    double runner_up = std::numeric_limits<double>::infinity();
    std::vector<double> c;
    for (std::size_t i = 0; i < entry.candidates.size(); ++i) {
      const detail::TileSplitCandidate& cand = entry.candidates[i];
      double cycles = 0.0;
      if (dpus == 1) {
        for (const std::uint32_t piece : cand.order) cycles += cycles_[entry.query_ids[i][piece]];
      } else {
        c.clear();
        for (const std::uint32_t piece : cand.order)
          c.push_back(cycles_[entry.query_ids[i][piece]]);
        cycles = detail::list_schedule(c, dpus);
      }
      if (cycles < chosen_cycles) {
        runner_up = chosen_cycles;
        chosen = i;
        chosen_cycles = cycles;
      } else {
        runner_up = std::min(runner_up, cycles);
      }
    }
    const detail::TileSplitCandidate& best = entry.candidates[chosen];
    WorkloadCost cost;
    cost.whole = entry.part;
    cost.split_reason = split_reason(entry.part);
    cost.split = best.label();
    cost.workloads.reserve(best.order.size());
    for (const std::uint32_t piece : best.order) {
      const std::size_t id = entry.query_ids[chosen][piece];
      cost.workloads.push_back({queries_[id], cycles_[id]});
    }
    cost.cycles = chosen_cycles;
    cost.runner_up_cycles = runner_up;
    return cost;
  }

 private:
  struct Part {
    Workload part;
    std::vector<detail::TileSplitCandidate> candidates;
    std::vector<std::vector<std::size_t>> query_ids;  // per candidate, per distinct piece
  };
  const CyclePredictor& predictor_;
  std::vector<Part> parts_;
  std::unordered_map<Workload, std::size_t, detail::WorkloadHash> part_index_;
  std::vector<Workload> queries_;
  std::unordered_map<Workload, std::size_t, detail::WorkloadHash> query_index_;
  std::vector<double> cycles_;
};

}  // namespace

LayerStrategies cost_strategies(const CyclePredictor& predictor, const Workload& layer) {
  LayerStrategies out;
  StrategyBatch batch(predictor);
  struct Pending {
    TilingStrategy strategy;
    std::vector<std::size_t> slots;
  };
  std::vector<Pending> pending;
  for (const TilingStrategy s : device_strategies(layer.device)) {
    Workload unmoded = layer;
    unmoded.mode = ExecutionMode{};
    TileParts parts = tile_parts(unmoded, s);
    if (parts.parts.empty()) {
      out.not_valid.emplace_back(s, parts.why_not);
      continue;
    }
    Pending p{s, {}};
    for (const Workload& part : parts.parts) {
      const auto slot = batch.add_part(part);
      if (!slot) break;
      p.slots.push_back(*slot);
    }
    if (p.slots.size() != parts.parts.size()) {
      out.not_valid.emplace_back(s, "no cut of a tile's part into DPU workloads is valid");
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
