#include "vpucost/flat_latency.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "vpucost/error.hpp"

namespace vpucost::nas {

FlatLatencyTable::FlatLatencyTable(const LatencyTable& table, double network_terms_ms)
    : fixed_ms_(table.fixed_ms() + network_terms_ms) {
  if (!std::isfinite(network_terms_ms) || network_terms_ms < 0) {
    throw Error("latency table: network terms " + std::to_string(network_terms_ms) +
                " ms are not a finite non-negative number");
  }
  offsets_.push_back(0);
  for (const auto& position : table.blocks) {
    if (position.empty()) throw Error("latency table of '" + table.space + "': empty position");
    for (const LutEntry& e : position) ms_.push_back(e.ms);
    offsets_.push_back(ms_.size());
  }
}

FlatLatencyTable::FlatLatencyTable(double fixed_ms, const std::vector<std::vector<double>>& ms)
    : fixed_ms_(fixed_ms) {
  if (!std::isfinite(fixed_ms) || fixed_ms < 0) {
    throw Error("latency table: fixed latency " + std::to_string(fixed_ms) +
                " ms is not a finite non-negative number");
  }
  offsets_.push_back(0);
  for (std::size_t p = 0; p < ms.size(); ++p) {
    if (ms[p].empty()) throw Error("latency table: position " + std::to_string(p) + " is empty");
    for (std::size_t c = 0; c < ms[p].size(); ++c) {
      if (!std::isfinite(ms[p][c]) || ms[p][c] < 0) {
        throw Error("latency table: position " + std::to_string(p) + " candidate " +
                    std::to_string(c) + " has latency " + std::to_string(ms[p][c]) +
                    " ms (expected a finite non-negative number)");
      }
      ms_.push_back(ms[p][c]);
    }
    offsets_.push_back(ms_.size());
  }
}

void FlatLatencyTable::validate(std::span<const int> arch) const {
  if (arch.size() != positions()) {
    throw Error("architecture has " + std::to_string(arch.size()) + " choices; the space has " +
                std::to_string(positions()) + " positions");
  }
  for (std::size_t p = 0; p < arch.size(); ++p) {
    if (arch[p] < 0 || std::size_t(arch[p]) >= candidates(p)) {
      throw Error("architecture: position " + std::to_string(p) + " has no candidate " +
                  std::to_string(arch[p]) + " (it has " + std::to_string(candidates(p)) + ")");
    }
  }
}

double FlatLatencyTable::checked_latency_ms(std::span<const int> arch) const {
  validate(arch);
  return latency_ms(arch);
}

Architecture FlatLatencyTable::fastest() const {
  Architecture arch(positions(), 0);
  for (std::size_t p = 0; p < positions(); ++p) {
    for (std::size_t c = 1; c < candidates(p); ++c) {
      if (ms(p, c) < ms(p, std::size_t(arch[p]))) arch[p] = int(c);
    }
  }
  return arch;
}

double FlatLatencyTable::max_latency_ms() const {
  double total = fixed_ms_;
  for (std::size_t p = 0; p < positions(); ++p) {
    double slowest = 0.0;
    for (const double v : position_ms(p)) slowest = std::max(slowest, v);
    total += slowest;
  }
  return total;
}

}  // namespace vpucost::nas
