#pragma once
// Feature encoding: how a workload becomes the input vector of the MLP.
// This is the one place that defines it; costmodel/README.md documents each
// feature. Any change to the list, its order or a formula needs a new
// version: model files record the version they were trained with.
//
// Versions only ever append: version 3 is version 2's 42 features followed
// by the compiler's fields and HF8, so the first feature_count(2) values of
// the version-3 vector are exactly the version-2 encoding, and a model of an
// older version runs on a prefix of the current vector. Version 4 appends the
// input channels' use of a 64-channel grid.
#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "vpucost/workload.hpp"

namespace vpucost {

/// The version new models are trained with.
inline constexpr int kFeatureEncodingVersion = 4;
/// The oldest version models may still be loaded with.
inline constexpr int kOldestFeatureEncodingVersion = 2;
/// Features of the current version (the length of every encoded vector).
inline constexpr std::size_t kFeatureCount = 57;

bool is_supported_feature_version(int version);
/// Number of features of a supported version (42 for version 2, 56 for 3).
std::size_t feature_count(int version);

/// Names of the features of `version` in encoding order (stored in model
/// files as a check).
std::span<const std::string_view> feature_names(int version = kFeatureEncodingVersion);

/// What `version` cannot encode about `w` (e.g. "activation RELU",
/// "input dtype HF8"): version 2 knows none of the compiler's fields and no
/// HF8. std::nullopt when the encoding describes `w` completely.
std::optional<std::string> unencodable_field(const Workload& w, int version);

/// Encodes a valid workload in the current version. The workload is first
/// brought to its executed form (see as_executed), so that e.g. 65 and 80
/// channels encode the same. Never allocates.
void encode_features(const Workload& w, std::span<float, kFeatureCount> out) noexcept;

/// `f` holds the encoding of `w` in another execution mode: rewrites the
/// features the mode changes (5-10 and 32-37) for w.mode, giving exactly
/// encode_features(w) at a fraction of its cost (a layer asks for most
/// pieces in every mode).
void encode_mode_change(const Workload& w, std::span<float, kFeatureCount> f) noexcept;

using FeatureVector = std::array<float, kFeatureCount>;
inline FeatureVector encode_features(const Workload& w) noexcept {
  FeatureVector v;
  encode_features(w, v);
  return v;
}

}  // namespace vpucost
