// Fuzzes the parsing and validation of one recording row (numbers, enum
// names, cycles, workload rules) at full speed, without the line reader:
// the input is one row's text, split on commas, read against the standard
// header. csv_import_fuzz.cpp covers the reader itself, but every CsvReader
// allocates fast-cpp-csv-parser's 48 MiB line buffer, which limits it to a
// few dozen inputs per second under AddressSanitizer.
#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

#include "vpucost/error.hpp"
#include "vpucost/recording_csv.hpp"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

// v1's header (with theoretical_cycles) and v2's (with the compiler's
// fields): a row of 21 fields or fewer is read against the first.
const std::vector<std::string_view>& header(bool v2) {
  static const std::vector<std::string_view> v1_header = {
      "device",         "operation",       "input_width",
      "input_height",   "input_channels",  "output_width",
      "output_height",  "output_channels", "kernel_width",
      "kernel_height",  "stride_width",    "stride_height",
      "pad_top",        "pad_bottom",      "pad_left",
      "pad_right",      "input_dtype",     "output_dtype",
      "execution_mode", "cycles",          "theoretical_cycles"};
  static const std::vector<std::string_view> v2_header = {
      "device",         "operation",       "input_width",        "input_height",
      "input_channels", "output_width",    "output_height",      "output_channels",
      "kernel_width",   "kernel_height",   "stride_width",       "stride_height",
      "pad_top",        "pad_bottom",      "pad_left",           "pad_right",
      "input_dtype",    "output_dtype",    "execution_mode",     "activation_function",
      "input_sparsity", "weight_sparsity", "output_write_tiles", "isi_strategy",
      "cycles"};
  return v2 ? v2_header : v1_header;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vpucost;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> fields;
  std::size_t begin = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ',') {
      fields.push_back(text.substr(begin, i - begin));
      begin = i + 1;
    }
  }
  const bool v2 = fields.size() > 21;
  static const RecordingLayout v1_recordings(header(false), CyclesColumn::Required, "fuzz.csv");
  static const RecordingLayout v1_workloads(header(false), CyclesColumn::Ignored, "fuzz.csv");
  static const RecordingLayout v2_recordings(header(true), CyclesColumn::Required, "fuzz.csv");
  static const RecordingLayout v2_workloads(header(true), CyclesColumn::Ignored, "fuzz.csv");
  const RecordingLayout& recordings = v2 ? v2_recordings : v1_recordings;
  const RecordingLayout& workloads = v2 ? v2_workloads : v1_workloads;
  Recording rec;
  if (const auto problem = recordings.parse(fields, rec); !problem) {
    check(!find_problem(rec.workload).has_value());
    check(std::isfinite(rec.cycles) && rec.cycles > 0.0);
    check(std::isnan(rec.theoretical_cycles) ||
          (std::isfinite(rec.theoretical_cycles) && rec.theoretical_cycles >= 0.0));
    // A valid recording is a valid workload to predict, with the same fields.
    Recording again;
    check(!workloads.parse(fields, again) && again.workload == rec.workload);
  } else {
    check(!problem->empty());
  }
  if (!workloads.parse(fields, rec)) check(!find_problem(rec.workload).has_value());
  return 0;
}
