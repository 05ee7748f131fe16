#include "vpucost/training_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "random.hpp"
#include "vpucost/error.hpp"

namespace vpucost {

EncodedRows encode_rows(const Dataset& data, std::span<const std::size_t> rows) {
  if (data.cycles.size() != data.workloads.size()) {
    throw Error("dataset " + data.source + " has " + std::to_string(data.workloads.size()) +
                " workloads but " + std::to_string(data.cycles.size()) + " cycle values");
  }
  EncodedRows out;
  const auto n = static_cast<Eigen::Index>(rows.size());
  out.features.resize(static_cast<Eigen::Index>(kFeatureCount), n);
  out.log_cycles.resize(rows.size());
  out.operations.resize(rows.size());
  std::size_t duals = 0;
  for (const std::size_t r : rows) {
    duals += r < data.size() && dual_sparsity_variants(data.workloads[r]).has_value();
  }
  out.dual.variants.resize(static_cast<Eigen::Index>(kFeatureCount),
                           static_cast<Eigen::Index>(2 * duals));
  for (std::size_t j = 0; j < rows.size(); ++j) {
    const std::size_t r = rows[j];
    if (r >= data.size()) throw Error("row index " + std::to_string(r) + " is out of range");
    const double c = data.cycles[r];
    if (!(c > 0) || !std::isfinite(c)) {
      throw Error("dataset " + data.source + " row " + std::to_string(r) + " has cycles " +
                  std::to_string(c) + " (must be finite and > 0)");
    }
    const auto column = [](Eigen::MatrixXf& m, std::size_t i) {
      return std::span<float, kFeatureCount>(m.col(static_cast<Eigen::Index>(i)).data(),
                                             kFeatureCount);
    };
    if (const auto dual = dual_sparsity_variants(data.workloads[r])) {
      const std::size_t k = out.dual.size();
      out.dual.columns.push_back(j);
      encode_features(dual->input_only, column(out.dual.variants, 2 * k));
      encode_features(dual->weight_only, column(out.dual.variants, 2 * k + 1));
      out.features.col(static_cast<Eigen::Index>(j)) =
          out.dual.variants.col(static_cast<Eigen::Index>(2 * k));
    } else {
      encode_features(data.workloads[r], column(out.features, j));
    }
    out.log_cycles[j] = std::log(c);
    out.operations[j] = data.workloads[r].operation;
  }
  return out;
}

EncodedRows encode_all(const Dataset& data) {
  std::vector<std::size_t> rows(data.size());
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  return encode_rows(data, rows);
}

EncodedRows concatenate(EncodedRows a, const EncodedRows& b) {
  const Eigen::Index n = a.features.cols();
  a.features.conservativeResize(Eigen::NoChange, n + b.features.cols());
  a.features.rightCols(b.features.cols()) = b.features;
  a.log_cycles.insert(a.log_cycles.end(), b.log_cycles.begin(), b.log_cycles.end());
  a.operations.insert(a.operations.end(), b.operations.begin(), b.operations.end());
  for (const std::size_t c : b.dual.columns) a.dual.columns.push_back(c + std::size_t(n));
  const Eigen::Index k = a.dual.variants.cols();
  a.dual.variants.conservativeResize(a.features.rows(), k + b.dual.variants.cols());
  a.dual.variants.rightCols(b.dual.variants.cols()) = b.dual.variants;
  return a;
}

Normalisation Normalisation::of(const ModelParts& parts) {
  return {parts.feature_mean, parts.feature_std, parts.output_offset, parts.output_scale};
}

Normalisation fit_normalisation(const EncodedRows& rows) {
  const std::size_t n = rows.size();
  if (n == 0) throw Error("cannot fit a normalisation on zero rows");
  const Eigen::Index f = rows.features.rows();
  const Eigen::MatrixXd x = rows.features.cast<double>();
  const Eigen::VectorXd mean = x.rowwise().mean();
  const Eigen::VectorXd var = (x.colwise() - mean).array().square().rowwise().mean();
  Normalisation norm;
  norm.feature_mean = mean.cast<float>();
  norm.feature_std.resize(f);
  for (Eigen::Index i = 0; i < f; ++i) {
    const auto sd = static_cast<float>(std::sqrt(var[i]));
    norm.feature_std[i] = sd < kMinFeatureStd ? 1.0f : sd;
  }
  double sum = 0.0;
  for (const double v : rows.log_cycles) sum += v;
  const double log_mean = sum / double(n);
  double sq = 0.0;
  for (const double v : rows.log_cycles) sq += (v - log_mean) * (v - log_mean);
  const double log_sd = std::sqrt(sq / double(n));
  norm.output_offset = static_cast<float>(log_mean);
  // All rows with the same cycles: any positive scale works; 1 keeps targets at 0.
  norm.output_scale = log_sd < 1e-6 ? 1.0f : static_cast<float>(log_sd);
  return norm;
}

TrainingSet standardise(const EncodedRows& rows, const Normalisation& norm) {
  if (norm.feature_mean.size() != rows.features.rows() ||
      norm.feature_std.size() != rows.features.rows()) {
    throw Error("normalisation has " + std::to_string(norm.feature_mean.size()) +
                " features, the data " + std::to_string(rows.features.rows()));
  }
  TrainingSet set;
  const auto scaled = [&](const Eigen::MatrixXf& m) -> Eigen::MatrixXf {
    return (m.colwise() - norm.feature_mean).array().colwise() / norm.feature_std.array();
  };
  set.x = scaled(rows.features);
  set.dual.columns = rows.dual.columns;
  if (rows.dual.size() > 0) set.dual.variants = scaled(rows.dual.variants);
  set.target.resize(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t j = 0; j < rows.size(); ++j) {
    set.target[static_cast<Eigen::Index>(j)] = static_cast<float>(
        (rows.log_cycles[j] - double(norm.output_offset)) / double(norm.output_scale));
  }
  set.log_cycles = rows.log_cycles;
  set.operations = rows.operations;
  return set;
}

RowSplit split_for_validation(const Dataset& data, double fraction, std::uint64_t seed) {
  if (!(fraction >= 0.0 && fraction < 1.0)) {
    throw Error("validation fraction must be in [0, 1), got " + std::to_string(fraction));
  }
  const std::size_t n = data.size();
  RowSplit split;
  const auto target = static_cast<std::size_t>(std::llround(fraction * double(n)));
  if (target == 0) {
    split.train.resize(n);
    std::iota(split.train.begin(), split.train.end(), std::size_t{0});
    return split;
  }
  // Group rows by their encoding: sort by feature vector, rows in a run of
  // equal vectors form one group, identified by its smallest row index.
  const EncodedRows enc = encode_all(data);
  const auto f = static_cast<std::size_t>(enc.features.rows());
  const float* base = enc.features.data();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  const auto less = [&](std::size_t a, std::size_t b) {
    const int c = std::memcmp(base + a * f, base + b * f, f * sizeof(float));
    return c != 0 ? c < 0 : a < b;
  };
  std::sort(order.begin(), order.end(), less);
  std::vector<std::size_t> group_of(n);
  std::vector<std::size_t> group_first;  // smallest row of each group
  for (std::size_t i = 0; i < n; ++i) {
    const bool same =
        i > 0 && std::memcmp(base + order[i] * f, base + order[i - 1] * f, f * sizeof(float)) == 0;
    if (!same) group_first.push_back(order[i]);
    group_of[order[i]] = group_first.size() - 1;
  }
  // Canonical group order (by first row), then a seeded shuffle.
  std::vector<std::size_t> groups(group_first.size());
  std::iota(groups.begin(), groups.end(), std::size_t{0});
  std::sort(groups.begin(), groups.end(),
            [&](std::size_t a, std::size_t b) { return group_first[a] < group_first[b]; });
  auto rng = detail::stream(seed, detail::kValidationSplit);
  detail::shuffle(groups, rng);
  std::vector<std::size_t> group_size(group_first.size(), 0);
  for (std::size_t r = 0; r < n; ++r) ++group_size[group_of[r]];
  std::vector<char> in_validation(group_first.size(), 0);
  std::size_t taken = 0;
  for (const std::size_t g : groups) {
    if (taken >= target) break;
    in_validation[g] = 1;
    taken += group_size[g];
  }
  for (std::size_t r = 0; r < n; ++r) {
    (in_validation[group_of[r]] ? split.validation : split.train).push_back(r);
  }
  if (split.train.empty()) throw Error("validation split left no training rows");
  return split;
}

Device single_device(const Dataset& data, const std::string& what) {
  if (data.size() == 0) throw Error(what + " " + data.source + " has no rows");
  const Device first = data.workloads.front().device;
  for (std::size_t i = 1; i < data.size(); ++i) {
    if (data.workloads[i].device != first) {
      throw Error(what + " " + data.source + " mixes devices (" + std::string(to_string(first)) +
                  " in row 0, " + std::string(to_string(data.workloads[i].device)) + " in row " +
                  std::to_string(i) + "); a model is for one device, so split it by device first");
    }
  }
  return first;
}

std::uint64_t fingerprint(const TrainingSet& set) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  const auto mix = [&h](const void* p, std::size_t bytes) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < bytes; ++i) {
      h ^= b[i];
      h *= 0x100000001b3ull;
    }
  };
  const std::uint64_t n = set.size();
  mix(&n, sizeof n);
  mix(set.x.data(), static_cast<std::size_t>(set.x.size()) * sizeof(float));
  mix(set.target.data(), static_cast<std::size_t>(set.target.size()) * sizeof(float));
  return h;
}

}  // namespace vpucost
