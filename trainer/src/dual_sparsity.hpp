#pragma once
// Training on rows with both input and weight sparsity (DualSparsityRows in
// training_data.hpp): their label is the cheaper of two single-sparsity
// workloads, so the network is trained, and judged, on the minimum of its
// predictions for the two.
#include <span>
#include <vector>

#include "batch_engine.hpp"
#include "vpucost/training_data.hpp"

namespace vpucost::detail {

/// Puts into each dual-sparsity row's column of set.x the variant the
/// network finds cheaper now: the label is the minimum of the two, so only
/// that variant gets the gradient (the gradient of a minimum).
void assign_dual_rows(BatchEngine& engine, std::span<const float> params, TrainingSet& set);

/// Replaces the outputs `y` (one per row of `set`) of the dual-sparsity rows
/// by the smaller of their two variants' outputs, as CostModel predicts them.
void take_cheaper_variants(BatchEngine& engine, std::span<const float> params,
                           const TrainingSet& set, std::span<float> y);

}  // namespace vpucost::detail
