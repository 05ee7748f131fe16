#include "vpucost/hdf5_io.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>

#include "hdf5_format.hpp"
#include "vpucost/error.hpp"

namespace vpucost::h5 {
namespace {

// HDF5 prints its error stack to stderr by default; our messages replace it.
struct SilenceHdf5 {
  SilenceHdf5() { H5::Exception::dontPrint(); }
};

std::recursive_mutex& mutex() {
  static std::recursive_mutex m;
  static SilenceHdf5 silence;
  return m;
}

Error missing(const H5::H5Object& obj, const std::string& kind, const std::string& name) {
  return Error("missing " + kind + " '" + name + "' in " + object_path(obj));
}

}  // namespace

std::unique_lock<std::recursive_mutex> lock() {
  return std::unique_lock(mutex());
}

std::string object_path(const H5::H5Object& obj) {
  try {
    return obj.getObjName();
  } catch (const H5::Exception&) {
    return "<unnamed object>";
  }
}

H5::H5File open_for_reading(const std::filesystem::path& path, const std::string& what) {
  auto guard = lock();
  std::error_code ec;
  const std::string name = path.string();
  if (!std::filesystem::exists(path, ec)) throw Error(what + " file " + name + " does not exist");
  if (std::filesystem::is_directory(path, ec)) {
    throw Error(what + " file " + name + " is a directory");
  }
  {
    std::ifstream probe(path, std::ios::binary);
    if (!probe) throw Error(what + " file " + name + " cannot be read (permission denied?)");
  }
  if (std::filesystem::file_size(path, ec) == 0) throw Error(what + " file " + name + " is empty");
  bool is_hdf5 = false;
  try {
    is_hdf5 = H5::H5File::isHdf5(name);
  } catch (const H5::Exception&) {
    is_hdf5 = false;
  }
  if (!is_hdf5) {
    throw Error(what + " file " + name + " is not an HDF5 file (no HDF5 signature)");
  }
  format::require_checksummed(path, what);
  try {
    return H5::H5File(name, H5F_ACC_RDONLY);
  } catch (const H5::Exception& e) {
    throw Error(what + " file " + name + " is damaged or truncated: HDF5 cannot open it (" +
                e.getDetailMsg() + ")");
  }
}

H5::H5File create(const std::filesystem::path& path) {
  auto guard = lock();
  try {
    H5::FileAccPropList access;
    format::use_checksummed_format(access);
    return H5::H5File(path.string(), H5F_ACC_TRUNC, H5::FileCreatPropList::DEFAULT, access);
  } catch (const H5::Exception& e) {
    throw Error("cannot create HDF5 file " + path.string() + ": " + e.getDetailMsg());
  }
}

std::string build_file_image(const std::function<void(H5::H5File&)>& fill) {
  auto guard = lock();
  // The name only identifies the file among those open in this process.
  static unsigned counter = 0;
  const std::string name = "vpucost-in-memory-" + std::to_string(++counter) + ".h5";
  H5::FileAccPropList access;
  format::use_checksummed_format(access);
  access.setCore(1 << 20, false);  // grow in 1 MiB steps, never touch the disk
  H5::H5File file(name, H5F_ACC_TRUNC, H5::FileCreatPropList::DEFAULT, access);
  fill(file);
  file.flush(H5F_SCOPE_GLOBAL);
  const ssize_t size = H5Fget_file_image(file.getId(), nullptr, 0);
  if (size < 0) throw H5::FileIException("build_file_image", "H5Fget_file_image failed");
  std::string image(static_cast<std::size_t>(size), '\0');
  if (H5Fget_file_image(file.getId(), image.data(), image.size()) != size) {
    throw H5::FileIException("build_file_image", "H5Fget_file_image failed");
  }
  file.close();
  format::fix_superblock_checksum(image);
  return image;
}

bool has_attribute(const H5::H5Object& obj, const std::string& name) {
  auto guard = lock();
  return obj.attrExists(name);
}

bool has_child(const H5::Group& group, const std::string& name) {
  auto guard = lock();
  return group.nameExists(name);
}

std::vector<std::string> attribute_names(const H5::H5Object& obj) {
  auto guard = lock();
  std::vector<std::string> names;
  const int n = obj.getNumAttrs();
  for (int i = 0; i < n; ++i)
    names.push_back(obj.openAttribute(static_cast<unsigned>(i)).getName());
  return names;
}

// Strings are stored fixed-length. libhdf5 1.10 can loop forever reading a
// variable-length string whose global heap is damaged (found by fuzzing), so
// vpucost never reads one; kMaxStringBytes also bounds what a string may cost.
H5::StrType fixed_string_type(std::size_t width) {
  H5::StrType type(H5::PredType::C_S1, std::max<std::size_t>(width, 1));
  type.setCset(H5T_CSET_UTF8);
  type.setStrpad(H5T_STR_NULLPAD);
  return type;
}

namespace {

void check_fixed_string(const H5::StrType& type, std::size_t count, const std::string& where) {
  if (type.isVariableStr()) {
    throw Error(where +
                " is a variable-length string, which vpucost does not read (it writes "
                "fixed-length ones; the file is from another program or an older vpucost)");
  }
  if (type.getSize() == 0 || type.getSize() * count > kMaxStringBytes) {
    throw Error(where + " is " + std::to_string(type.getSize() * count) +
                " bytes of text, more than vpucost reads (" + std::to_string(kMaxStringBytes) +
                ")");
  }
}

std::string trim_padding(const char* data, std::size_t width) {
  std::size_t n = 0;
  while (n < width && data[n] != '\0') ++n;
  return std::string(data, n);
}

}  // namespace

std::string read_string_attribute(const H5::H5Object& obj, const std::string& name) {
  auto guard = lock();
  if (!obj.attrExists(name)) throw missing(obj, "attribute", name);
  H5::Attribute attr = obj.openAttribute(name);
  const std::string where = "attribute '" + name + "' in " + object_path(obj);
  if (attr.getTypeClass() != H5T_STRING || attr.getSpace().getSimpleExtentNpoints() != 1) {
    throw Error(where + " is not a string");
  }
  const H5::StrType type = attr.getStrType();
  check_fixed_string(type, 1, where);
  std::string buffer(type.getSize(), '\0');
  attr.read(type, buffer.data());
  return trim_padding(buffer.data(), buffer.size());
}

namespace {
template <class T>
T read_numeric_attribute(const H5::H5Object& obj, const std::string& name,
                         const H5::PredType& type) {
  auto guard = lock();
  if (!obj.attrExists(name)) throw missing(obj, "attribute", name);
  H5::Attribute attr = obj.openAttribute(name);
  const auto cls = attr.getTypeClass();
  if ((cls != H5T_INTEGER && cls != H5T_FLOAT) || attr.getSpace().getSimpleExtentNpoints() != 1) {
    throw Error("attribute '" + name + "' in " + object_path(obj) + " is not a single number");
  }
  T value{};
  attr.read(type, &value);
  return value;
}
}  // namespace

double read_double_attribute(const H5::H5Object& obj, const std::string& name) {
  return read_numeric_attribute<double>(obj, name, H5::PredType::NATIVE_DOUBLE);
}

std::int64_t read_int_attribute(const H5::H5Object& obj, const std::string& name) {
  return read_numeric_attribute<std::int64_t>(obj, name, H5::PredType::NATIVE_INT64);
}

void write_attribute(H5::H5Object& obj, const std::string& name, const std::string& value) {
  auto guard = lock();
  const H5::StrType type = fixed_string_type(value.size());
  H5::Attribute attr = obj.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
  std::string padded = value;
  padded.resize(std::max<std::size_t>(value.size(), 1), '\0');
  attr.write(type, padded.data());
}

void write_variable_length_attribute(H5::H5Object& obj, const std::string& name,
                                     const std::string& value) {
  auto guard = lock();
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  H5::Attribute attr = obj.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
  attr.write(type, value);
}

void write_attribute(H5::H5Object& obj, const std::string& name, double value) {
  auto guard = lock();
  H5::Attribute attr =
      obj.createAttribute(name, H5::PredType::IEEE_F64LE, H5::DataSpace(H5S_SCALAR));
  attr.write(H5::PredType::NATIVE_DOUBLE, &value);
}

void write_attribute(H5::H5Object& obj, const std::string& name, std::int64_t value) {
  auto guard = lock();
  H5::Attribute attr =
      obj.createAttribute(name, H5::PredType::STD_I64LE, H5::DataSpace(H5S_SCALAR));
  attr.write(H5::PredType::NATIVE_INT64, &value);
}

H5::Group open_group(const H5::Group& parent, const std::string& name) {
  auto guard = lock();
  if (!parent.nameExists(name)) throw missing(parent, "group", name);
  if (parent.childObjType(name) != H5O_TYPE_GROUP) {
    throw Error("'" + name + "' in " + object_path(parent) + " is not a group");
  }
  return parent.openGroup(name);
}

std::vector<hsize_t> dataset_shape(const H5::Group& group, const std::string& name) {
  auto guard = lock();
  if (!group.nameExists(name)) throw missing(group, "dataset", name);
  if (group.childObjType(name) != H5O_TYPE_DATASET) {
    throw Error("'" + name + "' in " + object_path(group) + " is not a dataset");
  }
  H5::DataSpace space = group.openDataSet(name).getSpace();
  std::vector<hsize_t> dims(static_cast<std::size_t>(space.getSimpleExtentNdims()));
  space.getSimpleExtentDims(dims.data());
  return dims;
}

namespace {
std::string dataset_where(const H5::Group& group, const std::string& name) {
  return "dataset '" + name + "' in " + object_path(group);
}
}  // namespace

H5::DataSet open_numeric(const H5::Group& group, const std::string& name) {
  H5::DataSet ds = group.openDataSet(name);
  const auto cls = ds.getTypeClass();
  if (cls != H5T_FLOAT && cls != H5T_INTEGER) {
    throw Error(dataset_where(group, name) + " is not numeric");
  }
  // A damaged file can declare numbers of any width (the size field has 32
  // bits); libhdf5 then allocates width x count for the conversion, gigabytes
  // for a few values (found by fuzzing). Real numbers are at most 8 bytes.
  if (const std::size_t width = ds.getDataType().getSize(); width == 0 || width > 8) {
    throw Error(dataset_where(group, name) + " stores " + std::to_string(width) +
                "-byte numbers (expected 1 to 8)");
  }
  return ds;
}

// Raw data carries a Fletcher-32 checksum (checksummed_layout) that libhdf5
// verifies while reading; its failure is named here, not as "H5Dread failed".
void read_values(const H5::DataSet& ds, void* buffer, const H5::DataType& type,
                 const std::string& where) {
  try {
    ds.read(buffer, type);
  } catch (const H5::Exception&) {
    throw Error(where + " is damaged: its stored values fail their checksum or cannot be decoded");
  }
}

Eigen::VectorXf read_vector(const H5::Group& group, const std::string& name,
                            std::size_t max_elements) {
  auto guard = lock();
  const auto dims = dataset_shape(group, name);
  if (dims.size() != 1) {
    throw Error(dataset_where(group, name) + " has " + std::to_string(dims.size()) +
                " dimensions, expected 1");
  }
  if (dims[0] > max_elements) {
    throw Error(dataset_where(group, name) + " holds " + std::to_string(dims[0]) +
                " values, more than the " + std::to_string(max_elements) + " it can have");
  }
  Eigen::VectorXf v(static_cast<Eigen::Index>(dims[0]));
  if (dims[0] > 0) {
    read_values(open_numeric(group, name), v.data(), H5::PredType::NATIVE_FLOAT,
                dataset_where(group, name));
  }
  return v;
}

Eigen::MatrixXf read_matrix(const H5::Group& group, const std::string& name) {
  auto guard = lock();
  const auto dims = dataset_shape(group, name);
  if (dims.size() != 2) {
    throw Error(dataset_where(group, name) + " has " + std::to_string(dims.size()) +
                " dimensions, expected 2");
  }
  using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  RowMajor m(static_cast<Eigen::Index>(dims[0]), static_cast<Eigen::Index>(dims[1]));
  if (m.size() > 0) {
    read_values(open_numeric(group, name), m.data(), H5::PredType::NATIVE_FLOAT,
                dataset_where(group, name));
  }
  return m;
}

std::vector<std::string> read_strings(const H5::Group& group, const std::string& name) {
  auto guard = lock();
  const auto dims = dataset_shape(group, name);
  H5::DataSet ds = group.openDataSet(name);
  const std::string where = dataset_where(group, name);
  if (dims.size() != 1 || ds.getTypeClass() != H5T_STRING) {
    throw Error(where + " is not a list of strings");
  }
  const H5::StrType type = ds.getStrType();
  check_fixed_string(type, dims[0], where);
  const std::size_t width = type.getSize();
  std::vector<char> buffer(width * dims[0]);
  if (!buffer.empty()) read_values(ds, buffer.data(), type, where);
  std::vector<std::string> out;
  out.reserve(dims[0]);
  for (hsize_t i = 0; i < dims[0]; ++i) out.push_back(trim_padding(&buffer[i * width], width));
  return out;
}

// One chunk holding the whole dataset, deflated and with HDF5's Fletcher-32
// checksum: the file format checksums metadata but not raw data, and a
// flipped bit in a weight would otherwise change predictions silently.
// libhdf5 verifies Fletcher-32 on every read, and zlib the Adler-32 of the
// inflated values: Fletcher-32 alone cannot tell a 16-bit word 0x0000 from
// 0xFFFF (found by fuzzing checkpoints), Adler-32 (modulo a prime) can.
// (An empty dataset cannot be chunked.)
H5::DSetCreatPropList checksummed_layout(int rank, const hsize_t* dims) {
  H5::DSetCreatPropList plist;
  for (int i = 0; i < rank; ++i)
    if (dims[i] == 0) return plist;
  plist.setChunk(rank, dims);
  plist.setDeflate(1);
  plist.setFletcher32();
  return plist;
}

void write_vector(H5::Group& group, const std::string& name, const Eigen::VectorXf& v) {
  auto guard = lock();
  const hsize_t dims[1] = {static_cast<hsize_t>(v.size())};
  H5::DataSet ds = group.createDataSet(name, H5::PredType::IEEE_F32LE, H5::DataSpace(1, dims),
                                       checksummed_layout(1, dims));
  ds.write(v.data(), H5::PredType::NATIVE_FLOAT);
}

void write_matrix(H5::Group& group, const std::string& name, const Eigen::MatrixXf& m) {
  auto guard = lock();
  using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const RowMajor rm = m;
  const hsize_t dims[2] = {static_cast<hsize_t>(m.rows()), static_cast<hsize_t>(m.cols())};
  H5::DataSet ds = group.createDataSet(name, H5::PredType::IEEE_F32LE, H5::DataSpace(2, dims),
                                       checksummed_layout(2, dims));
  ds.write(rm.data(), H5::PredType::NATIVE_FLOAT);
}

void write_strings(H5::Group& group, const std::string& name, const std::vector<std::string>& s) {
  auto guard = lock();
  std::size_t width = 1;
  for (const auto& x : s) width = std::max(width, x.size());
  const H5::StrType type = fixed_string_type(width);
  std::vector<char> buffer(width * s.size(), '\0');
  for (std::size_t i = 0; i < s.size(); ++i)
    std::copy(s[i].begin(), s[i].end(), &buffer[i * width]);
  const hsize_t dims[1] = {s.size()};
  H5::DataSet ds =
      group.createDataSet(name, type, H5::DataSpace(1, dims), checksummed_layout(1, dims));
  if (!buffer.empty()) ds.write(buffer.data(), type);
}

}  // namespace vpucost::h5
