#pragma once
// DMA model files: HDF5 like the DPU model files (costmodel/README.md,
// "Model file format"), with root attribute kind = "dma" and one group per
// direction's curve. Loading checks every field and names what is wrong.
#include <filesystem>

#include "vpucost/dma_model.hpp"

namespace vpucost {

DmaModel load_dma_model(const std::filesystem::path& path);

/// Writes atomically (temporary file + rename): an error leaves any previous
/// file at `path` untouched.
void save_dma_model(const DmaModelParts& parts, const std::filesystem::path& path);

}  // namespace vpucost
