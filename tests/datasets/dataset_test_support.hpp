#pragma once
// Helpers shared by the datasets tests: paths of the bundled data, a naive
// independent CSV reader to check the importer against, small datasets.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../support/test_workloads.hpp"
#include "vpucost/dataset_columns.hpp"

namespace vpucost::test {

inline std::filesystem::path sample(const std::string& name) {
  return std::filesystem::path(VPUCOST_SAMPLES) / name;
}
inline std::filesystem::path test_data(const std::string& name) {
  return std::filesystem::path(VPUCOST_TEST_DATA) / name;
}

inline void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Splits a simple CSV (no quotes, LF lines) naively: header + rows of fields.
inline std::vector<std::vector<std::string>> naive_csv(const std::filesystem::path& p) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(p);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, ',')) fields.push_back(f);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    rows.push_back(fields);
  }
  return rows;
}

inline const std::string& kHeader() {
  static const std::string h =
      "device,operation,input_width,input_height,input_channels,output_width,output_height,"
      "output_channels,kernel_width,kernel_height,stride_width,stride_height,pad_top,pad_bottom,"
      "pad_left,pad_right,input_dtype,output_dtype,execution_mode,cycles,theoretical_cycles";
  return h;
}

/// `n` valid rows with distinct descriptors (convolutions of varying size,
/// mode and channels) and cycles 100 + i.
inline DatasetColumns varied_columns(std::size_t n, bool theoretical = true) {
  DatasetColumns c;
  c.set_has_theoretical_cycles(theoretical);
  const ExecutionMode modes[] = {ExecutionMode::CUBOID_16x16, ExecutionMode::CUBOID_8x16,
                                 ExecutionMode::CUBOID_4x16};
  for (std::size_t i = 0; i < n; ++i) {
    Workload w = conv3x3(Device::VPU_2_7, 16 * static_cast<std::int64_t>(1 + i % 7));
    w.input.width = w.output.width = 8 + static_cast<std::int64_t>(i % 50);
    w.input.height = w.output.height = 8 + static_cast<std::int64_t>(i / 50 % 40);
    w.mode = modes[i / 2000 % 3];
    w.input.dtype = (i / 6000 % 2) ? DType::FLOAT16 : DType::UINT8;
    c.append(w, 100.0 + static_cast<double>(i), i % 3 == 0 ? DatasetColumns::kNoValue : 0.5 * i);
  }
  return c;
}

/// `n` valid rows of VPU_4_0 convolutions and ELTWISEs whose compiler fields
/// (activation, sparsity, output write tiles, ISI strategy) vary from row to row.
inline DatasetColumns compiler_field_columns(std::size_t n) {
  DatasetColumns c;
  const ActivationFunction activations[] = {ActivationFunction::NONE, ActivationFunction::RELU,
                                            ActivationFunction::LRELU};
  for (std::size_t i = 0; i < n; ++i) {
    Workload w = conv3x3(Device::VPU_4_0, 16 * static_cast<std::int64_t>(1 + i % 5));
    if (i % 4 == 3) {
      w.operation = Operation::ELTWISE;
      w.kernel_w = w.kernel_h = 1;
      w.padding = {};
    }
    w.input.width = w.output.width = 8 + static_cast<std::int64_t>(i % 37);
    w.activation = activations[i % 3];
    w.input_sparsity = (i % 5 == 1) ? 0.001 * static_cast<double>(i % 900) : 0.0;
    w.weight_sparsity = (i % 7 == 2) ? 0.125 : 0.0;
    w.output_write_tiles = 1 + static_cast<std::int64_t>(i % 6);
    w.isi_strategy = w.output_write_tiles > 1 && i % 2 == 0 ? IsiStrategy::SPLIT_OVER_K
                     : i % 3 == 0                           ? IsiStrategy::SPLIT_OVER_H
                                                            : IsiStrategy::CLUSTERING;
    c.append(w, 50.0 + static_cast<double>(i));
  }
  return c;
}

/// Whether two column sets hold the same rows (NaN equal to NaN).
inline bool same_rows(const DatasetColumns& a, const DatasetColumns& b,
                      std::string* why = nullptr) {
  const auto fail = [&](const std::string& s) {
    if (why) *why = s;
    return false;
  };
  if (a.size() != b.size())
    return fail("sizes " + std::to_string(a.size()) + " vs " + std::to_string(b.size()));
  if (a.has_theoretical_cycles() != b.has_theoretical_cycles()) return fail("theoretical presence");
  for (std::size_t r = 0; r < a.size(); ++r) {
    if (!(a.workload(r) == b.workload(r))) return fail("workload of row " + std::to_string(r));
    if (a.cycles(r) != b.cycles(r)) return fail("cycles of row " + std::to_string(r));
    if (a.has_theoretical_cycles()) {
      const double x = a.theoretical_cycles()[r];
      const double y = b.theoretical_cycles()[r];
      if (!(x == y || (x != x && y != y))) return fail("theoretical of row " + std::to_string(r));
    }
  }
  return true;
}

}  // namespace vpucost::test
