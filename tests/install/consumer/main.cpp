// Costs one workload with the roofline through the installed library.
#include <iostream>
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
  const double cycles = vpucost::RooflineModel().predict_cycles(w);
  std::cout << "consumer cycles " << cycles << "\n";
  return cycles > 0 ? 0 : 1;
}
