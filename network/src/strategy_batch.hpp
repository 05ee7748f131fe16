#pragma once
// Costing every tiling strategy of a layer in one predictor batch
// (layer_strategy.cpp): each strategy's tile parts, each part's candidate
// splits into DPU workloads (intra_tile_split.hpp), every distinct workload
// of them asked once, then each part's cheapest candidate.
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "intra_tile_split.hpp"
#include "vpucost/network_cost.hpp"
#include "vpucost/predictor.hpp"
#include "workload_interner.hpp"

namespace vpucost::detail {

// Equal parts (SOHO's equal slices, a part shared by two strategies) and
// equal workloads are costed once. Keep one per thread and clear it for each
// layer: its vectors and tables keep their memory (a VPU_4_0 layer: ~20
// parts over five strategies, ~80 candidates, ~50 distinct pieces).
class StrategyBatch {
 public:
  void clear();

  /// Index of `part`, or nothing when no split of it is acceptable.
  std::optional<std::size_t> add_part(const Workload& part);

  /// Asks `predictor` for every distinct workload of the parts added since
  /// the last run (parts may be added in rounds).
  void run(const CyclePredictor& predictor);

  /// The cycles of part `slot` run its cheapest way (after run()).
  double cycles(std::size_t slot);

  /// The cheapest candidate of part `slot` (after run()).
  WorkloadCost result(std::size_t slot);

 private:
  struct Run {
    std::uint32_t id;     // query
    std::uint32_t times;  // issued one after another
  };
  // A part's candidate, its runs in runs_ (queries, not pieces).
  using Candidate = TileSplitCandidate;
  struct Part {
    std::uint32_t first = 0;  // its candidates
    std::uint32_t end = 0;
    std::optional<std::uint32_t> chosen;  // the cheapest, once worked out
    double cycles = 0.0;
    double runner_up = std::numeric_limits<double>::infinity();
  };

  double run_sum(const Candidate& cand) const;
  double sequential_sum(const Candidate& cand) const;
  void choose(Part& entry, const Workload& part);

  WorkloadInterner part_names_;  // tile parts, numbered as parts_
  std::vector<Part> parts_;
  std::vector<Candidate> candidates_;  // every part's, a part's together
  std::vector<Run> runs_;              // every candidate's, a candidate's together
  WorkloadInterner query_names_{64};   // distinct DPU pieces asked of the predictor
  std::vector<double> cycles_;         // per query, after run()
  std::vector<std::uint32_t> ids_;     // query of each of a part's pieces
  TileSplits scratch_;                 // a part's candidates
  std::vector<double> issued_;         // a candidate's workloads, in order
};

}  // namespace vpucost::detail
