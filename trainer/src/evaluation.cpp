#include "vpucost/evaluation.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "vpucost/error.hpp"

namespace vpucost {

ErrorSummary summarise_errors(std::span<const double> ape) {
  ErrorSummary s;
  s.n = ape.size();
  if (ape.empty()) return s;
  double sum = 0;
  std::size_t w10 = 0;
  std::size_t w25 = 0;
  // An error of exactly 10% counts as within 10% even when the division
  // rounds it to 0.10000000000000009.
  constexpr double kSlack = 1e-12;
  for (const double e : ape) {
    sum += e;
    w10 += e <= 0.10 + kSlack;
    w25 += e <= 0.25 + kSlack;
  }
  const auto n = static_cast<double>(ape.size());
  s.mape = sum / n;
  s.within_10 = static_cast<double>(w10) / n;
  s.within_25 = static_cast<double>(w25) / n;
  std::vector<double> sorted(ape.begin(), ape.end());
  const std::size_t mid = sorted.size() / 2;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(mid), sorted.end());
  s.median_ape = sorted[mid];
  if (sorted.size() % 2 == 0) {
    const double below =
        *std::max_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(mid));
    s.median_ape = 0.5 * (s.median_ape + below);
  }
  return s;
}

std::string_view to_string(SparsityGroup g) {
  switch (g) {
    case SparsityGroup::Dense:
      return "dense";
    case SparsityGroup::InputOnly:
      return "input";
    case SparsityGroup::WeightOnly:
      return "weight";
    case SparsityGroup::Both:
      return "both";
  }
  return "?";
}

SparsityGroup sparsity_group(const Workload& w) {
  const bool in = w.input_sparsity > 0.0;
  const bool weight = w.weight_sparsity > 0.0;
  return in && weight ? SparsityGroup::Both
         : in         ? SparsityGroup::InputOnly
         : weight     ? SparsityGroup::WeightOnly
                      : SparsityGroup::Dense;
}

Evaluation evaluate_predictions(const Dataset& data, std::span<const double> predicted,
                                std::size_t worst_count) {
  if (predicted.size() != data.size() || data.cycles.size() != data.size()) {
    throw Error("evaluation got " + std::to_string(predicted.size()) + " predictions for " +
                std::to_string(data.size()) + " rows");
  }
  std::vector<double> ape(data.size());
  std::map<Operation, std::vector<double>> by_op;
  std::map<SparsityGroup, std::vector<double>> by_sparsity;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const double truth = data.cycles[i];
    if (!(truth > 0) || !std::isfinite(truth)) {
      throw Error("row " + std::to_string(i) + " has true cycles " + std::to_string(truth) +
                  " (must be finite and > 0)");
    }
    ape[i] = std::abs(predicted[i] / truth - 1.0);
    if (std::isnan(ape[i])) throw Error("prediction for row " + std::to_string(i) + " is NaN");
    by_op[data.workloads[i].operation].push_back(ape[i]);
    by_sparsity[sparsity_group(data.workloads[i])].push_back(ape[i]);
  }
  Evaluation ev;
  ev.overall = summarise_errors(ape);
  for (const auto& [op, errors] : by_op) ev.per_operation[op] = summarise_errors(errors);
  for (const auto& [g, errors] : by_sparsity) ev.per_sparsity[g] = summarise_errors(errors);

  std::vector<std::size_t> order(data.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  const std::size_t k = std::min(worst_count, order.size());
  std::partial_sort(
      order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
      [&](std::size_t a, std::size_t b) { return ape[a] != ape[b] ? ape[a] > ape[b] : a < b; });
  for (std::size_t j = 0; j < k; ++j) {
    const std::size_t r = order[j];
    ev.worst.push_back({r, data.cycles[r], predicted[r], ape[r]});
  }
  return ev;
}

}  // namespace vpucost
