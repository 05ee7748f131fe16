// Reading layers CSVs (layer_recordings.hpp): the header mapped onto the
// layer columns, every row parsed into a layer and its labels, validated,
// and kept or rejected with its reason, as the SHAVE and DMA readers do.
#include "vpucost/layer_recordings.hpp"

#include <cmath>
#include <limits>

#include "column_map.hpp"
#include "csv_file.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

using detail::ColumnMap;
using detail::ColumnSpec;
using detail::RowFields;
using detail::shown;

enum LayerColumn : std::size_t {
  kLayerDevice,
  kLayerOperation,
  kLayerInW,
  kLayerInH,
  kLayerInC,
  kLayerOutW,
  kLayerOutH,
  kLayerOutC,
  kLayerKernelW,
  kLayerKernelH,
  kLayerStrideW,
  kLayerStrideH,
  kLayerPadTop,
  kLayerPadBottom,
  kLayerPadLeft,
  kLayerPadRight,
  kLayerInType,
  kLayerOutType,
  kLayerActivation,
  kLayerCyclesFirst,  // cycles_<strategy>, in TilingStrategy order
  kLayerBest = kLayerCyclesFirst + enum_count<TilingStrategy>(),
  kLayerCyclesBest,
  kLayerWorkloads,
  kLayerDmaWeights,
  kLayerDmaInput,
  kLayerDmaOutput,
  kLayerLogicalIn,
  kLayerLogicalOut,
  kLayerExecModes,
  kLayerReason,
};

constexpr ColumnSpec kLayerColumns[] = {
    {"device", true},
    {"operation", true},
    {"input_width", true},
    {"input_height", true},
    {"input_channels", true},
    {"output_width", true},
    {"output_height", true},
    {"output_channels", true},
    {"kernel_width", true},
    {"kernel_height", true},
    {"stride_width", true},
    {"stride_height", true},
    {"pad_top", true},
    {"pad_bottom", true},
    {"pad_left", true},
    {"pad_right", true},
    {"input_dtype", true},
    {"output_dtype", false},
    {"activation_function", false},
    {"cycles_CLUSTERING", false},
    {"cycles_SOHO", false},
    {"cycles_SOK", false},
    {"cycles_SOW", false},
    {"cycles_SOHO_K_SWITCH", false},
    {"best_strategy", false},
    {"cycles_best", false},
    {"n_workloads", false},
    {"dma_weights_cycles", false},
    {"dma_input_cycles", false},
    {"dma_output_cycles", false},
    {"logical_input_channels", false},
    {"logical_output_channels", false},
    {"exec_modes", false},
    {"reason", false},
};
static_assert(std::size(kLayerColumns) == kLayerReason + 1);

std::optional<std::string> parse_layer(RowFields& row, LayerRecord& r) {
  Workload& w = r.layer;
  w.device = row.enumeration<Device>(kLayerDevice);
  w.operation = row.enumeration<Operation>(kLayerOperation);
  w.input = {row.integer(kLayerInW), row.integer(kLayerInH), row.integer(kLayerInC),
             row.enumeration<DType>(kLayerInType)};
  w.output = {row.integer(kLayerOutW), row.integer(kLayerOutH), row.integer(kLayerOutC),
              w.input.dtype};
  if (!row.text(kLayerOutType).empty()) w.output.dtype = row.enumeration<DType>(kLayerOutType);
  w.kernel_w = row.integer(kLayerKernelW);
  w.kernel_h = row.integer(kLayerKernelH);
  w.stride_w = row.integer(kLayerStrideW);
  w.stride_h = row.integer(kLayerStrideH);
  w.padding = {row.integer(kLayerPadTop), row.integer(kLayerPadBottom), row.integer(kLayerPadLeft),
               row.integer(kLayerPadRight)};
  if (!row.text(kLayerActivation).empty()) {
    w.activation = row.enumeration<ActivationFunction>(kLayerActivation);
  }
  for (std::size_t s = 0; s < r.cycles.size(); ++s) {
    r.cycles[s] = row.optional_real(kLayerCyclesFirst + s, false);
  }
  if (!row.text(kLayerBest).empty()) r.best_strategy = row.enumeration<TilingStrategy>(kLayerBest);
  r.cycles_best = row.optional_real(kLayerCyclesBest, false);
  r.dma_weights_cycles = row.optional_real(kLayerDmaWeights, true);
  r.dma_input_cycles = row.optional_real(kLayerDmaInput, true);
  r.dma_output_cycles = row.optional_real(kLayerDmaOutput, true);
  if (!row.text(kLayerWorkloads).empty()) {
    r.n_workloads = row.integer(kLayerWorkloads);
    if (!row.problem && r.n_workloads < 1) {
      row.fail(kLayerWorkloads, shown(row.text(kLayerWorkloads)) + " must be >= 1");
    }
  }
  // The modes the best strategy ran, `|`-joined ("CUBOID_16x16|CUBOID_8x16").
  for (std::string_view modes = row.text(kLayerExecModes); !modes.empty() && !row.problem;) {
    const std::size_t bar = modes.find('|');
    const std::string one(modes.substr(0, bar));
    if (const auto mode = try_parse<ExecutionMode>(one)) {
      r.exec_modes.push_back(*mode);
    } else {
      row.fail(kLayerExecModes, shown(one) + " is not a known " +
                                    std::string(EnumInfo<ExecutionMode>::kind) + " (" +
                                    names_list<ExecutionMode>() + ")");
    }
    modes = bar == std::string_view::npos ? std::string_view{} : modes.substr(bar + 1);
  }
  if (row.problem) return row.problem;
  // The layer model's channels: multiples of 16, a CM_CONVOLUTION's input
  // excepted (what the teacher files hold already).
  if (w.operation != Operation::CM_CONVOLUTION)
    w.input.channels = padded_channels(w.input.channels);
  w.output.channels = padded_channels(w.output.channels);
  w.mode = operation_modes(w.device, w.operation).front();
  if (auto problem = find_problem(w)) return problem;
  if (r.best_strategy && std::isnan(r.cycles[static_cast<std::size_t>(*r.best_strategy)])) {
    return "column best_strategy: " + std::string(to_string(*r.best_strategy)) + " has no cycles_" +
           std::string(to_string(*r.best_strategy)) + " on this row";
  }
  return std::nullopt;
}

LayerRecordings read_layers(CsvReader reader) {
  LayerRecordings out;
  out.source = reader.name();
  CsvLine line;
  detail::read_header_line(reader, line);
  out.header = std::string(line.text);
  const ColumnMap map(line.fields, kLayerColumns, CyclesColumn::Ignored, reader.name());
  out.ignored_columns = map.unknown();
  out.has_labels = map.has(kLayerCyclesBest);
  detail::read_rows<LayerRecord>(reader, map, out.rows_read, out.rejects, parse_layer,
                                 [&](LayerRecord&& r, const CsvLine& at) {
                                   r.line = at.number;
                                   r.text = std::string(at.text);
                                   out.items.push_back(std::move(r));
                                 });
  return out;
}

}  // namespace

LayerRecordings read_layer_csv(const std::filesystem::path& csv) {
  return read_layers(CsvReader(csv));
}

LayerRecordings read_layer_csv_text(std::string_view text, const std::string& name) {
  return read_layers(CsvReader(name, text));
}

}  // namespace vpucost
