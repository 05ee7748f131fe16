#pragma once
// Small helpers over the HDF5 C++ API shared by model files and datasets:
// opening files with a precise diagnosis of what is wrong, typed attribute
// and dataset access that names what is missing, and one process-wide lock
// (Debian's HDF5 is not thread-safe, so every HDF5 call holds it).
#include <H5Cpp.h>

#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace vpucost::h5 {

/// Hold while calling into HDF5.
std::unique_lock<std::recursive_mutex> lock();

/// Opens `path` read-only. Throws vpucost::Error saying whether the file is
/// missing, a directory, empty, not HDF5 at all (e.g. a PNG or CSV), in the
/// HDF5 1.8 format without metadata checksums (which libhdf5 1.10.8 cannot
/// parse safely when damaged; vpucost writes the 1.10 format), or damaged or
/// truncated. `what` names the expected content ("model", "dataset") in
/// messages.
H5::H5File open_for_reading(const std::filesystem::path& path, const std::string& what);

/// Creates (truncates) `path` for writing, in the format open_for_reading reads.
H5::H5File create(const std::filesystem::path& path);

/// Builds an HDF5 file in memory (HDF5's core driver, no backing store) and
/// returns its bytes, for the caller to store with AtomicFile. vpucost never
/// lets libhdf5 write to disk: when a write fails (disk full, file size
/// limit), libhdf5 1.10 crashes (SIGSEGV in H5F__close) closing the file, so
/// files are built in memory and their image written by code that reports
/// the error. The file is in the HDF5 1.10 format, whose metadata libhdf5
/// checksums (see open_for_reading). Throws H5::Exception from `fill` or HDF5.
std::string build_file_image(const std::function<void(H5::H5File&)>& fill);

bool has_attribute(const H5::H5Object& obj, const std::string& name);
bool has_child(const H5::Group& group, const std::string& name);

/// Readers throw vpucost::Error("missing attribute 'x' in <where>") or a type
/// mismatch message; `where` is the object's path for messages.
std::string read_string_attribute(const H5::H5Object& obj, const std::string& name);
double read_double_attribute(const H5::H5Object& obj, const std::string& name);
std::int64_t read_int_attribute(const H5::H5Object& obj, const std::string& name);
std::vector<std::string> attribute_names(const H5::H5Object& obj);

/// Most bytes of text one string attribute or list may hold when read.
inline constexpr std::size_t kMaxStringBytes = std::size_t{1} << 20;
/// Fixed-length UTF-8, NUL-padded string type of `width` bytes (at least 1).
H5::StrType fixed_string_type(std::size_t width);

/// Strings are written fixed-length (UTF-8, NUL-padded); read_string_attribute
/// and read_strings refuse variable-length strings (libhdf5 1.10 can hang on
/// a damaged one).
void write_attribute(H5::H5Object& obj, const std::string& name, const std::string& value);
/// What other programs (e.g. h5py) write: for tests of the refusal only.
void write_variable_length_attribute(H5::H5Object& obj, const std::string& name,
                                     const std::string& value);
void write_attribute(H5::H5Object& obj, const std::string& name, double value);
void write_attribute(H5::H5Object& obj, const std::string& name, std::int64_t value);

H5::Group open_group(const H5::Group& parent, const std::string& name);

/// Dataset dimensions (throws if missing).
std::vector<hsize_t> dataset_shape(const H5::Group& group, const std::string& name);

/// A 1-D float32 dataset (any stored float type is converted) of at most
/// `max_elements` values: the size is checked before anything is allocated,
/// so a damaged file cannot make libhdf5 allocate gigabytes (found by fuzzing).
Eigen::VectorXf read_vector(const H5::Group& group, const std::string& name,
                            std::size_t max_elements);
/// A 2-D float32 dataset [rows, cols].
Eigen::MatrixXf read_matrix(const H5::Group& group, const std::string& name);
std::vector<std::string> read_strings(const H5::Group& group, const std::string& name);

/// A numeric dataset, refused (vpucost::Error) unless its numbers are 1 to
/// 8 bytes wide: libhdf5 allocates width x count to convert them, and a
/// damaged file can declare any width (found by fuzzing).
H5::DataSet open_numeric(const H5::Group& group, const std::string& name);
/// Reads all of `ds` as `type`; a failed read (e.g. a Fletcher-32 checksum
/// mismatch) becomes vpucost::Error("<where> is damaged: ...").
void read_values(const H5::DataSet& ds, void* buffer, const H5::DataType& type,
                 const std::string& where);

/// How vpucost stores a dataset: one chunk holding all of it, deflated (zlib
/// checks the Adler-32 of the inflated values) and with HDF5's Fletcher-32
/// checksum, both verified by libhdf5 on reading (metadata has its own
/// checksums; raw data has none otherwise). Empty datasets cannot be chunked
/// and get the default layout.
H5::DSetCreatPropList checksummed_layout(int rank, const hsize_t* dims);

void write_vector(H5::Group& group, const std::string& name, const Eigen::VectorXf& v);
void write_matrix(H5::Group& group, const std::string& name, const Eigen::MatrixXf& m);
void write_strings(H5::Group& group, const std::string& name, const std::vector<std::string>& s);

/// Object path for messages, e.g. "/layers/layer_1".
std::string object_path(const H5::H5Object& obj);

}  // namespace vpucost::h5
