#pragma once
// Feature encoding: how a workload becomes the input vector of the MLP.
// This is the one place that defines it; costmodel/README.md documents each
// feature. Any change to the list, its order or a formula must bump
// kFeatureEncodingVersion: model files record the version they were trained
// with and refuse to load under another.
#include <array>
#include <cstddef>
#include <span>
#include <string_view>

#include "vpucost/workload.hpp"

namespace vpucost {

inline constexpr int kFeatureEncodingVersion = 2;
inline constexpr std::size_t kFeatureCount = 42;

/// Names of the features in encoding order (stored in model files as a check).
std::span<const std::string_view> feature_names();

/// Encodes a valid workload. The workload is first brought to its executed
/// form (see as_executed), so that e.g. 65 and 80 channels encode the same.
/// Never allocates.
void encode_features(const Workload& w, std::span<float, kFeatureCount> out) noexcept;

using FeatureVector = std::array<float, kFeatureCount>;
inline FeatureVector encode_features(const Workload& w) noexcept {
  FeatureVector v;
  encode_features(w, v);
  return v;
}

}  // namespace vpucost
