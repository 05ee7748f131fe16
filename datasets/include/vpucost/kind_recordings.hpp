#pragma once
// Recording CSVs of the SHAVE and DMA kinds (the v2 teacher data's shave/
// and dma/ files): every row parsed and validated into a ShaveOperation or a
// DmaTransfer with its cycles, or rejected with its line and the reason, as
// the DPU importer does. rows_read == kept + rejected, always.
//
// SHAVE columns: device, operation, input_width, input_height,
// input_channels, input_dtype, output_width, output_height, output_channels,
// output_dtype, cycles; optional params (empty = none), layout (when given,
// the one the operation's kernel uses, shave_layout) and vpunn_kernel
// (informational, not read).
// DMA columns: device, direction, width, height, channels, dtype, cycles;
// optional bytes (when given, it must equal width x height x channels x
// bytes per element).
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vpucost/dma_transfer.hpp"
#include "vpucost/recording_csv.hpp"
#include "vpucost/shave_operation.hpp"

namespace vpucost {

template <class Descriptor>
struct KindRecordings {
  std::vector<Descriptor> items;     ///< every one valid
  std::vector<double> cycles;        ///< same length; finite and > 0 (NaN when cycles are ignored)
  std::string source;                ///< the CSV's name
  std::uint64_t rows_read = 0;       ///< non-blank lines after the header
  std::vector<RejectedRow> rejects;  ///< in file order
  std::vector<std::string> ignored_columns;  ///< unknown header names, "name (column N)"
  std::size_t size() const { return items.size(); }
};
using ShaveRecordings = KindRecordings<ShaveOperation>;
using DmaRecordings = KindRecordings<DmaTransfer>;

/// Reads a SHAVE recording CSV. Throws vpucost::Error (naming the file and
/// what is wrong) only for problems of the whole file: missing or
/// unreadable, no header, a required column missing or a column twice.
ShaveRecordings read_shave_csv(const std::filesystem::path& csv,
                               CyclesColumn cycles = CyclesColumn::Required);
ShaveRecordings read_shave_csv_text(std::string_view text, const std::string& name,
                                    CyclesColumn cycles = CyclesColumn::Required);

/// Reads a DMA recording CSV; errors as read_shave_csv.
DmaRecordings read_dma_csv(const std::filesystem::path& csv,
                           CyclesColumn cycles = CyclesColumn::Required);
DmaRecordings read_dma_csv_text(std::string_view text, const std::string& name,
                                CyclesColumn cycles = CyclesColumn::Required);

/// The kind of recordings a CSV header describes: dma with a "direction"
/// column, shave with "operation" and neither "kernel_width" nor
/// "execution_mode" (a DPU workload has both), dpu otherwise.
WorkloadKind recording_kind(std::span<const std::string_view> header);
/// The same from a CSV file's header line; throws vpucost::Error as the
/// readers do when the file is missing, unreadable or empty.
WorkloadKind recording_kind(const std::filesystem::path& csv);

}  // namespace vpucost
