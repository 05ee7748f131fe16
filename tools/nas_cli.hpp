#pragma once
// What the nas commands (nas, nas-space, nas-export) share: the search space
// and its latency table from the command line, output checks, number text.
// Header-only so that each command stays one source file.
#include <cstdio>
#include <filesystem>
#include <string>

#include "command.hpp"
#include "network_cli.hpp"
#include "vpucost/error.hpp"
#include "vpucost/lut.hpp"
#include "vpucost/network_cost.hpp"
#include "vpucost/search_space_json.hpp"

namespace vpucost::cli {

inline void add_space_options(po::options_description& options) {
  // clang-format off
  options.add_options()
      ("space", po::value<std::string>()->default_value("proxyless"),
       "proxyless, mobilenetv2, ofa-mbv3 (needs --shave-model), or a search-space JSON file (e.g. from nas-space)")
      ("resolution", po::value<int>()->default_value(224), "input resolution");
  // clang-format on
}

struct NasSetup {
  SearchSpace space;
  CostingSetup costing;
  int resolution = 224;
};

inline NasSetup nas_setup(const po::variables_map& vm) {
  NasSetup s;
  s.resolution = vm["resolution"].as<int>();
  check_resolution(s.resolution);
  s.space = load_space_by_name_or_file(vm["space"].as<std::string>());
  s.costing = costing_setup(vm);
  return s;
}

/// The latency table of the setup's space (one batched predictor query).
inline LatencyTable nas_table(const NasSetup& s) {
  const NetworkCoster coster = s.costing.table_coster();
  return build_latency_table(s.space, s.resolution, coster);
}

/// Refuses an output file that cannot be written, before any work is done.
inline void check_output_file(const std::string& option, const std::filesystem::path& out) {
  if (std::filesystem::is_directory(out)) {
    throw Error("--" + option + " " + out.string() + " is a directory; give a file name");
  }
  const std::filesystem::path dir = out.parent_path().empty() ? "." : out.parent_path();
  if (!std::filesystem::is_directory(dir)) {
    throw Error("--" + option + " " + out.string() + ": directory " + dir.string() +
                " does not exist");
  }
}

inline std::string fixed_text(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

}  // namespace vpucost::cli
