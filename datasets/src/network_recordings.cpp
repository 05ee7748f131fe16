// Reading network CSVs node by node (network_recordings.hpp): the header
// mapped onto the network columns, each row parsed by its kind into a DPU
// layer, a SHAVE operation or a layout node, validated, kept or rejected.
#include "vpucost/network_recordings.hpp"

#include <cmath>

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

enum NetworkColumn : std::size_t {
  kNetName,
  kNetDevice,
  kNetDtype,
  kNetIndex,
  kNetNode,
  kNetKind,
  kNetOperation,
  kNetInW,
  kNetInH,
  kNetInC,
  kNetLogicalIn,
  kNetOutW,
  kNetOutH,
  kNetOutC,
  kNetLogicalOut,
  kNetKernelW,
  kNetKernelH,
  kNetStrideW,
  kNetStrideH,
  kNetPadTop,
  kNetPadBottom,
  kNetPadLeft,
  kNetPadRight,
  kNetActivation,
  kNetParams,
  kNetCycles,
  kNetShaveOne,
  kNetFused,
  kNetKernel,
  kNetBest,
  kNetWorkloads,
  kNetStreamed,
  kNetSplit,
  kNetDefaultShave,
};

constexpr ColumnSpec kNetworkColumns[] = {
    {"network", true},
    {"device", true},
    {"dtype", true},
    {"index", false},
    {"node", true},
    {"kind", true},
    {"operation", true},
    {"input_width", true},
    {"input_height", true},
    {"input_channels", true},
    {"logical_input_channels", false},
    {"output_width", true},
    {"output_height", true},
    {"output_channels", true},
    {"logical_output_channels", false},
    {"kernel_width", true},
    {"kernel_height", true},
    {"stride_width", true},
    {"stride_height", true},
    {"pad_top", true},
    {"pad_bottom", true},
    {"pad_left", true},
    {"pad_right", true},
    {"activation_function", false},
    {"params", false},
    {"cycles", false},
    {"shave_cycles_one", false},
    {"fused", false},
    {"vpunn_kernel", false},
    {"best_strategy", false},
    {"n_workloads", false},
    {"streamed", false},
    {"split", false},
    {"cycles_vpunn_default_shave", false},
};
static_assert(std::size(kNetworkColumns) == kNetDefaultShave + 1);

// The logical channel count when the column is there and filled, else the
// costed one.
std::int64_t logical(RowFields& row, std::size_t logical_column, std::int64_t costed) {
  if (row.text(logical_column).empty()) return costed;
  return row.integer(logical_column);
}

std::optional<std::string> parse_node(RowFields& row, NetworkNodeRecord& r) {
  r.network = std::string(row.text(kNetName));
  const Device device = row.enumeration<Device>(kNetDevice);
  r.dtype = row.enumeration<DType>(kNetDtype);
  r.node = std::string(row.text(kNetNode));
  r.operation = std::string(row.text(kNetOperation));
  const std::string_view kind = row.text(kNetKind);
  r.cycles = row.optional_real(kNetCycles, true);
  if (row.problem) return row.problem;
  if (kind == "NOCOST") {
    r.kind = NodeKind::NoCost;
    return std::nullopt;
  }
  const std::int64_t in_c = row.integer(kNetInC);
  const std::int64_t out_c = row.integer(kNetOutC);
  const Tensor in{row.integer(kNetInW), row.integer(kNetInH), in_c, r.dtype};
  const Tensor out{row.integer(kNetOutW), row.integer(kNetOutH), out_c, r.dtype};
  if (kind == "SHAVE") {
    r.kind = NodeKind::Shave;
    ShaveOperation& s = r.shave;
    s.device = device;
    s.operation = row.enumeration<ShaveOp>(kNetOperation);
    s.input = in;
    s.output = out;
    s.input.channels = logical(row, kNetLogicalIn, in_c);
    s.output.channels = logical(row, kNetLogicalOut, out_c);
    s.param = static_cast<int>(row.integer(kNetParams, 0));
    if (row.problem) return row.problem;
    return find_problem(s);
  }
  if (kind != "DPU") {
    row.fail(kNetKind, shown(kind) + " is not DPU, SHAVE or NOCOST");
    return row.problem;
  }
  r.kind = NodeKind::Dpu;
  Workload& w = r.layer;
  w.device = device;
  w.operation = row.enumeration<Operation>(kNetOperation);
  w.input = in;
  w.output = out;
  w.kernel_w = row.integer(kNetKernelW);
  w.kernel_h = row.integer(kNetKernelH);
  w.stride_w = row.integer(kNetStrideW);
  w.stride_h = row.integer(kNetStrideH);
  w.padding = {row.integer(kNetPadTop), row.integer(kNetPadBottom), row.integer(kNetPadLeft),
               row.integer(kNetPadRight)};
  if (!row.text(kNetActivation).empty()) {
    w.activation = row.enumeration<ActivationFunction>(kNetActivation);
  }
  if (row.problem) return row.problem;
  if (w.operation != Operation::CM_CONVOLUTION)
    w.input.channels = padded_channels(w.input.channels);
  w.output.channels = padded_channels(w.output.channels);
  w.mode = operation_modes(w.device, w.operation).front();
  return find_problem(w);
}

NetworkRecordings read_network(CsvReader reader) {
  NetworkRecordings out;
  out.source = reader.name();
  CsvLine line;
  detail::read_header_line(reader, line);
  const ColumnMap map(line.fields, kNetworkColumns, CyclesColumn::Ignored, reader.name());
  out.ignored_columns = map.unknown();
  detail::read_rows<NetworkNodeRecord>(reader, map, out.rows_read, out.rejects, parse_node,
                                       [&](NetworkNodeRecord&& r, const CsvLine& at) {
                                         r.line = at.number;
                                         out.items.push_back(std::move(r));
                                       });
  return out;
}

}  // namespace

NetworkRecordings read_network_csv(const std::filesystem::path& csv) {
  return read_network(CsvReader(csv));
}

NetworkRecordings read_network_csv_text(std::string_view text, const std::string& name) {
  return read_network(CsvReader(name, text));
}

}  // namespace vpucost
