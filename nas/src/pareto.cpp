// Pareto front over (latency: lower is better, score: higher is better).
#include <algorithm>
#include <limits>

#include "vpucost/evolution.hpp"

namespace vpucost::nas {

std::vector<bool> pareto_optimal(std::span<const EvaluatedArchitecture> archs) {
  std::vector<std::size_t> order(archs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (archs[a].latency_ms != archs[b].latency_ms)
      return archs[a].latency_ms < archs[b].latency_ms;
    return archs[a].score > archs[b].score;
  });
  std::vector<bool> optimal(archs.size(), false);
  // Best score among strictly faster architectures.
  double best_faster = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;  // [i, j): one latency, best score first
    while (j < order.size() && archs[order[j]].latency_ms == archs[order[i]].latency_ms) ++j;
    const double group_best = archs[order[i]].score;
    for (std::size_t k = i; k < j; ++k) {
      const double s = archs[order[k]].score;
      optimal[order[k]] = s == group_best && s > best_faster;
    }
    best_faster = std::max(best_faster, group_best);
    i = j;
  }
  return optimal;
}

}  // namespace vpucost::nas
