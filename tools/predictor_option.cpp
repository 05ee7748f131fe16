#include "predictor_option.hpp"

#include "vpucost/model_file.hpp"
#include "vpucost/roofline.hpp"

namespace vpucost::cli {

LoadedPredictor load_predictor(const std::string& model_option) {
  if (model_option.empty() || model_option == "roofline") {
    return {std::make_unique<RooflineModel>(), "roofline"};
  }
  auto model = std::make_unique<CostModel>(load_model(model_option));
  std::string description =
      "model " + model_option + " (" + std::string(to_string(model->device())) + ")";
  return {std::move(model), std::move(description)};
}

}  // namespace vpucost::cli
