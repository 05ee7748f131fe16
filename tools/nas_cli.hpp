#pragma once
// What the nas commands (nas, nas-space, nas-export) share: the search space
// and its latency table from the command line, output checks, number text.
// Header-only so that each command stays one source file.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "command.hpp"
#include "network_cli.hpp"
#include "vpucost/error.hpp"
#include "vpucost/flat_latency.hpp"
#include "vpucost/lut.hpp"
#include "vpucost/net_config.hpp"
#include "vpucost/network_cost.hpp"
#include "vpucost/network_report.hpp"
#include "vpucost/search_space_json.hpp"
#include "vpucost/sr_network.hpp"

namespace vpucost::cli {

inline void add_space_options(po::options_description& options) {
  // clang-format off
  options.add_options()
      ("space", po::value<std::string>()->default_value("proxyless"),
       "proxyless, mobilenetv2, ofa-mbv3 (needs --shave-model), hurricane, sr-edsr (super-resolution "
       "x2 at 360x640; needs --shave-model), or a search-space JSON file (e.g. from nas-space)")
      ("resolution", po::value<int>()->default_value(224),
       "input resolution (sr-edsr: the input height, default 360)");
  // clang-format on
}

struct NasSetup {
  SearchSpace space;
  CostingSetup costing;
  int resolution = 224;
};

/// A super-resolution space's resolution is its input height: left at the
/// default, it is the space's own (360 for sr-edsr), not 224.
inline int space_default_resolution(const SearchSpace& space, int fallback) {
  return space.family == SpaceFamily::SuperResolution ? space.input_height : fallback;
}

/// Throws vpucost::Error unless the space can be costed at `resolution`
/// (an SR space needs a whole width at its aspect).
inline void check_space_resolution(const SearchSpace& space, int resolution) {
  check_resolution(resolution);
  if (space.family == SpaceFamily::SuperResolution) sr_input_width(space, resolution);
}

/// Drops the candidates the device's SHAVE model has no kernel for
/// (drop_candidates_without_kernel) and says so on stderr, one line each:
/// the space searched is then smaller than the one named.
inline void drop_unrunnable(SearchSpace& space, int resolution, const NetworkCoster& coster,
                            const char* command) {
  if (!coster.has_shave_model() || !runs_on_shave(space)) return;
  // One line per candidate and reason, with the positions it was left out at.
  std::map<std::pair<std::string, std::string>, std::string> positions;
  for (const DroppedCandidate& d : drop_candidates_without_kernel(space, resolution, coster)) {
    std::string& list = positions[{d.name, d.why}];
    list += (list.empty() ? "" : ",") + std::to_string(d.position);
  }
  for (const auto& [what, where] : positions) {
    std::cerr << command << ": note: " << what.first << " left out of space '" << space.name
              << "' on " << to_string(coster.device()) << " (positions " << where
              << "): " << what.second << "\n";
  }
}

inline NasSetup nas_setup(const po::variables_map& vm, const char* command = "nas") {
  NasSetup s;
  s.space = load_space_by_name_or_file(vm["space"].as<std::string>());
  s.resolution = vm["resolution"].defaulted()
                     ? space_default_resolution(s.space, vm["resolution"].as<int>())
                     : vm["resolution"].as<int>();
  check_space_resolution(s.space, s.resolution);
  s.costing = costing_setup(vm);
  drop_unrunnable(s.space, s.resolution, s.costing.table_coster(), command);
  return s;
}

/// The latency table of the setup's space (one batched predictor query).
inline LatencyTable nas_table(const NasSetup& s) {
  const NetworkCoster coster = s.costing.table_coster();
  return build_latency_table(s.space, s.resolution, coster);
}

// A net config's latency exactly as `vpucost net` computes it: every layer
// costed in one batch, SHAVE steps added, cycles summed in order, then
// converted to milliseconds. In device mode the network in order: each
// weight fetch behind the node before it, the input fetched, the output
// spilled (network_report).
inline double net_latency_ms(const NetConfig& config, const NasSetup& setup) {
  const std::vector<NetPart> parts = net_parts(config, setup.resolution);
  if (setup.costing.mode == LatencyMode::device) {
    const NetworkCoster coster = setup.costing.coster();
    return coster.milliseconds(network_report(parts, coster, LatencyMode::device,
                                              setup.costing.shave.get(), setup.costing.dma_model())
                                   .cycles);
  }
  const NetworkCoster coster = setup.costing.table_coster();
  return coster.milliseconds(parts_cycles(parts, coster));
}

// What a whole network costs in device mode beyond its table entries: its
// input fetched, its output spilled, its first layer's weights fetched with
// nothing before to hide behind (an entry hides its first fetch behind its
// own last node). Those do not depend on the blocks chosen; where a block's
// first fetch hides (behind the block before it, not its own last node)
// does, a little. Measured on the space's fastest architecture; 0 in the
// other modes. `nas` adds it to every sum and checks its winner as a whole
// network; `nas-export` adds it to the fixed latency.
inline double network_terms_ms(const NasSetup& setup, const LatencyTable& table) {
  if (setup.costing.mode != LatencyMode::device) return 0.0;
  const Architecture fastest = nas::FlatLatencyTable(table).fastest();
  const double net =
      net_latency_ms(net_config_from_architecture(setup.space, fastest, setup.resolution), setup);
  return std::max(0.0, net - table.latency_ms(fastest));
}

inline std::string fixed_text(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

}  // namespace vpucost::cli
