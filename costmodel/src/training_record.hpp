#pragma once
// What every kind of model file shares, written once: the training record
// (TrainingMetadata) in its "training" group, and opening / writing a model
// file with errors that name the file.
#include <filesystem>
#include <functional>

#include "vpucost/cost_model.hpp"
#include "vpucost/error.hpp"
#include "vpucost/hdf5_io.hpp"

namespace vpucost::detail {

/// Reads root/training (which must exist); throws vpucost::Error naming what is missing.
TrainingMetadata read_training_record(const H5::Group& root);
void write_training_record(H5::Group& root, const TrainingMetadata& m);

/// The root of a model file of `kind` ("shave", "dma"; DPU files predate
/// the kind attribute and are read by model_file.cpp): checks the format
/// tag, the kind (a file of another kind is refused naming it, with
/// `what_it_is` e.g. "a SHAVE model") and the format version; throws
/// vpucost::Error naming what is wrong.
void check_model_root(const H5::Group& root, const std::string& kind,
                      const std::string& what_it_is);
/// Writes what every model file's root holds: format, format_version,
/// vpucost_version, kind, device.
void write_model_root(H5::Group& root, const std::string& kind, Device device);

/// Opens `path` as a model file and returns read(file); every vpucost::Error
/// or HDF5 failure inside becomes one error naming the file.
template <class Read>
auto read_model_file(const std::filesystem::path& path, Read&& read) {
  auto guard = h5::lock();
  H5::H5File file = h5::open_for_reading(path, "model");
  try {
    return read(file);
  } catch (const Error& e) {
    throw Error("model file " + path.string() + ": " + e.what());
  } catch (const H5::Exception& e) {
    throw Error("model file " + path.string() + " is damaged: " + e.getDetailMsg());
  }
}

/// Builds the file in memory with `fill` (h5::build_file_image) and stores it
/// atomically at `path`: a failure leaves any previous file untouched.
void write_model_file(const std::filesystem::path& path,
                      const std::function<void(H5::H5File&)>& fill);

}  // namespace vpucost::detail
