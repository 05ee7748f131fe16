#include "vpucost/predictor.hpp"

#include <string>

#include "vpucost/error.hpp"

namespace vpucost {

void CyclePredictor::predict_cycles(std::span<const Workload> workloads,
                                    std::span<double> out) const {
  if (out.size() != workloads.size()) {
    throw Error("predict_cycles: " + std::to_string(out.size()) + " outputs for " +
                std::to_string(workloads.size()) + " workloads");
  }
  for (std::size_t i = 0; i < workloads.size(); ++i) {
    try {
      out[i] = predict_cycles(workloads[i]);
    } catch (const Error& e) {
      throw Error("workload " + std::to_string(i) + ": " + e.what());
    }
  }
}

}  // namespace vpucost
