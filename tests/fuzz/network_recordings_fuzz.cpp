// Fuzzes the network CSV reader (issue #16, `vpucost net --nodes`) with
// arbitrary bytes, then costs the DPU and layout nodes it keeps on the whole
// device with the roofline in compute and ddr modes. Any input must be read
// or refused with vpucost::Error; what is read keeps the reader's promises
// (rows_read == kept + rejected, every DPU layer and SHAVE operation valid,
// rejects in line order); the network's total is the sum of its nodes.
#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

#include "vpucost/error.hpp"
#include "vpucost/network_nodes.hpp"
#include "vpucost/network_recordings.hpp"
#include "vpucost/roofline.hpp"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

constexpr std::size_t kMaxCostedNodes = 16;  // keeps one input fast

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vpucost;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  NetworkRecordings r;
  try {
    r = read_network_csv_text(text, "fuzz.csv");
  } catch (const Error&) {
    return 0;  // a file-level problem: no header, a missing or repeated column
  }
  check(r.rows_read == r.items.size() + r.rejects.size());
  for (std::size_t i = 1; i < r.rejects.size(); ++i)
    check(r.rejects[i - 1].line < r.rejects[i].line);
  std::vector<NetworkNode> nodes;
  for (const NetworkNodeRecord& item : r.items) {
    check(std::isnan(item.cycles) || item.cycles >= 0);
    if (item.kind == NodeKind::Dpu) check(!find_problem(item.layer).has_value());
    if (item.kind == NodeKind::Shave) check(!find_problem(item.shave).has_value());
    if (item.kind == NodeKind::Shave || nodes.size() >= kMaxCostedNodes) continue;
    if (!nodes.empty() && item.kind == NodeKind::Dpu &&
        item.layer.device != nodes[0].layer.device) {
      continue;  // one device per costing
    }
    NetworkNode n;
    n.name = item.node;
    n.engine = item.kind == NodeKind::Dpu ? NetworkNode::Engine::Dpu : NetworkNode::Engine::Layout;
    n.layer = item.layer;
    nodes.push_back(n);
  }
  if (nodes.empty()) return 0;
  const RooflineModel roofline;
  const DmaModel dma(roofline_dma_parts(nodes[0].layer.device));
  for (const LatencyMode mode : {LatencyMode::compute, LatencyMode::ddr}) {
    try {
      const NetworkNodesCost c = cost_network_nodes(nodes, roofline, nullptr, dma, mode);
      double sum = 0;
      for (const NodeCost& n : c.nodes) {
        check(std::isfinite(n.cycles) && n.cycles >= 0);
        sum += n.cycles;
      }
      check(std::abs(c.total_cycles() - sum) <= 1e-9 * std::max(1.0, sum));
    } catch (const Error&) {
      // a layer nothing fits, not even streamed: refused with a reason
    }
  }
  return 0;
}
