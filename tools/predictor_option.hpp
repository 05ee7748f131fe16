#pragma once
// The --model option shared by every command that costs workloads: a model
// file, or "roofline" / nothing for the analytic estimate.
#include <memory>
#include <string>

#include "vpucost/predictor.hpp"

namespace vpucost::cli {

struct LoadedPredictor {
  std::unique_ptr<CyclePredictor> predictor;
  std::string description;  ///< "model models/vpu_2_7.h5 (VPU_2_7)" or "roofline"
};

LoadedPredictor load_predictor(const std::string& model_option);

}  // namespace vpucost::cli
