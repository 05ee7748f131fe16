#pragma once
// The error table of `vpucost eval`, shared by every kind of model: one row
// per group (all, each operation, ...) with MAPE, median APE and the shares
// within 10% and 25%, as text or JSON.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "vpucost/evaluation.hpp"

namespace vpucost::cli {

inline nlohmann::json to_json(const ErrorSummary& s) {
  return {{"n", s.n},
          {"mape", s.mape},
          {"median_ape", s.median_ape},
          {"within_10", s.within_10},
          {"within_25", s.within_25}};
}

inline std::string pct(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * fraction);
  return buf;
}

/// Indices of the `n` largest errors, largest first (on a tie, file order).
inline std::vector<std::size_t> worst_first(std::span<const double> ape, std::size_t n) {
  std::vector<std::size_t> order(ape.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  n = std::min(n, order.size());
  std::partial_sort(
      order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(),
      [&](std::size_t a, std::size_t b) { return ape[a] > ape[b] || (ape[a] == ape[b] && a < b); });
  order.resize(n);
  return order;
}

/// The table's header line; `first` names the groups ("operation", "group").
inline void print_table_header(const std::string& first) {
  std::cout << std::left << std::setw(16) << first << std::right << std::setw(8) << "rows"
            << std::setw(10) << "MAPE" << std::setw(12) << "median APE" << std::setw(13)
            << "within 10%" << std::setw(13) << "within 25%"
            << "\n";
}

/// The worst predictions (`order` from worst_first) as JSON, each row named
/// by name(i) under the key `label` ("operation", "transfer").
template <class Name>
nlohmann::json worst_json(const std::vector<std::size_t>& order, std::span<const double> ape,
                          std::span<const double> truth, std::span<const double> predicted,
                          Name name, const std::string& label) {
  nlohmann::json out = nlohmann::json::array();
  for (const std::size_t i : order) {
    out.push_back({{label, name(i)},
                   {"true_cycles", truth[i]},
                   {"predicted_cycles", predicted[i]},
                   {"ape", ape[i]}});
  }
  return out;
}

/// The same as text lines after a blank line, nothing when `order` is empty.
template <class Name>
void print_worst(const std::vector<std::size_t>& order, std::span<const double> ape,
                 std::span<const double> truth, std::span<const double> predicted, Name name,
                 const std::string& label) {
  if (order.empty()) return;
  std::cout << "\n"
            << order.size() << " worst predictions:\n"
            << std::right << std::setw(9) << "APE" << std::setw(12) << "true" << std::setw(12)
            << "predicted"
            << "  " << label << "\n";
  for (const std::size_t i : order) {
    std::cout << std::setw(9) << pct(ape[i]) << std::setw(12) << std::llround(truth[i])
              << std::setw(12) << std::llround(predicted[i]) << "  " << name(i) << "\n";
  }
}

inline void print_row(const std::string& name, const ErrorSummary& s) {
  std::cout << std::left << std::setw(16) << name << std::right << std::setw(8) << s.n
            << std::setw(10) << pct(s.mape) << std::setw(12) << pct(s.median_ape) << std::setw(13)
            << pct(s.within_10) << std::setw(13) << pct(s.within_25) << "\n";
}

}  // namespace vpucost::cli
