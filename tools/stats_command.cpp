// vpucost stats: what a dataset holds (counts per category, value ranges,
// cycle quantiles), as a table or JSON.
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "command.hpp"
#include "dataset_cli.hpp"
#include "stats_kind.hpp"
#include "vpucost/dataset_file.hpp"
#include "vpucost/dataset_stats.hpp"
#include "vpucost/kind_dataset.hpp"

namespace vpucost::cli {
namespace {

template <class E, std::size_t N>
nlohmann::json counts_json(const std::array<std::uint64_t, N>& counts) {
  nlohmann::json j = nlohmann::json::object();
  for (std::size_t i = 0; i < N; ++i) j[std::string(EnumInfo<E>::names[i])] = counts[i];
  return j;
}

nlohmann::json quantiles_json(const Quantiles& q) {
  return {{"min", q.min}, {"p01", q.p01}, {"p05", q.p05}, {"p25", q.p25}, {"p50", q.p50},
          {"p75", q.p75}, {"p95", q.p95}, {"p99", q.p99}, {"max", q.max}, {"mean", q.mean}};
}

nlohmann::json stats_json(const std::string& file, const DatasetStats& s,
                          const std::optional<DatasetInfo>& info) {
  nlohmann::json j;
  j["file"] = file;
  j["rows"] = s.rows;
  j["distinct_descriptors"] = s.distinct_descriptors;
  j["duplicates"] = s.duplicates;
  j["devices"] = counts_json<Device>(s.per_device);
  j["operations"] = counts_json<Operation>(s.per_operation);
  j["execution_modes"] = counts_json<ExecutionMode>(s.per_mode);
  j["input_dtypes"] = counts_json<DType>(s.per_input_dtype);
  j["output_dtypes"] = counts_json<DType>(s.per_output_dtype);
  nlohmann::json by_device = nlohmann::json::object();
  for (std::size_t d = 0; d < s.per_device.size(); ++d) {
    if (s.per_device[d] > 0) {
      by_device[std::string(EnumInfo<Device>::names[d])] =
          counts_json<Operation>(s.per_device_operation[d]);
    }
  }
  j["device_operations"] = by_device;
  j["activation_functions"] = counts_json<ActivationFunction>(s.per_activation);
  j["isi_strategies"] = counts_json<IsiStrategy>(s.per_isi_strategy);
  j["output_broadcast"] = s.output_broadcast;
  const auto sparsity = [&](std::uint64_t rows, const std::optional<Quantiles>& rates) {
    return nlohmann::json{{"rows", rows},
                          {"rates", rates ? quantiles_json(*rates) : nlohmann::json()}};
  };
  j["input_sparsity"] = sparsity(s.input_sparse, s.input_sparsity);
  j["weight_sparsity"] = sparsity(s.weight_sparse, s.weight_sparsity);
  j["both_sparse"] = s.both_sparse;
  nlohmann::json ranges = nlohmann::json::object();
  for (const auto& r : s.ranges)
    ranges[std::string(column_name(r.column))] = {{"min", r.min}, {"max", r.max}};
  j["ranges"] = ranges;
  j["cycles"] = s.cycles ? quantiles_json(*s.cycles) : nlohmann::json();
  nlohmann::json per_device = nlohmann::json::object();
  for (std::size_t d = 0; d < s.cycles_per_device.size(); ++d) {
    if (s.cycles_per_device[d]) {
      per_device[std::string(EnumInfo<Device>::names[d])] = quantiles_json(*s.cycles_per_device[d]);
    }
  }
  j["cycles_per_device"] = per_device;
  j["theoretical_cycles"] = s.has_theoretical_cycles
                                ? nlohmann::json{{"missing", s.theoretical_missing}}
                                : nlohmann::json();
  if (info) {
    j["schema_version"] = info->schema_version;
    j["source_file"] = info->source_file;
    j["created"] = info->created;
    j["checksum"] = info->checksum;
  }
  return j;
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
  char text[16];
  std::snprintf(text, sizeof text, "%5.1f%%", whole ? 100.0 * double(part) / double(whole) : 0.0);
  return text;
}

template <class E, std::size_t N>
void print_counts(std::ostream& out, const char* title, const std::array<std::uint64_t, N>& counts,
                  std::uint64_t rows) {
  out << title << "\n";
  for (std::size_t i = 0; i < N; ++i) {
    if (counts[i] == 0) continue;
    out << "  " << std::left << std::setw(16) << EnumInfo<E>::names[i] << std::right
        << std::setw(10) << counts[i] << "  " << percent(counts[i], rows) << "\n";
  }
}

void print_quantile_row(std::ostream& out, const std::string& label, const Quantiles& q) {
  out << "  " << std::left << std::setw(9) << label << std::right;
  for (double v : {q.min, q.p01, q.p05, q.p25, q.p50, q.p75, q.p95, q.p99, q.max, q.mean}) {
    out << std::setw(11) << std::fixed << std::setprecision(0) << v;
  }
  out << "\n";
}

void print_stats(std::ostream& out, const std::string& file, const DatasetStats& s,
                 const std::optional<DatasetInfo>& info) {
  out << "dataset:  " << file << "\n";
  if (info) {
    out << "source:   " << info->source_file << " (created " << info->created << ", schema "
        << info->schema_version << ", " << info->checksum << ")\n";
  }
  out << "rows:     " << s.rows << "  (" << s.distinct_descriptors << " distinct descriptors, "
      << s.duplicates << " duplicates)\n\n";
  if (s.rows == 0) return;

  out << "rows per device and operation\n  " << std::left << std::setw(9) << "" << std::right;
  for (const auto name : EnumInfo<Operation>::names) out << std::setw(16) << name;
  out << std::setw(10) << "total"
      << "\n";
  for (std::size_t d = 0; d < s.per_device.size(); ++d) {
    if (s.per_device[d] == 0) continue;
    out << "  " << std::left << std::setw(9) << EnumInfo<Device>::names[d] << std::right;
    for (const auto n : s.per_device_operation[d]) out << std::setw(16) << n;
    out << std::setw(10) << s.per_device[d] << "\n";
  }
  out << "\n";
  print_counts<Operation>(out, "rows per operation", s.per_operation, s.rows);
  print_counts<ExecutionMode>(out, "rows per execution mode", s.per_mode, s.rows);
  print_counts<DType>(out, "rows per input dtype", s.per_input_dtype, s.rows);
  print_counts<DType>(out, "rows per output dtype", s.per_output_dtype, s.rows);
  print_counts<ActivationFunction>(out, "rows per activation function", s.per_activation, s.rows);
  print_counts<IsiStrategy>(out, "rows per ISI strategy", s.per_isi_strategy, s.rows);
  out << "output written to > 1 tile  " << std::setw(8) << s.output_broadcast << "  "
      << percent(s.output_broadcast, s.rows) << "\n";
  out << "sparsity (rows, then the non-zero rates: min / p5 / p50 / p95 / max)\n";
  const auto sparse_row = [&](const char* label, std::uint64_t rows,
                              const std::optional<Quantiles>& q) {
    out << "  " << std::left << std::setw(14) << label << std::right << std::setw(10) << rows
        << "  " << percent(rows, s.rows);
    if (q) {
      out << std::fixed << std::setprecision(3) << "   " << q->min << " / " << q->p05 << " / "
          << q->p50 << " / " << q->p95 << " / " << q->max;
    }
    out << "\n";
  };
  sparse_row("input", s.input_sparse, s.input_sparsity);
  sparse_row("weight", s.weight_sparse, s.weight_sparsity);
  sparse_row("both", s.both_sparse, std::nullopt);

  out << "\nvalue ranges\n";
  for (const auto& r : s.ranges) {
    out << "  " << std::left << std::setw(18) << column_name(r.column) << std::right << std::setw(8)
        << r.min << " .. " << r.max << "\n";
  }
  out << "\ncycles\n  " << std::setw(9) << "";
  for (const char* h : {"min", "p1", "p5", "p25", "p50", "p75", "p95", "p99", "max", "mean"}) {
    out << std::setw(11) << h;
  }
  out << "\n";
  if (s.cycles) print_quantile_row(out, "all", *s.cycles);
  for (std::size_t d = 0; d < s.cycles_per_device.size(); ++d) {
    if (s.cycles_per_device[d]) {
      print_quantile_row(out, std::string(EnumInfo<Device>::names[d]), *s.cycles_per_device[d]);
    }
  }
  if (s.has_theoretical_cycles) {
    out << "\ntheoretical_cycles: present, missing in " << s.theoretical_missing << " rows ("
        << percent(s.theoretical_missing, s.rows) << ")\n";
  }
}

}  // namespace

int run_stats(const std::vector<std::string>& args) {
  po::options_description options("stats options");
  options.add_options()("data", po::value<std::string>()->required(),
                        "dataset (.h5, or a recording .csv)")("json", "print one JSON object");
  po::positional_options_description positional;
  positional.add("data", 1);
  po::variables_map vm;
  if (!parse_options("stats", "D.h5 [--json]", options, args, vm, &positional)) return 0;
  const std::filesystem::path path = vm["data"].as<std::string>();
  // A pipe's header is not read twice: only regular files are told apart by kind.
  if (const WorkloadKind kind = !std::filesystem::is_regular_file(path) ? WorkloadKind::dpu
                                : is_csv_path(path)                     ? recording_kind(path)
                                                                        : dataset_kind(path);
      kind != WorkloadKind::dpu) {
    return run_stats_kind(vm, path, kind);
  }
  const DatasetStats stats = compute_stats(path);
  std::optional<DatasetInfo> info;
  if (!is_csv_path(path)) info = read_dataset_info(path);
  if (vm.count("json")) {
    std::cout << stats_json(path.string(), stats, info).dump(2) << "\n";
  } else {
    print_stats(std::cout, path.string(), stats, info);
  }
  return 0;
}

}  // namespace vpucost::cli
