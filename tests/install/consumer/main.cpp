// Costs one workload with the roofline through the installed costmodel
// library, and the same layer on the whole device through the installed
// network library (find_package(vpucost) gives both targets).
#include <iostream>
#include <vpucost/layer_strategy.hpp>
#include <vpucost/roofline.hpp>
#include <vpucost/workload.hpp>

int main() {
  vpucost::Workload w;
  w.device = vpucost::Device::VPU_2_7;
  w.operation = vpucost::Operation::CONVOLUTION;
  w.input = {56, 56, 64, vpucost::DType::UINT8};
  w.output = {56, 56, 64, vpucost::DType::UINT8};
  w.kernel_w = w.kernel_h = 3;
  w.padding = {1, 1, 1, 1};
  w.mode = vpucost::ExecutionMode::CUBOID_16x16;
  const vpucost::RooflineModel roofline;
  const double cycles = roofline.predict_cycles(w);
  const double layer_cycles = vpucost::cost_strategies(roofline, w).best().cycles;
  std::cout << "consumer cycles " << cycles << " layer " << layer_cycles << "\n";
  // Two tiles are never slower than one DPU.
  return cycles > 0 && layer_cycles > 0 && layer_cycles <= cycles ? 0 : 1;
}
