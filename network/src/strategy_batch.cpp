#include "strategy_batch.hpp"

#include <algorithm>
#include <cmath>

#include "range_split.hpp"
#include "vpucost/device.hpp"

namespace vpucost::detail {

void StrategyBatch::clear() {
  part_names_.clear();
  parts_.clear();
  candidates_.clear();
  runs_.clear();
  query_names_.clear();
  cycles_.clear();
}

std::optional<std::size_t> StrategyBatch::add_part(const Workload& part) {
  const auto [slot, inserted] = part_names_.intern(part);
  if (!inserted) {
    return parts_[slot].first == parts_[slot].end ? std::nullopt : std::optional<std::size_t>(slot);
  }
  Part entry;
  entry.first = static_cast<std::uint32_t>(candidates_.size());
  intra_tile_candidates(part, scratch_);
  ids_.clear();
  for (const Workload& w : scratch_.pieces) ids_.push_back(query_names_.intern(w).first);
  // A candidate's neighbouring runs issue different workloads, hence
  // different queries: its runs stay runs of one query.
  const auto offset = static_cast<std::uint32_t>(runs_.size());
  for (const TileSplitCandidate::Run& r : scratch_.runs) {
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

void StrategyBatch::run(const CyclePredictor& predictor) {
  // Only the queries added since the last run: a layer's parts may be added
  // in rounds (cost_best_strategy).
  const std::vector<Workload>& all = query_names_.items();
  const std::size_t first = cycles_.size();
  cycles_.resize(all.size());
  const std::span<const Workload> queries(all.data() + first, all.size() - first);
  const std::span<double> out(cycles_.data() + first, queries.size());
  // A piece padded on one side is costed as the dearer of its symmetric
  // neighbours (symmetric_neighbours), unless the model learnt
  // such pieces.
  if (predictor.learnt_one_sided_padding()) {
    predict_in_range(predictor, queries, out);
    return;
  }
  std::vector<Workload> asked;
  std::vector<std::pair<std::size_t, std::size_t>> answer;  // per query: indices in asked
  asked.reserve(queries.size());
  for (const Workload& w : queries) {
    auto [larger, smaller] = symmetric_neighbours(w);
    const bool two = !(larger == smaller);
    asked.push_back(std::move(larger));
    if (two) asked.push_back(std::move(smaller));
    answer.emplace_back(asked.size() - (two ? 2 : 1), asked.size() - 1);
  }
  std::vector<double> c(asked.size());
  predict_in_range(predictor, asked, c);
  for (std::size_t i = 0; i < queries.size(); ++i) {
    out[i] = std::max(c[answer[i].first], c[answer[i].second]);
  }
}

double StrategyBatch::cycles(std::size_t slot) {
  Part& entry = parts_[slot];
  if (!entry.chosen) choose(entry, part_names_.items()[slot]);
  return entry.cycles;
}

WorkloadCost StrategyBatch::result(std::size_t slot) {
  Part& entry = parts_[slot];
  if (!entry.chosen) choose(entry, part_names_.items()[slot]);
  const Candidate& best = candidates_[*entry.chosen];
  const Workload& part = part_names_.items()[slot];
  WorkloadCost cost;
  cost.whole = part;
  cost.split_reason = split_reason(part);
  cost.split = split_label(best.kind, best.across, best.down);
  std::size_t issued = 0;
  for (std::uint32_t r = best.first_run; r < best.end_run; ++r) issued += runs_[r].times;
  cost.workloads.reserve(issued);
  for (std::uint32_t r = best.first_run; r < best.end_run; ++r) {
    cost.workloads.insert(cost.workloads.end(), runs_[r].times,
                          CostedWorkload{query_names_.items()[runs_[r].id], cycles_[runs_[r].id]});
  }
  cost.cycles = entry.cycles;
  cost.runner_up_cycles = entry.runner_up;
  return cost;
}

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
double StrategyBatch::run_sum(const Candidate& cand) const {
  double s = 0.0;
  for (std::uint32_t r = cand.first_run; r < cand.end_run; ++r) {
    s += static_cast<double>(runs_[r].times) * cycles_[runs_[r].id];
  }
  return s;
}

double StrategyBatch::sequential_sum(const Candidate& cand) const {
  double s = 0.0;
  for (std::uint32_t r = cand.first_run; r < cand.end_run; ++r) {
    const double c = cycles_[runs_[r].id];
    for (std::uint32_t t = 0; t < runs_[r].times; ++t) s += c;
  }
  return s;
}

void StrategyBatch::choose(Part& entry, const Workload& part) {
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
      cycles = list_schedule(issued_, dpus);
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

}  // namespace vpucost::detail
