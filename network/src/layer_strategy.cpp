#include "vpucost/layer_strategy.hpp"

#include <algorithm>
#include <cmath>
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
#include "workload_interner.hpp"

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
  for (std::size_t i = 0; i < t.parts.size(); ++i) {
    // Equal neighbours (CLUSTERING's copies, SOK's equal chunks) fit alike.
    if (i > 0 && t.parts[i] == t.parts[i - 1]) continue;
    if (auto refused = fits_tile(t.parts[i], layer)) return refuse(*refused);
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
// costed once. One per thread, cleared for each layer: its vectors and
// tables keep their memory (a VPU_4_0 layer: ~20 parts over five
// strategies, ~80 candidates, ~50 distinct pieces).
class StrategyBatch {
 public:
  void clear() {
    part_names_.clear();
    parts_.clear();
    candidates_.clear();
    runs_.clear();
    query_names_.clear();
  }

  /// Index of `part`, or nothing when no split of it is acceptable.
  std::optional<std::size_t> add_part(const Workload& part) {
    const auto [slot, inserted] = part_names_.intern(part);
    if (!inserted) {
      return parts_[slot].first == parts_[slot].end ? std::nullopt
                                                    : std::optional<std::size_t>(slot);
    }
    Part entry;
    entry.first = static_cast<std::uint32_t>(candidates_.size());
    detail::intra_tile_candidates(part, scratch_);
    ids_.clear();
    for (const Workload& w : scratch_.pieces) ids_.push_back(query_names_.intern(w).first);
    // A candidate's neighbouring runs issue different workloads, hence
    // different queries: its runs stay runs of one query.
    const auto offset = static_cast<std::uint32_t>(runs_.size());
    for (const detail::TileSplitCandidate::Run& r : scratch_.runs) {
      runs_.push_back({ids_[r.piece], r.times});
    }
    for (Candidate c : scratch_.candidates) {
      c.first_run += offset;
      c.end_run += offset;
      candidates_.push_back(c);
    }
    entry.end = static_cast<std::uint32_t>(candidates_.size());
    parts_.push_back(entry);
    if (entry.first == entry.end) return std::nullopt;
    return slot;
  }

  void run(const CyclePredictor& predictor) {
    const std::vector<Workload>& queries = query_names_.items();
    cycles_.resize(queries.size());
    // A piece padded on one side is costed as the dearer of its symmetric
    // neighbours (detail::symmetric_neighbours), unless the model learnt
    // such pieces.
    if (predictor.learnt_one_sided_padding()) {
      detail::predict_in_range(predictor, queries, cycles_);
      return;
    }
    std::vector<Workload> asked;
    std::vector<std::pair<std::size_t, std::size_t>> answer;  // per query: indices in asked
    asked.reserve(queries.size());
    for (const Workload& w : queries) {
      auto [larger, smaller] = detail::symmetric_neighbours(w);
      const bool two = !(larger == smaller);
      asked.push_back(std::move(larger));
      if (two) asked.push_back(std::move(smaller));
      answer.emplace_back(asked.size() - (two ? 2 : 1), asked.size() - 1);
    }
    std::vector<double> c(asked.size());
    detail::predict_in_range(predictor, asked, c);
    for (std::size_t i = 0; i < queries.size(); ++i) {
      cycles_[i] = std::max(c[answer[i].first], c[answer[i].second]);
    }
  }

  /// The cycles of part `slot` run its cheapest way (after run()).
  double cycles(std::size_t slot) {
    Part& entry = parts_[slot];
    if (!entry.chosen) choose(entry, part_names_.items()[slot]);
    return entry.cycles;
  }

  /// The cheapest candidate of part `slot` (after run()).
  WorkloadCost result(std::size_t slot) {
    Part& entry = parts_[slot];
    if (!entry.chosen) choose(entry, part_names_.items()[slot]);
    const Candidate& best = candidates_[*entry.chosen];
    const Workload& part = part_names_.items()[slot];
    WorkloadCost cost;
    cost.whole = part;
    cost.split_reason = split_reason(part);
    cost.split = detail::split_label(best.kind, best.across, best.down);
    std::size_t issued = 0;
    for (std::uint32_t r = best.first_run; r < best.end_run; ++r) issued += runs_[r].times;
    cost.workloads.reserve(issued);
    for (std::uint32_t r = best.first_run; r < best.end_run; ++r) {
      cost.workloads.insert(
          cost.workloads.end(), runs_[r].times,
          CostedWorkload{query_names_.items()[runs_[r].id], cycles_[runs_[r].id]});
    }
    cost.cycles = entry.cycles;
    cost.runner_up_cycles = entry.runner_up;
    return cost;
  }

 private:
  struct Run {
    std::uint32_t id;     // query
    std::uint32_t times;  // issued one after another
  };
  // A part's candidate, its runs in runs_ (queries, not pieces).
  using Candidate = detail::TileSplitCandidate;
  struct Part {
    std::uint32_t first = 0;  // its candidates
    std::uint32_t end = 0;
    std::optional<std::uint32_t> chosen;  // the cheapest, once worked out
    double cycles = 0.0;
    double runner_up = std::numeric_limits<double>::infinity();
  };

  // On one DPU a candidate's cycles are its workloads' added one by one, as
  // the DPU runs them (and as the sum of the reported workloads adds up).
  // Only the cheapest and the runner-up matter, so those sums are made only
  // for the candidates that can be either: an NPU_5_0 depthwise part has ~90
  // candidates of up to 120 workloads, and their sums were a fifth of its
  // layer's time. A candidate whose sum by runs (times x cycles, a few
  // operations) is above the second-smallest such estimate by more than the
  // rounding of either (relative 1.1e-16 per operation, at most 128
  // workloads a tile: the margin 1e-12 covers it 70x over) is dearer than two
  // others, so it is neither: left out, exactly.
  double run_sum(const Candidate& cand) const {
    double s = 0.0;
    for (std::uint32_t r = cand.first_run; r < cand.end_run; ++r) {
      s += static_cast<double>(runs_[r].times) * cycles_[runs_[r].id];
    }
    return s;
  }
  double sequential_sum(const Candidate& cand) const {
    double s = 0.0;
    for (std::uint32_t r = cand.first_run; r < cand.end_run; ++r) {
      const double c = cycles_[runs_[r].id];
      for (std::uint32_t t = 0; t < runs_[r].times; ++t) s += c;
    }
    return s;
  }

  void choose(Part& entry, const Workload& part) {
    const int dpus = device_spec(part.device).dpus_per_tile;
    double worth_summing = std::numeric_limits<double>::infinity();
    if (dpus == 1 && entry.end - entry.first > 2) {
      double smallest = worth_summing, second = worth_summing;
      for (std::uint32_t i = entry.first; i < entry.end; ++i) {
        const double s = run_sum(candidates_[i]);
        if (s < smallest) {
          second = smallest;
          smallest = s;
        } else {
          second = std::min(second, s);
        }
      }
      worth_summing = second * (1.0 + 1e-12);
    }
    double chosen_cycles = std::numeric_limits<double>::infinity();
    double runner_up = std::numeric_limits<double>::infinity();
    std::uint32_t chosen = entry.first;
    for (std::uint32_t i = entry.first; i < entry.end; ++i) {
      const Candidate& cand = candidates_[i];
      double cycles = 0.0;
      if (dpus == 1) {
        if (std::isfinite(worth_summing) && run_sum(cand) > worth_summing) continue;
        cycles = sequential_sum(cand);
      } else {
        issued_.clear();
        for (std::uint32_t r = cand.first_run; r < cand.end_run; ++r) {
          issued_.insert(issued_.end(), runs_[r].times, cycles_[runs_[r].id]);
        }
        cycles = detail::list_schedule(issued_, dpus);
      }
      if (cycles < chosen_cycles) {
        runner_up = chosen_cycles;
        chosen = i;
        chosen_cycles = cycles;
      } else {
        runner_up = std::min(runner_up, cycles);
      }
    }
    entry.chosen = chosen;
    entry.cycles = chosen_cycles;
    entry.runner_up = runner_up;
  }

  detail::WorkloadInterner part_names_;  // tile parts, numbered as parts_
  std::vector<Part> parts_;
  std::vector<Candidate> candidates_;         // every part's, a part's together
  std::vector<Run> runs_;                     // every candidate's, a candidate's together
  detail::WorkloadInterner query_names_{64};  // distinct DPU pieces asked of the predictor
  std::vector<double> cycles_;                // per query, after run()
  std::vector<std::uint32_t> ids_;            // query of each of a candidate's pieces
  detail::TileSplits scratch_;                // a part's candidates
  std::vector<double> issued_;                // a candidate's workloads, in order
};

// Which strategies' tiles cost_strategies lists.
enum class Listing { every_strategy, best_only };

LayerStrategies cost_strategies(const CyclePredictor& predictor, const Workload& layer,
                                Listing listing) {
  LayerStrategies out;
  thread_local StrategyBatch batch;
  batch.clear();
  struct Pending {
    TilingStrategy strategy;
    std::vector<std::size_t> slots;
    double cycles = 0.0;  // the slowest tile's
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
  batch.run(predictor);
  const Pending* best = nullptr;  // the first of the cheapest, as LayerStrategies::best()
  for (Pending& p : pending) {
    for (const std::size_t slot : p.slots) p.cycles = std::max(p.cycles, batch.cycles(slot));
    if (!best || p.cycles < best->cycles) best = &p;
  }
  out.valid.reserve(pending.size());
  for (const Pending& p : pending) {
    if (listing == Listing::best_only && &p != best) continue;
    StrategyCost cost;
    cost.strategy = p.strategy;
    cost.cycles = p.cycles;
    cost.tiles.reserve(p.slots.size());
    for (std::size_t t = 0; t < p.slots.size(); ++t) {
      // A tile running the same part as the one before (CLUSTERING's
      // copies, SOK's equal chunks) copies its result.
      if (t > 0 && p.slots[t] == p.slots[t - 1]) {
        cost.tiles.push_back(cost.tiles.back());
      } else {
        cost.tiles.push_back(batch.result(p.slots[t]));
      }
    }
    out.valid.push_back(std::move(cost));
  }
  return out;
}

}  // namespace

LayerStrategies cost_strategies(const CyclePredictor& predictor, const Workload& layer) {
  return cost_strategies(predictor, layer, Listing::every_strategy);
}

LayerStrategies cost_best_strategy(const CyclePredictor& predictor, const Workload& layer) {
  return cost_strategies(predictor, layer, Listing::best_only);
}

}  // namespace vpucost
