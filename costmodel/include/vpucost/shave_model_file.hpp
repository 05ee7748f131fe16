#pragma once
// SHAVE model files: HDF5 like the DPU model files (costmodel/README.md,
// "Model file format"), with root attribute kind = "shave" and one group per
// fitted formula. Loading checks every field and names what is wrong.
#include <filesystem>

#include "vpucost/shave_model.hpp"

namespace vpucost {

ShaveModel load_shave_model(const std::filesystem::path& path);

/// Writes atomically (temporary file + rename): an error leaves any previous
/// file at `path` untouched.
void save_shave_model(const ShaveModelParts& parts, const std::filesystem::path& path);

}  // namespace vpucost
