#pragma once
// Costing many workloads with one predictor query (network_cost.cpp,
// layer_strategy.cpp): each workload's split options are collected, every
// distinct piece is asked for once in every candidate mode, then each
// workload takes its cheapest split with each piece at its fastest mode.
#include <limits>
#include <optional>
#include <unordered_map>
#include <vector>

#include "range_split.hpp"
#include "vpucost/device.hpp"
#include "vpucost/network_cost.hpp"
#include "vpucost/predictor.hpp"
#include "vpucost/workload_split.hpp"

namespace vpucost::detail {

struct WorkloadHash {
  std::size_t operator()(const Workload& w) const noexcept {
    const std::int64_t fields[] = {static_cast<std::int64_t>(w.device),
                                   static_cast<std::int64_t>(w.operation),
                                   w.input.width,
                                   w.input.height,
                                   w.input.channels,
                                   static_cast<std::int64_t>(w.input.dtype),
                                   w.output.width,
                                   w.output.height,
                                   w.output.channels,
                                   static_cast<std::int64_t>(w.output.dtype),
                                   w.kernel_w,
                                   w.kernel_h,
                                   w.stride_w,
                                   w.stride_h,
                                   w.padding.top,
                                   w.padding.bottom,
                                   w.padding.left,
                                   w.padding.right,
                                   static_cast<std::int64_t>(w.mode),
                                   static_cast<std::int64_t>(w.activation),
                                   w.output_write_tiles,
                                   static_cast<std::int64_t>(w.isi_strategy)};
    // Each field times its own odd constant, summed: independent multiplies
    // rather than a chain of 22 dependent steps (a layer interns ~200
    // workloads). The final mix spreads the sum into the low bits a table
    // indexes by (channel counts are multiples of 16).
    std::uint64_t h = 0;
    std::uint64_t k = 0x9e3779b97f4a7c15ULL;
    for (const std::int64_t f : fields) {
      h += static_cast<std::uint64_t>(f) * k;
      k += 0x632be59bd9b4e01aULL;  // an even step: every constant stays odd
    }
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ULL;
    h ^= h >> 32;
    return static_cast<std::size_t>(h);
  }
};

// Collects the workloads of many layers, asks the predictor once for every
// distinct piece in every candidate mode, then picks modes and splits.
class BatchCoster {
 public:
  BatchCoster(const CyclePredictor& predictor, std::optional<ExecutionMode> mode)
      : predictor_(predictor), mode_(mode) {}

  std::size_t add(const Workload& whole) {
    Workload key = whole;
    key.mode = ExecutionMode{};
    if (const auto it = whole_index_.find(key); it != whole_index_.end()) return it->second;
    Whole entry;
    entry.workload = whole;
    entry.reason = split_reason(whole);
    entry.options = minimal_split_options(whole);
    for (const SplitOption& option : entry.options) {
      std::vector<std::size_t> ids;
      for (const Workload& piece : option.workloads) ids.push_back(intern(piece));
      entry.piece_ids.push_back(std::move(ids));
    }
    wholes_.push_back(std::move(entry));
    whole_index_.emplace(key, wholes_.size() - 1);
    return wholes_.size() - 1;
  }

  void run() {
    std::vector<Workload> queries;
    std::vector<std::size_t> owner;  // piece of each query
    for (std::size_t i = 0; i < pieces_.size(); ++i) {
      const auto modes = operation_modes(pieces_[i].device, pieces_[i].operation);
      if (mode_) {
        queries.push_back(pieces_[i]);
        queries.back().mode = *mode_;
        owner.push_back(i);
        continue;
      }
      for (const ExecutionMode m : modes) {
        queries.push_back(pieces_[i]);
        queries.back().mode = m;
        owner.push_back(i);
      }
    }
    std::vector<double> cycles(queries.size());
    predict_in_range(predictor_, queries, cycles);
    best_.assign(pieces_.size(), {Workload{}, std::numeric_limits<double>::infinity()});
    for (std::size_t q = 0; q < queries.size(); ++q) {
      CostedWorkload& best = best_[owner[q]];
      if (cycles[q] < best.cycles) best = {queries[q], cycles[q]};
    }
  }

  WorkloadCost result(std::size_t slot) const {
    const Whole& entry = wholes_[slot];
    std::size_t chosen = 0;
    double chosen_cycles = std::numeric_limits<double>::infinity();
    for (std::size_t o = 0; o < entry.options.size(); ++o) {
      double sum = 0.0;
      for (const std::size_t id : entry.piece_ids[o]) sum += best_[id].cycles;
      if (sum < chosen_cycles) {  // strict: on a tie the option with fewer row cuts stays
        chosen = o;
        chosen_cycles = sum;
      }
    }
    WorkloadCost cost;
    cost.whole = entry.workload;
    cost.split_reason = entry.reason;
    cost.split = entry.options[chosen].label();
    for (const std::size_t id : entry.piece_ids[chosen]) cost.workloads.push_back(best_[id]);
    cost.cycles = chosen_cycles;
    return cost;
  }

 private:
  struct Whole {
    Workload workload;
    SplitReason reason = SplitReason::None;
    std::vector<SplitOption> options;
    std::vector<std::vector<std::size_t>> piece_ids;  // per option, per workload
  };

  std::size_t intern(Workload piece) {
    piece.mode = ExecutionMode{};
    const auto [it, inserted] = piece_index_.emplace(piece, pieces_.size());
    if (inserted) pieces_.push_back(piece);
    return it->second;
  }

  const CyclePredictor& predictor_;
  std::optional<ExecutionMode> mode_;
  std::vector<Whole> wholes_;
  std::unordered_map<Workload, std::size_t, WorkloadHash> whole_index_;
  std::vector<Workload> pieces_;
  std::unordered_map<Workload, std::size_t, WorkloadHash> piece_index_;
  std::vector<CostedWorkload> best_;
};

}  // namespace vpucost::detail
