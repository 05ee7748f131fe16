#pragma once
// The training record (TrainingMetadata) in the "training" group of a model
// file: the same for every kind of model, so written and read in one place.
#include "vpucost/cost_model.hpp"
#include "vpucost/hdf5_io.hpp"

namespace vpucost::detail {

/// Reads root/training (which must exist); throws vpucost::Error naming what is missing.
TrainingMetadata read_training_record(const H5::Group& root);
void write_training_record(H5::Group& root, const TrainingMetadata& m);

}  // namespace vpucost::detail
