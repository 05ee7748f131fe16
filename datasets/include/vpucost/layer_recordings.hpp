#pragma once
// Recording CSVs of whole layers on the device (the v2 teacher data's
// layers/ files, and what `vpucost layer --csv` costs): every row parsed and
// validated into a layer with the labels it carries, or rejected with its
// line and the reason, as the other recording readers do. rows_read ==
// kept + rejected, always.
//
// Columns (any order):
//  - required: device, operation, input_width, input_height, input_channels,
//    output_width, output_height, output_channels, kernel_width,
//    kernel_height, stride_width, stride_height, pad_top, pad_bottom,
//    pad_left, pad_right, input_dtype;
//  - optional: output_dtype (default: input_dtype), activation_function
//    (default NONE);
//  - optional labels (empty = none): cycles_CLUSTERING, cycles_SOHO,
//    cycles_SOK, cycles_SOW, cycles_SOHO_K_SWITCH (> 0; empty where the
//    strategy is refused or not offered), best_strategy, cycles_best (> 0),
//    n_workloads (>= 1), dma_weights_cycles, dma_input_cycles,
//    dma_output_cycles (>= 0);
//  - known and not read: logical_input_channels, logical_output_channels,
//    exec_modes, reason (the teacher's rejected files).
// Channels are padded to multiples of 16 as the layer model requires (a
// CM_CONVOLUTION's input excepted); the teacher files are padded already.
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vpucost/enums.hpp"
#include "vpucost/recording_csv.hpp"
#include "vpucost/workload.hpp"

namespace vpucost {

struct LayerRecord {
  Workload layer;          ///< valid; channels padded; mode: the operation's first
  std::uint64_t line = 0;  ///< 1-based line in the file
  std::string text;        ///< the row as written
  /// Labels, NaN where the column is absent or the field empty.
  std::array<double, enum_count<TilingStrategy>()> cycles{};  ///< per TilingStrategy
  std::optional<TilingStrategy> best_strategy;
  double cycles_best = 0;
  double dma_weights_cycles = 0;
  double dma_input_cycles = 0;
  double dma_output_cycles = 0;
  std::int64_t n_workloads = 0;  ///< 0 when absent
  std::vector<ExecutionMode>
      exec_modes;  ///< modes of the best strategy (`|`-joined); empty when absent
};

struct LayerRecordings {
  std::vector<LayerRecord> items;
  std::string source;                        ///< the CSV's name
  std::string header;                        ///< the header line as written
  std::uint64_t rows_read = 0;               ///< non-blank lines after the header
  std::vector<RejectedRow> rejects;          ///< in file order
  std::vector<std::string> ignored_columns;  ///< unknown header names, "name (column N)"
  bool has_labels = false;                   ///< the header has cycles_best
};

/// Reads a layers CSV. Throws vpucost::Error (naming the file and what is
/// wrong) only for problems of the whole file: missing or unreadable, no
/// header, a required column missing or a column twice.
LayerRecordings read_layer_csv(const std::filesystem::path& csv);
LayerRecordings read_layer_csv_text(std::string_view text, const std::string& name);

}  // namespace vpucost
