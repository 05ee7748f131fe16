#pragma once
// Choosing which workloads of a candidate pool to profile on a new chip
// (`vpucost select`, issue #18): a profiling budget buys the labels of N
// workloads, and a fine-tuned model learns most from the ones the models we
// already have are least sure about, spread over the feature space, with the
// workloads the user's LUT needs first.
//
// Order of selection:
//  1. target workloads (e.g. `vpucost lut --emit-workloads`), in their order:
//     the identical pool workload (execution mode included), else the
//     nearest unselected pool workload in the standardised feature space;
//  2. the rest by the strategy (SelectionStrategy), from u(x), a workload's
//     uncertainty: 1 + the spread (standard deviation) of the models'
//     log-cycles for it, each model's log-cycles first centred on its median
//     over the pool (a model of another generation is off by a roughly
//     constant factor, which says nothing about this workload); with one
//     model, or where fewer than two models can answer, u(x) = 1:
//      - weighted: drawn at random without replacement with probability
//        proportional to u(x)^2 (Efraimidis-Spirakis keys) -- close to the
//        pool's own distribution, which the test data share, leaning to
//        where the models disagree;
//      - random: uniformly (the baseline of the study);
//      - coverage: greedily the largest u(x) * d(x), d(x) the feature-space
//        distance to the nearest workload selected so far (k-center).
//     bench/new_generation_study measures them (models/README.md): coverage
//     picks the feature space's corners and fine-tunes worse than random.
// A model of another device costs the workload as if it ran there (device
// field changed); where that is not a valid workload of its device (an
// execution mode or data type it lacks) it does not answer.
//
// The pool's labels are never read: the pool is parsed with its cycles
// column ignored (CyclesColumn::Ignored), so the selection cannot depend on
// them (tested by scrambling them). Deterministic: the same pool, models,
// target, strategy and seed give the same selection; ties go to the earlier
// pool row.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "vpucost/cost_model.hpp"
#include "vpucost/workload.hpp"

namespace vpucost {

enum class SelectionReason : std::uint8_t {
  TargetExact,    ///< a target workload found in the pool
  TargetNearest,  ///< the pool workload nearest to a target workload not in it
  Informative,    ///< the strategy's phase
};
/// "target", "target_nearest", "informative".
std::string_view to_string(SelectionReason reason);

struct SelectedWorkload {
  std::size_t pool_index = 0;
  SelectionReason reason = SelectionReason::Informative;
  double uncertainty = 1.0;  ///< u(x) above
  double distance = 0.0;     ///< d(x) when it was taken (0 for target picks)
};

/// How the second phase picks (after the target workloads).
enum class SelectionStrategy : std::uint8_t {
  Weighted,  ///< random without replacement, probability proportional to u(x)^2 (default)
  Random,    ///< uniformly random without replacement (the baseline)
  Coverage,  ///< greedy u(x) * d(x) (k-center): spreads over the feature space
};
/// "weighted", "random", "coverage"; parse throws vpucost::Error listing them.
std::string_view to_string(SelectionStrategy s);
SelectionStrategy parse_selection_strategy(std::string_view text);

struct SelectionOptions {
  std::size_t budget = 0;
  SelectionStrategy strategy = SelectionStrategy::Weighted;
  std::uint64_t seed = 0;  ///< Weighted and Random: the same seed, the same selection
  /// Called now and then with (selected so far, budget).
  std::function<void(std::size_t, std::size_t)> progress;
};

/// Selects min(budget, pool size) distinct pool workloads, in selection
/// order. `models` may be empty (coverage only). Throws vpucost::Error when
/// the pool is empty, the budget is 0 or a workload is invalid.
std::vector<SelectedWorkload> select_workloads(std::span<const Workload> pool,
                                               std::span<const CostModel* const> models,
                                               std::span<const Workload> target,
                                               const SelectionOptions& options);

/// u(x) of every pool workload (the spread above); all 1 with fewer than two
/// models.
std::vector<double> model_uncertainty(std::span<const Workload> pool,
                                      std::span<const CostModel* const> models);

}  // namespace vpucost
