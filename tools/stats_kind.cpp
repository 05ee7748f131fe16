// vpucost stats for SHAVE and DMA recordings (dataset or CSV): rows per
// operation or direction, per data type, tensor sizes, and cycle quantiles
// (numpy's linear interpolation, as the DPU stats), overall and per group.
#include "stats_kind.hpp"

#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "vpucost/dataset_stats.hpp"
#include "vpucost/kind_dataset.hpp"

namespace vpucost::cli {
namespace {

nlohmann::json quantiles_json(const Quantiles& q) {
  return {{"min", q.min}, {"p1", q.p01},  {"p5", q.p05},  {"p25", q.p25}, {"p50", q.p50},
          {"p75", q.p75}, {"p95", q.p95}, {"p99", q.p99}, {"max", q.max}, {"mean", q.mean}};
}

// Rows and cycles of each group, in name order.
struct Groups {
  std::map<std::string, std::vector<double>> cycles;
  void add(const std::string& name, double c) { cycles[name].push_back(c); }
};

template <class Recordings, class GroupOf, class DtypeOf, class BytesOf>
int print_kind_stats(const po::variables_map& vm, const Recordings& data, WorkloadKind kind,
                     const char* group_title, const char* size_name, GroupOf group_of,
                     DtypeOf dtype_of, BytesOf bytes_of) {
  Groups groups;
  std::map<std::string, std::uint64_t> devices, dtypes;
  std::vector<double> bytes;
  for (std::size_t i = 0; i < data.size(); ++i) {
    groups.add(group_of(data.items[i]), data.cycles[i]);
    ++devices[std::string(to_string(data.items[i].device))];
    ++dtypes[std::string(to_string(dtype_of(data.items[i])))];
    bytes.push_back(double(bytes_of(data.items[i])));
  }
  std::vector<double> all = data.cycles;
  const Quantiles cycles = compute_quantiles(all);
  const Quantiles size = compute_quantiles(bytes);
  if (vm.count("json")) {
    nlohmann::json j;
    j["data"] = data.source;
    j["kind"] = std::string(to_string(kind));
    j["rows"] = data.size();
    j["rows_read"] = data.rows_read;
    j["devices"] = devices;
    j["dtypes"] = dtypes;
    j[size_name] = quantiles_json(size);
    j["cycles"] = quantiles_json(cycles);
    for (auto& [name, v] : groups.cycles) {
      j[group_title][name] = {{"rows", v.size()}, {"cycles", quantiles_json(compute_quantiles(v))}};
    }
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "data:     " << data.source << " ("
            << (kind == WorkloadKind::shave ? "SHAVE operations" : "DMA transfers") << ")\n"
            << "rows:     " << data.size() << "\n"
            << "devices: ";
  for (const auto& [name, n] : devices) std::cout << " " << name << " " << n;
  std::cout << "\ndtypes:  ";
  for (const auto& [name, n] : dtypes) std::cout << " " << name << " " << n;
  std::cout << std::fixed << std::setprecision(0) << "\n"
            << std::left << std::setw(10) << (std::string(size_name) + ":") << std::right << "min "
            << size.min << ", median " << size.p50 << ", max " << size.max << "\n\n"
            << std::left << std::setw(16) << group_title << std::right << std::setw(8) << "rows"
            << std::setw(12) << "min" << std::setw(12) << "p5" << std::setw(12) << "median"
            << std::setw(12) << "p95" << std::setw(12) << "max"
            << "   (cycles)\n";
  const auto row = [](const std::string& name, std::size_t n, const Quantiles& q) {
    std::cout << std::left << std::setw(16) << name << std::right << std::setw(8) << n
              << std::setw(12) << q.min << std::setw(12) << q.p05 << std::setw(12) << q.p50
              << std::setw(12) << q.p95 << std::setw(12) << q.max << "\n";
  };
  row("all", data.size(), cycles);
  for (auto& [name, v] : groups.cycles) row(name, v.size(), compute_quantiles(v));
  return 0;
}

}  // namespace

int run_stats_kind(const po::variables_map& vm, const std::filesystem::path& path,
                   WorkloadKind kind) {
  if (kind == WorkloadKind::shave) {
    return print_kind_stats(
        vm, read_shave_recordings(path), kind, "operation", "elements",
        [](const ShaveOperation& s) { return std::string(to_string(s.operation)); },
        [](const ShaveOperation& s) { return s.input.dtype; },
        [](const ShaveOperation& s) { return s.input.width * s.input.height * s.input.channels; });
  }
  return print_kind_stats(
      vm, read_dma_recordings(path), kind, "direction", "bytes",
      [](const DmaTransfer& t) { return std::string(to_string(t.direction)); },
      [](const DmaTransfer& t) { return t.tensor.dtype; },
      [](const DmaTransfer& t) { return transfer_bytes(t); });
}

}  // namespace vpucost::cli
