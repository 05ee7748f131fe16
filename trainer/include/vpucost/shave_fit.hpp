#pragma once
// Fitting a SHAVE cost model (shave_model.hpp) to recordings: for every
// operation, data type and parameter in the data, the coefficients of its
// closed-form basis by least squares on the relative error, for each loop
// shape the basis can take; the shape with the lowest training MAPE is kept.
// Deterministic: no random numbers, the groups in order of first appearance.
#include <string>

#include "vpucost/kind_recordings.hpp"
#include "vpucost/shave_model.hpp"

namespace vpucost {

/// Fits one model for the single device of `data` (throws vpucost::Error
/// naming both devices if it mixes devices, or if it is empty). `what` names
/// the data in messages and in the model's training record.
ShaveModelParts fit_shave_model(const ShaveRecordings& data, const std::string& what);

}  // namespace vpucost
