#pragma once
// What the `vpucost train` / `eval` end-to-end tests share: the bundled
// sample recordings and a model's weights as one vector.
#include <filesystem>
#include <string>

#include "vpucost/model_file.hpp"
#include "vpucost/trainable_mlp.hpp"

namespace vpucost::test {

inline const std::string kSamples = std::string(VPUCOST_SOURCE_DIR) + "/data/samples/";
inline const std::string kTrain = kSamples + "vpu_2_7_train.csv";
inline const std::string kTest = kSamples + "vpu_2_7_test.csv";

inline ParameterVector weights(const std::filesystem::path& model) {
  return flatten(load_model(model).parts().mlp);
}

}  // namespace vpucost::test
