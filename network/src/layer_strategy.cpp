#include "vpucost/layer_strategy.hpp"

#include <algorithm>
#include <limits>
#include <optional>

#include "layer_memory.hpp"
#include "strategy_batch.hpp"
#include "tensor_chunks.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

using detail::ceil_first_chunks;
using detail::channel_chunk;
using detail::column_chunk;
using detail::row_chunk;

// A strategy's parts, as cut_into_parts makes them.
struct CutParts : TileParts {
  bool checked = false;  // already fit their tiles (a one-tile SOHO)
};

CutParts refuse(std::string why) {
  CutParts t;
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

namespace {

// Why parts [from, to) of `layer` cannot run on their tiles, or nothing.
std::optional<std::string> misfit(const CutParts& cut, std::size_t from, std::size_t to,
                                  const Workload& layer) {
  if (cut.checked) return std::nullopt;
  const std::vector<Workload>& parts = cut.parts;
  for (std::size_t i = from; i < to; ++i) {
    // Equal neighbours (CLUSTERING's copies, SOK's equal chunks) fit alike.
    if (i > 0 && parts[i] == parts[i - 1]) continue;
    if (auto refused = fits_tile(parts[i], layer)) return refused;
  }
  return std::nullopt;
}

// The parts of `layer` under `strategy`, not yet checked against a tile's
// memory (tile_parts does), or the reason the strategy cannot cut it. Only
// the first `most` parts are made (a bound on a strategy needs only its
// first).
CutParts cut_into_parts(const Workload& layer, TilingStrategy strategy,
                        std::size_t most = std::numeric_limits<std::size_t>::max()) {
  const int tiles = device_spec(layer.device).tiles;
  CutParts t;
  t.parts.reserve(std::min(static_cast<std::size_t>(tiles), most));
  switch (strategy) {
    case TilingStrategy::CLUSTERING:
      // Every tile runs the whole layer (VPUNN's model: its workloads and
      // its weights are counted on every tile).
      t.parts.assign(std::min(static_cast<std::size_t>(tiles), most),
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
        if (t.parts.size() == most) break;
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
        t.checked = true;
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
        if (t.parts.size() == most) break;
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
        if (t.parts.size() == most) break;
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
  return t;
}

}  // namespace

TileParts tile_parts(const Workload& layer, TilingStrategy strategy) {
  CutParts t = cut_into_parts(layer, strategy);
  if (auto refused = misfit(t, 0, t.parts.size(), layer)) return refuse(*refused);
  return t;  // its parts, not the flag
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

constexpr const char* kNoCut = "no cut of a tile's part into DPU workloads is valid";

// One batch per thread, cleared for each layer: it keeps its memory. The two
// costings below never nest, so they share it.
detail::StrategyBatch& cleared_batch() {
  thread_local detail::StrategyBatch batch;
  batch.clear();
  return batch;
}

// `layer`, its mode cleared: each DPU workload of its parts runs at its
// fastest.
Workload unmoded(const Workload& layer) {
  Workload w = layer;
  w.mode = ExecutionMode{};
  return w;
}

// A costed strategy, its tiles listed: one per part slot of `batch`.
StrategyCost listed(detail::StrategyBatch& batch, TilingStrategy strategy, double cycles,
                    const std::vector<std::size_t>& slots) {
  StrategyCost cost;
  cost.strategy = strategy;
  cost.cycles = cycles;
  cost.tiles.reserve(slots.size());
  for (std::size_t t = 0; t < slots.size(); ++t) {
    // A tile running the same part as the one before (CLUSTERING's copies,
    // SOK's equal chunks) copies its result.
    if (t > 0 && slots[t] == slots[t - 1]) {
      cost.tiles.push_back(cost.tiles.back());
    } else {
      cost.tiles.push_back(batch.result(slots[t]));
    }
  }
  return cost;
}

}  // namespace

LayerStrategies cost_strategies(const CyclePredictor& predictor, const Workload& layer) {
  LayerStrategies out;
  detail::StrategyBatch& batch = cleared_batch();
  struct Pending {
    TilingStrategy strategy;
    std::vector<std::size_t> slots;
    double cycles = 0.0;  // the slowest tile's
  };
  std::vector<Pending> pending;
  const Workload plain = unmoded(layer);
  for (const TilingStrategy s : device_strategies(layer.device)) {
    const TileParts parts = tile_parts(plain, s);
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
      out.not_valid.emplace_back(s, kNoCut);
      continue;
    }
    pending.push_back(std::move(p));
  }
  batch.run(predictor);
  out.valid.reserve(pending.size());
  for (Pending& p : pending) {
    for (const std::size_t slot : p.slots) p.cycles = std::max(p.cycles, batch.cycles(slot));
    out.valid.push_back(listed(batch, p.strategy, p.cycles, p.slots));
  }
  return out;
}

// The best strategy alone, exactly as cost_strategies would find it, with
// fewer queries. A strategy costs its slowest tile, so any one tile's cycles
// are a lower bound of it. Round 1 costs the first (largest) part of every
// strategy; then the strategy of the lowest bound is completed, and one
// whose bound is above the cheapest completed strategy cannot be the best
// (nor can one equal to it that comes later: the first of the cheapest
// wins) -- it is never completed. On VPU_4_0 this leaves out about a third
// of a layer's parts and queries (bench/README.md). A strategy's other parts
// are checked against the tile's memory only when it is completed, in
// tile_parts' order, so a strategy found invalid gives tile_parts' reason.
LayerStrategies cost_best_strategy(const CyclePredictor& predictor, const Workload& layer) {
  LayerStrategies out;
  detail::StrategyBatch& batch = cleared_batch();
  struct Pending {
    TilingStrategy strategy;
    std::vector<std::size_t> slots;  // every part's, once completed
    double bound = 0.0;              // the first part's cycles; all parts': the strategy's
    std::size_t first_slot = 0;      // the first part's
  };
  std::vector<Pending> pending;  // in device_strategies order
  const Workload plain = unmoded(layer);
  for (const TilingStrategy s : device_strategies(layer.device)) {
    const CutParts first = cut_into_parts(plain, s, 1);
    if (first.parts.empty()) {
      out.not_valid.emplace_back(s, first.why_not);
      continue;
    }
    if (auto refused = misfit(first, 0, 1, plain)) {
      out.not_valid.emplace_back(s, *refused);
      continue;
    }
    // The first part is the largest (ceil_first_chunks): a tight bound.
    const auto slot = batch.add_part(first.parts.front());
    if (!slot) {
      const CutParts all = cut_into_parts(plain, s);
      const auto refused = misfit(all, 1, all.parts.size(), plain);
      out.not_valid.emplace_back(s, refused ? *refused : kNoCut);
      continue;
    }
    pending.push_back({s, {}, 0.0, *slot});
  }
  batch.run(predictor);
  for (Pending& p : pending) p.bound = batch.cycles(p.first_slot);

  const Pending* best = nullptr;  // the cheapest completed, the first of equals
  std::vector<bool> done(pending.size(), false);
  while (true) {
    // The open strategy of the lowest bound, the first of equals.
    std::size_t next = pending.size();
    for (std::size_t i = 0; i < pending.size(); ++i) {
      if (!done[i] && (next == pending.size() || pending[i].bound < pending[next].bound)) next = i;
    }
    if (next == pending.size()) break;
    Pending& p = pending[next];
    done[next] = true;
    if (best && (p.bound > best->bound || (p.bound == best->bound && &p > best))) break;
    const CutParts all = cut_into_parts(plain, p.strategy);
    if (auto refused = misfit(all, 1, all.parts.size(), plain)) {
      out.not_valid.emplace_back(p.strategy, *refused);
      continue;
    }
    bool valid = true;  // (the first part is found again, not costed twice)
    for (std::size_t t = 0; t < all.parts.size() && valid; ++t) {
      const auto slot = batch.add_part(all.parts[t]);
      valid = slot.has_value();
      if (valid) p.slots.push_back(*slot);
    }
    if (!valid) {
      out.not_valid.emplace_back(p.strategy, kNoCut);
      continue;
    }
    batch.run(predictor);
    for (const std::size_t slot : p.slots) p.bound = std::max(p.bound, batch.cycles(slot));
    if (!best || p.bound < best->bound || (p.bound == best->bound && &p < best)) best = &p;
  }
  // In the device's order of strategies (the enum's), as cost_strategies lists them.
  std::stable_sort(out.not_valid.begin(), out.not_valid.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  if (best) out.valid.push_back(listed(batch, best->strategy, best->bound, best->slots));
  return out;
}

}  // namespace vpucost
