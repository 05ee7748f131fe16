#include "vpucost/workload_selection.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <unordered_map>

#include "vpucost/error.hpp"
#include "vpucost/features.hpp"

namespace vpucost {
namespace {

// Standardised features: each column centred on its pool mean and divided by
// its pool standard deviation (constant columns left at 0), so that no
// feature's unit decides the distances.
struct FeatureSpace {
  std::vector<float> rows;  // pool size x kFeatureCount
  std::array<double, kFeatureCount> mean{};
  std::array<double, kFeatureCount> scale{};

  explicit FeatureSpace(std::span<const Workload> pool) {
    const std::size_t n = pool.size();
    rows.resize(n * kFeatureCount);
    std::array<double, kFeatureCount> sum{}, sum2{};
    for (std::size_t i = 0; i < n; ++i) {
      auto row = std::span<float, kFeatureCount>(rows.data() + i * kFeatureCount, kFeatureCount);
      encode_features(pool[i], row);
      for (std::size_t f = 0; f < kFeatureCount; ++f) {
        sum[f] += row[f];
        sum2[f] += double(row[f]) * row[f];
      }
    }
    for (std::size_t f = 0; f < kFeatureCount; ++f) {
      mean[f] = sum[f] / double(n);
      const double var = std::max(0.0, sum2[f] / double(n) - mean[f] * mean[f]);
      scale[f] = var > 1e-12 ? 1.0 / std::sqrt(var) : 0.0;
    }
    for (std::size_t i = 0; i < n; ++i) {
      float* row = rows.data() + i * kFeatureCount;
      for (std::size_t f = 0; f < kFeatureCount; ++f) {
        row[f] = static_cast<float>((row[f] - mean[f]) * scale[f]);
      }
    }
  }

  std::array<float, kFeatureCount> standardise(const Workload& w) const {
    const FeatureVector v = encode_features(w);
    std::array<float, kFeatureCount> out{};
    for (std::size_t f = 0; f < kFeatureCount; ++f) {
      out[f] = static_cast<float>((v[f] - mean[f]) * scale[f]);
    }
    return out;
  }

  double squared_distance(std::size_t i, const float* other) const {
    const float* row = rows.data() + i * kFeatureCount;
    float d = 0.0f;
    for (std::size_t f = 0; f < kFeatureCount; ++f) {
      const float t = row[f] - other[f];
      d += t * t;
    }
    return d;
  }
};

// The workload as a model of `device` would see it, or nothing when it is
// not a valid workload there.
std::optional<Workload> on_device(const Workload& w, const CostModel& model) {
  Workload moved = w;
  moved.device = model.device();
  if (find_problem(moved) || model.find_unanswerable(moved)) return std::nullopt;
  return moved;
}

struct WorkloadKeyHash {
  std::size_t operator()(const Workload& w) const noexcept {
    std::size_t h = std::hash<std::int64_t>{}(w.input.width * 1000003 + w.input.height);
    h ^= std::hash<std::int64_t>{}(w.input.channels * 7919 + w.output.channels) + (h << 6);
    h ^= std::hash<int>{}(int(w.operation) * 31 + int(w.mode)) + (h >> 2);
    return h;
  }
};

}  // namespace

std::string_view to_string(SelectionStrategy s) {
  switch (s) {
    case SelectionStrategy::Weighted:
      return "weighted";
    case SelectionStrategy::Random:
      return "random";
    case SelectionStrategy::Coverage:
      return "coverage";
  }
  return "<invalid>";
}

SelectionStrategy parse_selection_strategy(std::string_view text) {
  for (const auto s :
       {SelectionStrategy::Weighted, SelectionStrategy::Random, SelectionStrategy::Coverage}) {
    if (text == to_string(s)) return s;
  }
  throw Error("unknown selection strategy '" + std::string(text) +
              "' (expected weighted, random or coverage)");
}

std::string_view to_string(SelectionReason reason) {
  switch (reason) {
    case SelectionReason::TargetExact:
      return "target";
    case SelectionReason::TargetNearest:
      return "target_nearest";
    case SelectionReason::Informative:
      return "informative";
  }
  return "<invalid>";
}

std::vector<double> model_uncertainty(std::span<const Workload> pool,
                                      std::span<const CostModel* const> models) {
  std::vector<double> u(pool.size(), 1.0);
  if (models.size() < 2) return u;
  const double none = std::numeric_limits<double>::quiet_NaN();
  // logs[m][i]: model m's log-cycles of pool workload i, centred on its median.
  std::vector<std::vector<double>> logs(models.size(), std::vector<double>(pool.size(), none));
  for (std::size_t m = 0; m < models.size(); ++m) {
    std::vector<Workload> asked;
    std::vector<std::size_t> where;
    for (std::size_t i = 0; i < pool.size(); ++i) {
      if (auto w = on_device(pool[i], *models[m])) {
        asked.push_back(*w);
        where.push_back(i);
      }
    }
    std::vector<double> cycles(asked.size());
    models[m]->predict_cycles(asked, cycles);
    std::vector<double> values;
    for (std::size_t q = 0; q < asked.size(); ++q) {
      logs[m][where[q]] = std::log(std::max(cycles[q], 1.0));
      values.push_back(logs[m][where[q]]);
    }
    if (values.empty()) continue;
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(values.size() / 2),
                     values.end());
    const double median = values[values.size() / 2];
    for (double& v : logs[m]) v -= median;  // NaN stays NaN
  }
  for (std::size_t i = 0; i < pool.size(); ++i) {
    double sum = 0, sum2 = 0;
    int n = 0;
    for (const auto& l : logs) {
      if (std::isnan(l[i])) continue;
      sum += l[i];
      sum2 += l[i] * l[i];
      ++n;
    }
    if (n < 2) continue;
    const double mean = sum / n;
    u[i] = 1.0 + std::sqrt(std::max(0.0, sum2 / n - mean * mean));
  }
  return u;
}

std::vector<SelectedWorkload> select_workloads(std::span<const Workload> pool,
                                               std::span<const CostModel* const> models,
                                               std::span<const Workload> target,
                                               const SelectionOptions& options) {
  if (pool.empty()) throw Error("select: the pool has no workloads");
  if (options.budget == 0) throw Error("select: the budget must be at least 1");
  for (std::size_t i = 0; i < pool.size(); ++i) {
    if (auto why = find_problem(pool[i])) {
      throw Error("select: pool workload " + std::to_string(i) + ": " + *why);
    }
  }
  const std::size_t budget = std::min(options.budget, pool.size());
  const FeatureSpace space(pool);
  const std::vector<double> u = model_uncertainty(pool, models);
  std::vector<SelectedWorkload> out;
  std::vector<char> taken(pool.size(), 0);
  const bool coverage = options.strategy == SelectionStrategy::Coverage;
  // Squared distance of every pool workload to the nearest selected one.
  std::vector<double> nearest(pool.size(), std::numeric_limits<double>::infinity());
  const auto take = [&](std::size_t i, SelectionReason reason, double distance) {
    taken[i] = 1;
    out.push_back({i, reason, u[i], distance});
    if (options.progress && (out.size() % 64 == 0 || out.size() == budget)) {
      options.progress(out.size(), budget);
    }
    if (!coverage) return;  // only the coverage strategy reads the distances
    const float* row = space.rows.data() + i * kFeatureCount;
    for (std::size_t j = 0; j < pool.size(); ++j) {
      nearest[j] = std::min(nearest[j], space.squared_distance(j, row));
    }
  };

  // 1. Target workloads first.
  std::unordered_multimap<Workload, std::size_t, WorkloadKeyHash> index;
  for (std::size_t i = 0; i < pool.size(); ++i) index.emplace(pool[i], i);
  for (const Workload& t : target) {
    if (out.size() >= budget) break;
    if (auto why = find_problem(t)) throw Error("select: target workload: " + *why);
    std::optional<std::size_t> exact;
    const auto [first, last] = index.equal_range(t);
    for (auto it = first; it != last; ++it) {
      if (it->first == t && (!exact || it->second < *exact)) exact = it->second;
    }
    if (exact) {
      if (!taken[*exact]) take(*exact, SelectionReason::TargetExact, 0.0);
      continue;
    }
    const auto point = space.standardise(t);
    std::size_t best = pool.size();
    double best_d = std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < pool.size(); ++j) {
      if (taken[j]) continue;
      const double d = space.squared_distance(j, point.data());
      if (d < best_d) best = j, best_d = d;
    }
    if (best < pool.size()) take(best, SelectionReason::TargetNearest, std::sqrt(best_d));
  }

  if (options.strategy != SelectionStrategy::Coverage) {
    // 2a. Random keys, U^(1/w) with w = u(x)^2 (1 for the random strategy):
    // the largest keys are a weighted sample without replacement. Our own
    // uniform draw from the 53 high bits, so every standard library agrees.
    std::mt19937_64 rng(options.seed);
    std::vector<std::pair<double, std::size_t>> keys;
    keys.reserve(pool.size());
    for (std::size_t j = 0; j < pool.size(); ++j) {
      const double uniform = (double(rng() >> 11) + 0.5) * 0x1.0p-53;
      if (taken[j]) continue;
      const double w = options.strategy == SelectionStrategy::Random ? 1.0 : u[j] * u[j];
      keys.emplace_back(-std::log(uniform) / w, j);  // smallest -log(U)/w = largest U^(1/w)
    }
    std::sort(keys.begin(), keys.end());
    for (std::size_t q = 0; q < keys.size() && out.size() < budget; ++q) {
      take(keys[q].second, SelectionReason::Informative, 0.0);
    }
    return out;
  }
  // 2b. Coverage: uncertainty x distance. Before any pick, distances are to the pool mean (0).
  if (out.empty()) {
    const std::array<float, kFeatureCount> origin{};
    for (std::size_t j = 0; j < pool.size(); ++j) {
      nearest[j] = space.squared_distance(j, origin.data());
    }
  }
  while (out.size() < budget) {
    std::size_t best = pool.size();
    double best_score = -1.0;
    for (std::size_t j = 0; j < pool.size(); ++j) {
      if (taken[j]) continue;
      const double score = u[j] * std::sqrt(nearest[j]);
      if (score > best_score) best = j, best_score = score;
    }
    take(best, SelectionReason::Informative, std::sqrt(nearest[best]));
  }
  return out;
}

}  // namespace vpucost
