#pragma once
// Recording CSVs of whole networks node by node (the v2 teacher data's
// networks/<device>_<network>.csv): every row one node -- a DPU layer, a
// SHAVE operation or a layout node that costs nothing -- parsed and
// validated, or rejected with its line and the reason. rows_read == kept +
// rejected, always.
//
// Columns: network, device, dtype (every tensor's), index, node, kind (DPU,
// SHAVE or NOCOST), operation; the tensor columns input_width,
// input_height, input_channels, output_width, output_height,
// output_channels (logical_input_channels and logical_output_channels: the
// channels a SHAVE node works on; a DPU layer's channels are padded to 16
// as the layer model requires, a CM_CONVOLUTION's input excepted); for DPU
// nodes kernel_width, kernel_height, stride_width, stride_height, pad_top,
// pad_bottom, pad_left, pad_right, activation_function (empty = NONE); for
// SHAVE nodes params (empty = none). Optional labels: cycles (the node's cost
// in the network; empty for NOCOST), shave_cycles_one. Known and not read:
// fused, vpunn_kernel, best_strategy, n_workloads, streamed, split,
// cycles_vpunn_default_shave.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "vpucost/recording_csv.hpp"
#include "vpucost/shave_operation.hpp"
#include "vpucost/workload.hpp"

namespace vpucost {

enum class NodeKind : std::uint8_t { Dpu, Shave, NoCost };

struct NetworkNodeRecord {
  std::uint64_t line = 0;
  std::string network;
  DType dtype = DType::UINT8;
  std::string node;  ///< the node's name (module path or function)
  NodeKind kind = NodeKind::Dpu;
  std::string operation;  ///< as written (DPU or SHAVE operation, or the layout op)
  Workload layer;         ///< kind Dpu: valid, channels padded, mode the operation's first
  ShaveOperation shave;   ///< kind Shave: valid, logical channels
  double cycles = 0;      ///< label; NaN when absent or empty
};

struct NetworkRecordings {
  std::vector<NetworkNodeRecord> items;
  std::string source;
  std::uint64_t rows_read = 0;
  std::vector<RejectedRow> rejects;
  std::vector<std::string> ignored_columns;
};

/// Reads a network CSV; throws vpucost::Error only for problems of the whole
/// file (missing or unreadable, no header, a required column missing or
/// twice).
NetworkRecordings read_network_csv(const std::filesystem::path& csv);
NetworkRecordings read_network_csv_text(std::string_view text, const std::string& name);

}  // namespace vpucost
