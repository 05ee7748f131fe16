#include "vpucost/dataset_stats.hpp"

#include <algorithm>
#include <cmath>

#include "descriptor_index.hpp"
#include "vpucost/dataset_file.hpp"

namespace vpucost {
namespace {

double quantile_sorted(const std::vector<double>& v, double q) {
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

template <std::size_t N>
void count(std::array<std::uint64_t, N>& counts, std::span<const std::int32_t> values) {
  for (const std::int32_t v : values) {
    if (v >= 0 && static_cast<std::size_t>(v) < N) ++counts[static_cast<std::size_t>(v)];
  }
}

}  // namespace

Quantiles compute_quantiles(std::vector<double>& values) {
  std::sort(values.begin(), values.end());
  Quantiles q;
  q.min = values.front();
  q.max = values.back();
  q.p01 = quantile_sorted(values, 0.01);
  q.p05 = quantile_sorted(values, 0.05);
  q.p25 = quantile_sorted(values, 0.25);
  q.p50 = quantile_sorted(values, 0.50);
  q.p75 = quantile_sorted(values, 0.75);
  q.p95 = quantile_sorted(values, 0.95);
  q.p99 = quantile_sorted(values, 0.99);
  double sum = 0.0;
  for (const double v : values) sum += v;
  q.mean = sum / static_cast<double>(values.size());
  return q;
}

void StatsAccumulator::add(const DatasetColumns& chunk) {
  DatasetStats& s = stats_;
  if (chunk.empty()) return;
  if (s.ranges.empty()) {
    for (const Column c : all_columns()) {
      if (column_kind(c) == ColumnKind::Integer) {
        s.ranges.push_back({c, std::numeric_limits<std::int64_t>::max(),
                            std::numeric_limits<std::int64_t>::min()});
      }
    }
  }
  s.rows += chunk.size();
  count(s.per_device, chunk.descriptor(Column::device));
  count(s.per_operation, chunk.descriptor(Column::operation));
  count(s.per_mode, chunk.descriptor(Column::execution_mode));
  count(s.per_input_dtype, chunk.descriptor(Column::input_dtype));
  count(s.per_output_dtype, chunk.descriptor(Column::output_dtype));
  count(s.per_activation, chunk.descriptor(Column::activation_function));
  count(s.per_isi_strategy, chunk.descriptor(Column::isi_strategy));
  for (const std::int32_t tiles : chunk.descriptor(Column::output_write_tiles)) {
    s.output_broadcast += tiles > 1;
  }
  const auto input_rates = chunk.rates(Column::input_sparsity);
  const auto weight_rates = chunk.rates(Column::weight_sparsity);
  for (std::size_t row = 0; row < chunk.size(); ++row) {
    const bool in = input_rates[row] > 0.0;
    const bool weight = weight_rates[row] > 0.0;
    if (in) input_rates_.push_back(input_rates[row]);
    if (weight) weight_rates_.push_back(weight_rates[row]);
    s.both_sparse += in && weight;
  }
  for (ValueRange& r : s.ranges) {
    const auto [lo, hi] =
        std::minmax_element(chunk.descriptor(r.column).begin(), chunk.descriptor(r.column).end());
    r.min = std::min<std::int64_t>(r.min, *lo);
    r.max = std::max<std::int64_t>(r.max, *hi);
  }
  const auto devices = chunk.descriptor(Column::device);
  const auto operations = chunk.descriptor(Column::operation);
  for (std::size_t row = 0; row < chunk.size(); ++row) {
    const auto d = static_cast<std::size_t>(devices[row]);
    const auto o = static_cast<std::size_t>(operations[row]);
    if (d < s.per_device_operation.size() && o < s.per_device_operation[d].size()) {
      ++s.per_device_operation[d][o];
      cycles_[d].push_back(chunk.cycles(row));
    }
    hashes_.push_back(detail::descriptor_hash(chunk.workload(row)));
  }
  if (chunk.has_theoretical_cycles()) {
    theoretical_seen_ = true;
    for (const double t : chunk.theoretical_cycles()) s.theoretical_missing += std::isnan(t);
  }
}

DatasetStats StatsAccumulator::finish() {
  DatasetStats s = stats_;
  s.has_theoretical_cycles = theoretical_seen_;
  std::sort(hashes_.begin(), hashes_.end());
  s.distinct_descriptors =
      static_cast<std::uint64_t>(std::unique(hashes_.begin(), hashes_.end()) - hashes_.begin());
  s.duplicates = s.rows - s.distinct_descriptors;
  std::vector<double> all;
  all.reserve(s.rows);
  for (std::size_t d = 0; d < cycles_.size(); ++d) {
    all.insert(all.end(), cycles_[d].begin(), cycles_[d].end());
    if (!cycles_[d].empty()) s.cycles_per_device[d] = compute_quantiles(cycles_[d]);
  }
  if (!all.empty()) s.cycles = compute_quantiles(all);
  s.input_sparse = input_rates_.size();
  s.weight_sparse = weight_rates_.size();
  if (!input_rates_.empty()) s.input_sparsity = compute_quantiles(input_rates_);
  if (!weight_rates_.empty()) s.weight_sparsity = compute_quantiles(weight_rates_);
  return s;
}

DatasetStats compute_stats(const DatasetColumns& columns) {
  StatsAccumulator acc;
  acc.add(columns);
  DatasetStats s = acc.finish();
  s.has_theoretical_cycles = columns.has_theoretical_cycles();
  return s;
}

DatasetStats compute_stats(const std::filesystem::path& path) {
  if (is_csv_path(path)) return compute_stats(load_dataset_columns(path));
  StatsAccumulator acc;
  DatasetFileReader reader(path);
  DatasetColumns chunk;
  while (reader.read_next(chunk, 1 << 16)) acc.add(chunk);
  DatasetStats s = acc.finish();
  s.has_theoretical_cycles = reader.info().has_theoretical_cycles;
  return s;
}

}  // namespace vpucost
