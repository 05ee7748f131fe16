#pragma once
// Model files: HDF5, schema documented in costmodel/README.md ("Model file
// format"). Loading checks format, versions, feature names and every shape,
// and names what is wrong in a damaged or foreign file.
#include <filesystem>

#include "vpucost/cost_model.hpp"

namespace vpucost {

/// Identifies a vpucost model file and its layout version.
inline constexpr const char* kModelFormat = "vpucost-model";
inline constexpr int kModelFormatVersion = 3;

/// The kind of model a file holds (its root attribute "kind"; files without
/// one, every model from before issue #15, are DPU models). Throws
/// vpucost::Error as load_model does for a file that is not a model.
WorkloadKind model_kind(const std::filesystem::path& path);

/// Loads a DPU workload model; a model of another kind is refused naming its kind.
CostModel load_model(const std::filesystem::path& path);

/// Writes atomically (temporary file + rename): an error leaves any previous
/// file at `path` untouched.
void save_model(const ModelParts& parts, const std::filesystem::path& path);

}  // namespace vpucost
