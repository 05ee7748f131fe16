#pragma once
// Fine-tuning: training that starts from an existing model's weights, e.g.
// a VPU_2_7 model adapted to VPU_4_0 with a few thousand recordings.
#include <filesystem>

#include "vpucost/cost_model.hpp"
#include "vpucost/training_data.hpp"

namespace vpucost {

/// The model to start from, in the current feature encoding.
struct FineTuningStart {
  ModelParts parts;
  /// Features the file's model was trained on: the first ones of the current
  /// encoding (versions only append). Fewer than kFeatureCount when the model
  /// was widened (see load_model_for_fine_tuning).
  std::size_t inherited_features = kFeatureCount;
};

/// Loads the model to start from. A model of an older encoding is widened to
/// the current one: its first layer gets a zero weight for every feature its
/// version lacks (normalised with mean 0 and deviation 1 until the caller
/// fits them), so it predicts exactly what it did until training moves those
/// weights. Throws vpucost::Error starting with "cannot fine-tune from
/// <path>: " and saying why; a model of a newer or unknown version is refused
/// with both versions named.
FineTuningStart load_model_for_fine_tuning(const std::filesystem::path& path);

/// The same function under another normalisation: returns a network that,
/// fed features standardised with `to`, and read out through `to`'s output
/// transform, predicts exactly (up to float rounding) what `mlp` predicts
/// under `from`. Lets fine-tuning re-standardise on the new data without
/// losing what the network has learnt.
Mlp renormalise(const Mlp& mlp, const Normalisation& from, const Normalisation& to);

}  // namespace vpucost
