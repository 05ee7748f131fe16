#pragma once
// The NAS inner loop's latency table: one flat array of milliseconds, indexed
// by per-position offsets. An architecture's latency is the fixed latency
// (stem, feature mix, logits) plus one load per position, with no validation
// on the fast path. Built from a costmodel LatencyTable (the numbers are
// the table's own, summed in the same order as LatencyTable::latency_ms, so
// both give bit-identical results), or from raw numbers (tests, synthetic
// spaces).
#include <cstddef>
#include <span>
#include <vector>

#include "vpucost/lut.hpp"
#include "vpucost/search_space.hpp"

namespace vpucost::nas {

class FlatLatencyTable {
 public:
  FlatLatencyTable() = default;
  /// `network_terms_ms` is added to the table's fixed latency: what a whole
  /// network costs beyond its entries (device mode: its input fetch, output
  /// spill and first weight fetch; 0 in the other modes).
  explicit FlatLatencyTable(const LatencyTable& table, double network_terms_ms = 0.0);
  /// `ms[p][c]`: latency of candidate c at position p. Throws vpucost::Error
  /// on an empty position or a negative or non-finite number.
  FlatLatencyTable(double fixed_ms, const std::vector<std::vector<double>>& ms);

  std::size_t positions() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  std::size_t candidates(std::size_t position) const {
    return offsets_[position + 1] - offsets_[position];
  }
  double fixed_ms() const { return fixed_ms_; }
  /// Latency of candidate c at position p (unchecked).
  double ms(std::size_t position, std::size_t candidate) const {
    return ms_[offsets_[position] + candidate];
  }
  std::span<const double> position_ms(std::size_t position) const {
    return {ms_.data() + offsets_[position], candidates(position)};
  }

  /// fixed_ms() + the chosen entry at every position. `arch` must be valid
  /// (one index per position, each in range): not checked.
  double latency_ms(std::span<const int> arch) const {
    double total = fixed_ms_;
    const double* ms = ms_.data();
    const std::size_t* offset = offsets_.data();
    for (std::size_t p = 0; p < arch.size(); ++p) total += ms[offset[p] + std::size_t(arch[p])];
    return total;
  }
  /// latency_ms after checking `arch` (throws vpucost::Error naming the position).
  double checked_latency_ms(std::span<const int> arch) const;
  void validate(std::span<const int> arch) const;

  /// The fastest architecture (the first fastest candidate at each position)
  /// and its latency: no architecture of the space is faster.
  Architecture fastest() const;
  double min_latency_ms() const { return latency_ms(fastest()); }
  /// The slowest architecture's latency.
  double max_latency_ms() const;

 private:
  double fixed_ms_ = 0.0;
  std::vector<double> ms_;
  std::vector<std::size_t> offsets_;  // positions + 1 entries
};

}  // namespace vpucost::nas
