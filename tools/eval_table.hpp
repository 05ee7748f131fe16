#pragma once
// The error table of `vpucost eval`, shared by every kind of model: one row
// per group (all, each operation, ...) with MAPE, median APE and the shares
// within 10% and 25%, as text or JSON.
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

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

inline void print_row(const std::string& name, const ErrorSummary& s) {
  std::cout << std::left << std::setw(16) << name << std::right << std::setw(8) << s.n
            << std::setw(10) << pct(s.mape) << std::setw(12) << pct(s.median_ape) << std::setw(13)
            << pct(s.within_10) << std::setw(13) << pct(s.within_25) << "\n";
}

}  // namespace vpucost::cli
