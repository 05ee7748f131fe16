// vpucost nas-export: the per-block latency table (and, given architecture
// parameters, the expected latency and its gradient) as JSON for a PyTorch
// training loop (format: nas/README.md).
#include <cstdio>
#include <iostream>

#include "command.hpp"
#include "nas_cli.hpp"
#include "vpucost/arch_export.hpp"
#include "vpucost/atomic_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/flat_latency.hpp"

namespace vpucost::cli {

int run_nas_export(const std::vector<std::string>& args) {
  using namespace vpucost::nas;
  po::options_description options("nas-export options");
  add_costing_options(options);
  add_space_options(options);
  // clang-format off
  options.add_options()
      ("alpha", po::value<std::string>(),
       "architecture parameters JSON ([[...], ...] or {\"alphas\": ...}, one number per "
       "candidate): adds E[lat] and its gradient")
      ("out", po::value<std::string>(), "output JSON file ('-' for stdout)")
      ("quiet", "no summary line on stderr");
  // clang-format on
  po::variables_map vm;
  if (!parse_options("nas-export",
                     "[--model M.h5 | --device D] [--space proxyless] [--resolution 224] "
                     "[--alpha alphas.json] --out lut.json",
                     options, args, vm)) {
    return 0;
  }
  if (!vm.count("out")) throw Error("--out lut.json is required ('-' for stdout)");
  require_outputs_apart(vm, {"out"});
  const std::string out = vm["out"].as<std::string>();
  if (out != "-") require_writable("--out", out);
  ArchParams alpha;
  if (vm.count("alpha")) alpha = load_arch_params(vm["alpha"].as<std::string>());
  const NasSetup setup = nas_setup(vm, "nas-export");
  const LatencyTable table = nas_table(setup);
  if (vm.count("alpha")) {
    try {
      check_shape(FlatLatencyTable(table), alpha);
    } catch (const Error& e) {
      throw Error(vm["alpha"].as<std::string>() + ": " + e.what() + " (space '" + setup.space.name +
                  "')");
    }
  }
  const double network_terms = network_terms_ms(setup, table);
  const std::string json =
      nas_lut_json(setup.space, table, vm.count("alpha") ? &alpha : nullptr, network_terms);
  if (out == "-") {
    std::cout << json;
  } else {
    write_file_atomically(out, json);
  }
  if (!vm.count("quiet")) {
    std::fprintf(
        stderr, "nas-export: %s, %zu positions, fixed %.4f ms%s%s\n",
        out == "-" ? "stdout" : out.c_str(), table.blocks.size(), table.fixed_ms() + network_terms,
        network_terms > 0 ? " (the network's own input, output and first fetch included)" : "",
        vm.count("alpha") ? ", with E[lat] and its gradient" : "");
  }
  return 0;
}

}  // namespace vpucost::cli
