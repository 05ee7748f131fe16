// vpucost advise: the papers' design rules for VPUs, each measured as a ratio
// on this device's models (network/include/vpucost/design_advice.hpp).
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "network_cli.hpp"
#include "vpucost/design_advice.hpp"
#include "vpucost/error.hpp"

namespace vpucost::cli {
namespace {

nlohmann::ordered_json part_json(const NetPart& part) {
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (const Layer& l : part.layers) {
    layers.push_back({{"name", l.name},
                      {"kind", std::string(to_string(l.kind))},
                      {"input", {l.in_width, l.in_height, l.in_channels}},
                      {"output", {l.out_width(), l.out_height(), l.out_channels}},
                      {"kernel", l.kernel_w},
                      {"stride", l.stride}});
  }
  nlohmann::ordered_json shave = nlohmann::ordered_json::array();
  for (const ShaveStep& s : part.shave) {
    shave.push_back({{"name", s.name},
                     {"operation", std::string(to_string(s.op))},
                     {"shape", {s.width, s.height, s.channels}}});
  }
  return {{"key", part.key}, {"layers", layers}, {"shave", shave}};
}

}  // namespace

int run_advise(const std::vector<std::string>& args) {
  po::options_description options("advise options");
  add_costing_options(options);
  options.add_options()("json", "print the rules, their measurements and layers as JSON");
  po::variables_map vm;
  if (!parse_options("advise",
                     "--model M.h5 [--shave-model S.h5] [--dma-model D.h5] [--dtype UINT8] "
                     "[--json]",
                     options, args, vm)) {
    return 0;
  }
  if (!vm["mode"].defaulted() || vm.count("dpu-only")) {
    throw Error(
        "advise measures each rule in the modes it is about (compute; ddr for "
        "large_kernel and separable_stream): --mode and --dpu-only do not apply");
  }
  CostingSetup setup = costing_setup(vm);
  setup.mode = LatencyMode::compute;
  const NetworkCoster compute = setup.table_coster();
  setup.mode = LatencyMode::ddr;
  const NetworkCoster ddr = setup.table_coster();
  const std::vector<AdviceRule> rules = design_advice(compute, ddr);

  if (!vm.count("json")) {
    std::cout << advice_markdown(rules, compute);
    return 0;
  }
  nlohmann::ordered_json j{{"device", std::string(to_string(setup.device))},
                           {"dtype", std::string(to_string(setup.dtype))},
                           {"source", std::string(setup.loaded.predictor->source())},
                           {"rules", nlohmann::ordered_json::array()}};
  for (const AdviceRule& r : rules) {
    nlohmann::ordered_json rule{{"id", r.id},
                                {"statement", r.statement},
                                {"ratio_of", r.ratio_of},
                                {"measured", r.measured},
                                {"holds", r.holds},
                                {"summary", r.summary},
                                {"summary_of", r.summary_of},
                                {"verdict", r.verdict},
                                {"measurements", nlohmann::ordered_json::array()}};
    for (const AdviceMeasurement& m : r.measurements) {
      nlohmann::ordered_json mj{{"where", m.where},       {"ratio", m.ratio()},
                                {"a_cycles", m.a_cycles}, {"b_cycles", m.b_cycles},
                                {"a", part_json(m.a)},    {"b", part_json(m.b)}};
      if (m.compute_ratio > 0) mj["compute_ratio"] = m.compute_ratio;
      rule["measurements"].push_back(std::move(mj));
    }
    j["rules"].push_back(std::move(rule));
  }
  std::cout << j.dump(1) << "\n";
  return 0;
}

}  // namespace vpucost::cli
