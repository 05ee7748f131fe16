#pragma once
// Fitting a DMA cost model (dma_model.hpp) to recordings: for each direction
// in the data, the cycles at knots spaced kDmaKnotsPerOctave per octave of
// bytes over the data's range, by least squares on the relative error.
// Deterministic: no random numbers.
#include <string>

#include "vpucost/dma_model.hpp"
#include "vpucost/kind_recordings.hpp"

namespace vpucost {

/// Fits one model for the single device of `data`. Throws vpucost::Error if
/// it is empty, mixes devices, or has a direction with a single transfer
/// size (a curve needs two). `what` names the data in messages and in the
/// model's training record.
DmaModelParts fit_dma_model(const DmaRecordings& data, const std::string& what,
                            int knots_per_octave = kDmaKnotsPerOctave);

}  // namespace vpucost
