#include "dual_sparsity.hpp"

#include <algorithm>

namespace vpucost::detail {
namespace {

// Network outputs for both variants of every dual-sparsity row of `set`:
// out[2i] input-only, out[2i + 1] weight-only.
std::vector<float> predict_variants(BatchEngine& engine, std::span<const float> params,
                                    const TrainingSet& set) {
  TrainingSet variants;
  variants.x = set.dual.variants;
  variants.target.resize(variants.x.cols());
  variants.log_cycles.resize(static_cast<std::size_t>(variants.x.cols()));
  for (std::size_t i = 0; i < set.dual.size(); ++i) {
    const auto c = static_cast<Eigen::Index>(set.dual.columns[i]);
    variants.target[static_cast<Eigen::Index>(2 * i)] = set.target[c];
    variants.target[static_cast<Eigen::Index>(2 * i + 1)] = set.target[c];
  }
  std::vector<float> y(variants.size());
  engine.predict(params, variants, y);
  return y;
}

}  // namespace

void assign_dual_rows(BatchEngine& engine, std::span<const float> params, TrainingSet& set) {
  if (set.dual.size() == 0) return;
  const std::vector<float> y = predict_variants(engine, params, set);
  for (std::size_t i = 0; i < set.dual.size(); ++i) {
    const std::size_t cheaper = y[2 * i] <= y[2 * i + 1] ? 2 * i : 2 * i + 1;
    set.x.col(static_cast<Eigen::Index>(set.dual.columns[i])) =
        set.dual.variants.col(static_cast<Eigen::Index>(cheaper));
  }
}

void take_cheaper_variants(BatchEngine& engine, std::span<const float> params,
                           const TrainingSet& set, std::span<float> y) {
  if (set.dual.size() == 0) return;
  const std::vector<float> v = predict_variants(engine, params, set);
  for (std::size_t i = 0; i < set.dual.size(); ++i) {
    y[set.dual.columns[i]] = std::min(v[2 * i], v[2 * i + 1]);
  }
}

}  // namespace vpucost::detail
