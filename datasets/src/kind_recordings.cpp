// Reading the SHAVE and DMA recording CSVs: a header mapped onto each kind's
// columns, then every row parsed, validated and kept or rejected with its
// reason. The number parsing and the way bad values are shown are the DPU
// reader's (csv_fields.hpp).
#include "vpucost/kind_recordings.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "column_map.hpp"
#include "csv_fields.hpp"
#include "csv_file.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

using detail::ColumnMap;
using detail::ColumnSpec;
using detail::RowFields;
using detail::shown;

// Dimensions beyond int64's comfortable range are refused by the
// descriptors' own checks; here they only need to fit.
enum ShaveColumn : std::size_t {
  kShaveDevice,
  kShaveOperation,
  kInW,
  kInH,
  kInC,
  kInType,
  kOutW,
  kOutH,
  kOutC,
  kOutType,
  kParams,
  kLayout,
  kKernel,
  kShaveCycles,
};
constexpr ColumnSpec kShaveColumns[] = {
    {"device", true},        {"operation", true},      {"input_width", true},
    {"input_height", true},  {"input_channels", true}, {"input_dtype", true},
    {"output_width", true},  {"output_height", true},  {"output_channels", true},
    {"output_dtype", true},  {"params", false},        {"layout", false},
    {"vpunn_kernel", false}, {"cycles", true},
};

enum DmaColumn : std::size_t {
  kDmaDevice,
  kDirection,
  kWidth,
  kHeight,
  kChannels,
  kDtype,
  kBytes,
  kDmaCycles
};
constexpr ColumnSpec kDmaColumns[] = {
    {"device", true},   {"direction", true}, {"width", true},  {"height", true},
    {"channels", true}, {"dtype", true},     {"bytes", false}, {"cycles", true},
};

std::optional<std::string> parse_shave(RowFields& row, ShaveOperation& s) {
  s.device = row.enumeration<Device>(kShaveDevice);
  s.operation = row.enumeration<ShaveOp>(kShaveOperation);
  s.input = {row.integer(kInW), row.integer(kInH), row.integer(kInC),
             row.enumeration<DType>(kInType)};
  s.output = {row.integer(kOutW), row.integer(kOutH), row.integer(kOutC),
              row.enumeration<DType>(kOutType)};
  const std::int64_t param = row.integer(kParams, 0);
  if (!row.problem && (param < 0 || param > 1000))
    row.fail(kParams, shown(row.text(kParams)) + " is out of range");
  s.param = static_cast<int>(param);
  const std::string_view layout = row.text(kLayout);
  if (!row.problem && !layout.empty() && layout != shave_layout(s.operation)) {
    row.fail(kLayout, shown(layout) + ": vpucost's " + std::string(to_string(s.operation)) +
                          " is the kernel on layout " + std::string(shave_layout(s.operation)));
  }
  if (row.problem) return row.problem;
  return find_problem(s);
}

std::optional<std::string> parse_dma(RowFields& row, DmaTransfer& t) {
  t.device = row.enumeration<Device>(kDmaDevice);
  t.direction = row.enumeration<DmaDirection>(kDirection);
  t.tensor = {row.integer(kWidth), row.integer(kHeight), row.integer(kChannels),
              row.enumeration<DType>(kDtype)};
  const std::int64_t bytes = row.integer(kBytes, 0);
  if (row.problem) return row.problem;
  if (auto p = find_problem(t)) return p;
  if (bytes != 0 && bytes != transfer_bytes(t)) {
    return "column bytes: " + std::to_string(bytes) + " is not width x height x channels x " +
           "bytes per element = " + std::to_string(transfer_bytes(t));
  }
  return std::nullopt;
}

std::string_view records(WorkloadKind kind) {
  switch (kind) {
    case WorkloadKind::shave:
      return "SHAVE operations";
    case WorkloadKind::dma:
      return "DMA transfers";
    case WorkloadKind::dpu:
      break;
  }
  return "DPU workloads";
}

template <class Descriptor, class Parse>
KindRecordings<Descriptor> read_kind(CsvReader reader, WorkloadKind kind,
                                     std::span<const ColumnSpec> specs, std::size_t cycles_column,
                                     CyclesColumn cycles, Parse parse) {
  KindRecordings<Descriptor> out;
  out.source = reader.name();
  CsvLine line;
  detail::read_header_line(reader, line);
  // A DPU recording has every column a SHAVE one needs: tell them apart by
  // the header before every row is rejected one by one.
  if (const WorkloadKind found = recording_kind(line.fields); found != kind) {
    throw Error(reader.name() + " records " + std::string(records(found)) + ", not " +
                std::string(records(kind)) + " (by its header)");
  }
  const ColumnMap map(line.fields, specs, cycles, reader.name());
  out.ignored_columns = map.unknown();
  // The descriptor and its label, parsed together.
  using Labelled = std::pair<Descriptor, double>;
  detail::read_rows<Labelled>(
      reader, map, out.rows_read, out.rejects,
      [&](RowFields& row, Labelled& r) -> std::optional<std::string> {
        r.second = DatasetColumns::kNoValue;
        if (auto problem = parse(row, r.first)) return problem;
        if (cycles == CyclesColumn::Required) r.second = row.positive_real(cycles_column);
        return row.problem;
      },
      [&](Labelled&& r, const CsvLine&) {
        out.items.push_back(r.first);
        out.cycles.push_back(r.second);
      });
  return out;
}

}  // namespace

ShaveRecordings read_shave_csv(const std::filesystem::path& csv, CyclesColumn cycles) {
  return read_kind<ShaveOperation>(CsvReader(csv), WorkloadKind::shave, kShaveColumns, kShaveCycles,
                                   cycles, parse_shave);
}
ShaveRecordings read_shave_csv_text(std::string_view text, const std::string& name,
                                    CyclesColumn cycles) {
  return read_kind<ShaveOperation>(CsvReader(name, text), WorkloadKind::shave, kShaveColumns,
                                   kShaveCycles, cycles, parse_shave);
}
DmaRecordings read_dma_csv(const std::filesystem::path& csv, CyclesColumn cycles) {
  return read_kind<DmaTransfer>(CsvReader(csv), WorkloadKind::dma, kDmaColumns, kDmaCycles, cycles,
                                parse_dma);
}
DmaRecordings read_dma_csv_text(std::string_view text, const std::string& name,
                                CyclesColumn cycles) {
  return read_kind<DmaTransfer>(CsvReader(name, text), WorkloadKind::dma, kDmaColumns, kDmaCycles,
                                cycles, parse_dma);
}

WorkloadKind recording_kind(std::span<const std::string_view> header) {
  const auto has = [&](std::string_view name) {
    return std::find(header.begin(), header.end(), name) != header.end();
  };
  if (has("direction")) return WorkloadKind::dma;
  if (has("operation") && !has("kernel_width") && !has("execution_mode")) {
    return WorkloadKind::shave;
  }
  return WorkloadKind::dpu;
}

WorkloadKind recording_kind(const std::filesystem::path& csv) {
  CsvReader reader(csv);
  CsvLine line;
  detail::read_header_line(reader, line);
  return recording_kind(line.fields);
}

}  // namespace vpucost
