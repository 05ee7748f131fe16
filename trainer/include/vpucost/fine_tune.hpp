#pragma once
// Fine-tuning: training that starts from an existing model's weights, e.g.
// a VPU_2_7 model adapted to VPU_4_0 with a few thousand recordings.
#include <filesystem>

#include "vpucost/cost_model.hpp"
#include "vpucost/training_data.hpp"

namespace vpucost {

/// Loads the model to start from. Throws vpucost::Error starting with
/// "cannot fine-tune from <path>: " and saying why; a model of another
/// feature encoding version is refused with both versions named (its
/// inputs mean something else, so its weights are no starting point).
ModelParts load_model_for_fine_tuning(const std::filesystem::path& path);

/// The same function under another normalisation: returns a network that,
/// fed features standardised with `to`, and read out through `to`'s output
/// transform, predicts exactly (up to float rounding) what `mlp` predicts
/// under `from`. Lets fine-tuning re-standardise on the new data without
/// losing what the network has learnt.
Mlp renormalise(const Mlp& mlp, const Normalisation& from, const Normalisation& to);

}  // namespace vpucost
