// vpucost lut: latency look-up tables of a search space for NAS tools.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>

#include "command.hpp"
#include "nas_cli.hpp"
#include "network_cli.hpp"
#include "vpucost/atomic_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/lut_report.hpp"
#include "vpucost/lut_writers.hpp"
#include "vpucost/recording_predictor.hpp"
#include "vpucost/search_space_json.hpp"

namespace vpucost::cli {
namespace {

enum class LutFormat { ProxylessYaml, Csv, Json };

LutFormat parse_format(const std::string& text) {
  if (text == "proxyless-yaml" || text == "yaml") return LutFormat::ProxylessYaml;
  if (text == "csv") return LutFormat::Csv;
  if (text == "json") return LutFormat::Json;
  throw Error("--format '" + text + "' is not proxyless-yaml, csv or json");
}

// Refuses an --out that cannot be written before any work is done.
void check_out(const std::filesystem::path& out, LutFormat format, std::size_t resolutions) {
  if (format == LutFormat::ProxylessYaml && resolutions > 1) {
    if (!std::filesystem::is_directory(out)) {
      throw Error("--out " + out.string() +
                  ": with several resolutions, --out must be an existing directory (one "
                  "<resolution>_lookup_table.yaml per resolution)");
    }
    return;
  }
  if (format == LutFormat::ProxylessYaml && std::filesystem::is_directory(out)) {
    return;  // <dir>/<resolution>_lookup_table.yaml
  }
  require_writable("--out", out);
}

// YAML: one file per resolution, as once-for-all loads them
// (<dir>/<resolution>_lookup_table.yaml); with one resolution --out may name
// the file itself. CSV and JSON: one file with every resolution.
void write_tables(const std::vector<LatencyTable>& tables, LutFormat format,
                  const std::filesystem::path& out) {
  if (format == LutFormat::Csv) return write_file_atomically(out, lut_csv(tables));
  if (format == LutFormat::Json) return write_file_atomically(out, lut_json(tables));
  if (tables.size() == 1 && !std::filesystem::is_directory(out)) {
    return write_file_atomically(out, proxyless_yaml(tables.front()));
  }
  for (const LatencyTable& t : tables) {
    write_file_atomically(out / ofa_lut_file_name(t.resolution), proxyless_yaml(t));
  }
}

}  // namespace

int run_lut(const std::vector<std::string>& args) {
  po::options_description options("lut options");
  add_costing_options(options);
  // clang-format off
  options.add_options()
      ("space", po::value<std::string>()->default_value("proxyless"),
       "proxyless, mobilenetv2, ofa-mbv3 (once-for-all's MobileNetV3; needs --shave-model), hurricane, "
       "sr-edsr (super-resolution x2; needs --shave-model), or a search-space JSON file")
      ("resolution", po::value<std::string>()->default_value("224"),
       "input resolution(s), e.g. 224 or 160,176,192,208,224 (sr-edsr: input height, default 360)")
      ("format", po::value<std::string>()->default_value("proxyless-yaml"),
       "proxyless-yaml (what ProxylessNAS / once-for-all read), csv or json")
      ("out", po::value<std::string>(),
       "output file (a directory for YAML with several resolutions)")
      ("emit-workloads", po::value<std::string>(),
       "write the distinct DPU workloads the tables cost as a recording CSV without cycles: "
       "what to profile on a chip (add a cycles column, then vpucost import)")
      ("emit-queried", po::value<std::string>(),
       "write every distinct DPU workload the costing asks the model about (all strategies, "
       "splits and modes it compares): the labels that build these tables from measurements "
       "alone")
      ("emit-dma", po::value<std::string>(),
       "write every distinct DMA transfer the costing asks the DMA model about (ddr mode: each "
       "layer's weights, input and output; streamed layers' slices; SR's DMA copies) as a DMA "
       "recording CSV without cycles")
      ("emit-shave", po::value<std::string>(),
       "write the distinct SHAVE operations the tables cost as a SHAVE recording CSV without "
       "cycles (MobileNetV3's h-swish and SE, SR's PReLU and upsamplers)")
      ("report", "print the design-rule report: kernel/expand and channel-count costs per stage")
      ("save-space", po::value<std::string>(),
       "write the search space as user-space JSON (to edit or reduce it)")
      ("quiet", "no progress messages");
  // clang-format on
  po::variables_map vm;
  if (!parse_options("lut",
                     "[--model M.h5 | --device D] [--space proxyless] [--resolution 224] "
                     "[--format proxyless-yaml|csv|json] --out FILE [--report] [--save-space FILE] "
                     "[--emit-workloads FILE]",
                     options, args, vm)) {
    return 0;
  }
  if (!vm.count("out") && !vm.count("report") && !vm.count("save-space") &&
      !vm.count("emit-workloads") && !vm.count("emit-shave") && !vm.count("emit-dma")) {
    throw Error("--out FILE is required (or --report to print the design-rule report)");
  }
  require_outputs_apart(
      vm, {"out", "save-space", "emit-workloads", "emit-queried", "emit-dma", "emit-shave"});
  const LutFormat format = parse_format(vm["format"].as<std::string>());
  SearchSpace space = load_space_by_name_or_file(vm["space"].as<std::string>());
  const std::vector<int> resolutions =
      vm["resolution"].defaulted() && space.family == SpaceFamily::SuperResolution
          ? std::vector<int>{space.input_height}
          : parse_resolutions(vm["resolution"].as<std::string>());
  for (const int r : resolutions) check_space_resolution(space, r);
  if (vm.count("out")) check_out(vm["out"].as<std::string>(), format, resolutions.size());
  for (const char* emit : {"emit-workloads", "emit-shave", "emit-dma", "emit-queried"}) {
    if (vm.count(emit)) require_writable(std::string("--") + emit, vm[emit].as<std::string>());
  }
  if (vm.count("save-space")) {
    require_writable("--save-space", vm["save-space"].as<std::string>());
    if (!vm.count("out") && !vm.count("report") && !vm.count("emit-workloads") &&
        !vm.count("emit-shave") && !vm.count("emit-queried") && !vm.count("emit-dma")) {
      save_search_space(space, vm["save-space"].as<std::string>());
      return 0;
    }
  }
  const CostingSetup setup = costing_setup(vm);
  // With --emit-queried, every workload the costing asks is recorded on the way.
  const RecordingPredictor recorder(*setup.loaded.predictor);
  DmaQueryRecorder dma_recorder;
  const DmaModel recorded_dma = dma_recorder.recording(setup.dma_model());
  const NetworkCoster coster = setup.table_coster(vm.count("emit-queried") ? &recorder : nullptr,
                                                  vm.count("emit-dma") ? &recorded_dma : nullptr);
  const std::optional<SearchSpace> named =
      vm.count("save-space") ? std::optional(space) : std::nullopt;
  for (const int r : resolutions) drop_unrunnable(space, r, coster, "lut");

  const bool quiet = vm.count("quiet") > 0;
  const auto start = std::chrono::steady_clock::now();
  const auto progress = [&](std::size_t done, std::size_t total, int resolution) {
    if (quiet) return;
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::cerr << "lut: resolution " << resolution << " done (" << done << "/" << total << ", "
              << static_cast<long long>(ms) << " ms)\n";
  };
  const std::vector<LatencyTable> tables =
      build_latency_tables(space, resolutions, coster, progress);
  // Written once the tables are built, so that a costing that fails leaves
  // no file: the space as named, before drop_unrunnable.
  if (vm.count("save-space")) save_search_space(*named, vm["save-space"].as<std::string>());

  if (vm.count("out")) {
    const std::filesystem::path out = vm["out"].as<std::string>();
    write_tables(tables, format, out);
    if (!quiet) {
      std::cerr << "lut: wrote " << out.string() << " (space " << space.name << ", "
                << to_string(setup.device) << " " << to_string(setup.dtype) << ", "
                << setup.describe() << ")\n";
    }
  }
  // The lists of what to profile: a CSV each, with its row count on stderr.
  const auto emit = [&](const char* option, const std::string& csv, const char* what) {
    const std::string path = vm[option].as<std::string>();
    write_file_atomically(path, csv);
    if (!quiet) {
      std::cerr << "lut: wrote " << path << " (" << std::count(csv.begin(), csv.end(), '\n') - 1
                << " " << what << ")\n";
    }
  };
  if (vm.count("emit-workloads")) {
    emit("emit-workloads", lut_workloads_csv(tables), "distinct DPU workloads");
  }
  if (vm.count("emit-queried")) {
    emit("emit-queried", workloads_csv(recorder.queried()),
         "distinct DPU workloads the costing asked about");
  }
  if (vm.count("emit-shave")) {
    emit("emit-shave", lut_shave_operations_csv(tables), "distinct SHAVE operations");
  }
  if (vm.count("emit-dma")) {
    emit("emit-dma", dma_transfers_csv(dma_recorder.queried()),
         "distinct DMA transfers the costing asked about");
  }
  if (vm.count("report")) {
    for (const LatencyTable& t : tables) {
      std::cout << format_design_report(design_report(space, t, coster)) << "\n";
    }
  }
  return 0;
}

}  // namespace vpucost::cli
