// Fuzzes the ONNX reader (onnx_network.hpp): any bytes must either import or
// throw vpucost::Error -- never crash, hang or throw anything else (a libonnx
// or protobuf exception escaping would abort here). An imported network must
// give valid DPU workloads and SHAVE operations on a device.
#include <cstdint>
#include <string_view>

#include "vpucost/error.hpp"
#include "vpucost/onnx_network.hpp"
#include "vpucost/shave_operation.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vpucost;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (const bool generic : {false, true}) {
    OnnxImportOptions options;
    options.unknown_ops_as_shave = generic;
    ImportedNetwork net;
    try {
      net = parse_onnx_network(bytes, "fuzz", options);
    } catch (const Error&) {
      continue;
    }
    for (const NetworkNode& n : network_nodes(net, Device::VPU_4_0, DType::UINT8)) {
      // Layers were validated on import: the whole workload may still exceed
      // what one DPU holds (the costing splits it), but its fields are sane.
      if (n.engine == NetworkNode::Engine::Dpu && n.layer.input.width <= 0) __builtin_trap();
      if (n.engine == NetworkNode::Engine::Shave) (void)find_problem(n.shave);
    }
  }
  return 0;
}
