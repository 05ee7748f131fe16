// Layout (schema: datasets/README.md, "SHAVE and DMA datasets"):
//   /          format = "vpucost-dataset", kind = "shave" | "dma",
//              kind_schema_version, vpucost_version
//   /dataset   rows, source_file, created, rows_read, rows_rejected; one 1-D
//              HDF5 dataset per column, all of length rows: names of enum
//              values as fixed-length strings (the CSV's spellings), sizes
//              and parameters as int64, cycles as float64.
#include "vpucost/kind_dataset.hpp"

#include <cmath>
#include <functional>

#include "dataset_hdf5.hpp"
#include "vpucost/atomic_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/hdf5_io.hpp"
#include "vpucost/version.hpp"

namespace vpucost {
namespace {

constexpr const char* kDatasetFormat = "vpucost-dataset";
// Far above the 20,000-row teacher files; keeps a damaged row count from
// asking for terabytes.
constexpr hsize_t kMaxKindRows = hsize_t{1} << 28;

// "SHAVE operations" for "shave": what a file of that kind records.
std::string rows_of_kind(const std::string& kind) {
  if (kind == "shave") return "SHAVE operations";
  if (kind == "dma") return "DMA transfers";
  if (kind == "dpu") return "DPU workloads";
  return kind + " rows";
}

void write_ints(H5::Group& g, const std::string& name, const std::vector<std::int64_t>& v) {
  const hsize_t dims[1] = {v.size()};
  H5::DataSet ds = g.createDataSet(name, H5::PredType::STD_I64LE, H5::DataSpace(1, dims),
                                   h5::checksummed_layout(1, dims));
  ds.write(v.data(), H5::PredType::NATIVE_INT64);
}

void write_doubles(H5::Group& g, const std::string& name, const std::vector<double>& v) {
  const hsize_t dims[1] = {v.size()};
  H5::DataSet ds = g.createDataSet(name, H5::PredType::IEEE_F64LE, H5::DataSpace(1, dims),
                                   h5::checksummed_layout(1, dims));
  ds.write(v.data(), H5::PredType::NATIVE_DOUBLE);
}

template <class T>
std::vector<T> read_column(const H5::Group& g, const std::string& name, hsize_t rows,
                           const H5::PredType& type) {
  const auto shape = h5::dataset_shape(g, name);
  if (shape.size() != 1 || shape[0] != rows) {
    throw Error("column " + name + " does not hold " + std::to_string(rows) + " values");
  }
  std::vector<T> v(rows);
  if (rows > 0) h5::read_values(h5::open_numeric(g, name), v.data(), type, "column " + name);
  return v;
}

std::vector<std::int64_t> read_ints(const H5::Group& g, const std::string& name, hsize_t rows) {
  return read_column<std::int64_t>(g, name, rows, H5::PredType::NATIVE_INT64);
}

std::vector<double> read_doubles(const H5::Group& g, const std::string& name, hsize_t rows) {
  return read_column<double>(g, name, rows, H5::PredType::NATIVE_DOUBLE);
}

template <class E>
std::vector<E> read_enums(const H5::Group& g, const std::string& name, hsize_t rows) {
  const std::vector<std::string> names = h5::read_strings(g, name);
  if (names.size() != rows) {
    throw Error("column " + name + " does not hold " + std::to_string(rows) + " values");
  }
  std::vector<E> out;
  out.reserve(rows);
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto v = try_parse<E>(names[i]);
    if (!v)
      throw Error("row " + std::to_string(i) + ": unknown " + std::string(EnumInfo<E>::kind) +
                  " '" + names[i] + "'");
    out.push_back(*v);
  }
  return out;
}

template <class E, class Items, class Get>
std::vector<std::string> enum_names(const Items& items, Get get) {
  std::vector<std::string> out;
  out.reserve(items.size());
  for (const auto& x : items) out.emplace_back(to_string(static_cast<E>(get(x))));
  return out;
}

template <class Items, class Get>
std::vector<std::int64_t> ints(const Items& items, Get get) {
  std::vector<std::int64_t> out;
  out.reserve(items.size());
  for (const auto& x : items) out.push_back(get(x));
  return out;
}

template <class Recordings>
void write_common(H5::H5File& file, const Recordings& data, const char* kind) {
  H5::Group root = file.openGroup("/");
  h5::write_attribute(root, "format", std::string(kDatasetFormat));
  h5::write_attribute(root, "kind", std::string(kind));
  h5::write_attribute(root, "kind_schema_version", std::int64_t{kKindDatasetSchemaVersion});
  h5::write_attribute(root, "vpucost_version", std::string(kVersion));
  H5::Group g = root.createGroup("dataset");
  h5::write_attribute(g, "rows", static_cast<std::int64_t>(data.size()));
  h5::write_attribute(g, "source_file", data.source);
  h5::write_attribute(g, "created", detail::utc_now());
  h5::write_attribute(g, "rows_read", static_cast<std::int64_t>(data.rows_read));
  h5::write_attribute(g, "rows_rejected", static_cast<std::int64_t>(data.rejects.size()));
  h5::write_strings(g, "device",
                    enum_names<Device>(data.items, [](const auto& x) { return x.device; }));
  write_doubles(g, "cycles", data.cycles);
}

template <class Recordings>
void save_rows(const Recordings& data, const std::filesystem::path& path, const char* kind,
               const std::function<void(H5::Group&)>& columns) {
  if (data.items.empty()) {
    throw Error(data.source + " has no valid " + std::string(kind) + " row; no dataset written");
  }
  if (data.cycles.size() != data.items.size()) throw Error("rows and cycles differ in number");
  std::string image = h5::build_file_image([&](H5::H5File& file) {
    write_common(file, data, kind);
    H5::Group g = file.openGroup("/dataset");
    columns(g);
  });
  write_file_atomically(path, image);
}

// Opens the file, checks the format and kind, returns the row count.
template <class Read>
auto read_kind_file(const std::filesystem::path& path, const char* kind, Read&& read) {
  auto guard = h5::lock();
  H5::H5File file = h5::open_for_reading(path, "dataset");
  try {
    const H5::Group root = file.openGroup("/");
    if (!h5::has_attribute(root, "format") ||
        detail::read_text_attribute(root, "format") != kDatasetFormat) {
      throw Error("not a vpucost dataset (the root has no format attribute 'vpucost-dataset')");
    }
    const std::string found =
        h5::has_attribute(root, "kind") ? detail::read_text_attribute(root, "kind") : "dpu";
    if (found != kind) {
      throw Error("records " + rows_of_kind(found) + ", not " + rows_of_kind(kind));
    }
    const std::int64_t version = h5::read_int_attribute(root, "kind_schema_version");
    if (version != kKindDatasetSchemaVersion) {
      throw Error("kind dataset schema version " + std::to_string(version) +
                  " is not supported (this vpucost reads version " +
                  std::to_string(kKindDatasetSchemaVersion) + ")");
    }
    const H5::Group g = h5::open_group(root, "dataset");
    const std::int64_t rows = h5::read_int_attribute(g, "rows");
    if (rows < 1 || static_cast<hsize_t>(rows) > kMaxKindRows) {
      throw Error("row count " + std::to_string(rows) + " is outside 1.." +
                  std::to_string(kMaxKindRows));
    }
    auto out = read(g, static_cast<hsize_t>(rows));
    out.source = path.filename().string();
    out.rows_read =
        static_cast<std::uint64_t>(std::max(h5::read_int_attribute(g, "rows_read"), rows));
    out.cycles = read_doubles(g, "cycles", static_cast<hsize_t>(rows));
    for (std::size_t i = 0; i < out.cycles.size(); ++i) {
      if (!(std::isfinite(out.cycles[i]) && out.cycles[i] > 0)) {
        throw Error("row " + std::to_string(i) + ": cycles " + std::to_string(out.cycles[i]) +
                    " is not a positive number");
      }
    }
    return out;
  } catch (const Error& e) {
    throw Error("dataset file " + path.string() + ": " + e.what());
  } catch (const H5::Exception& e) {
    throw Error("dataset file " + path.string() + " is damaged: " + e.getDetailMsg());
  }
}

}  // namespace

WorkloadKind dataset_kind(const std::filesystem::path& path) {
  auto guard = h5::lock();
  H5::H5File file = h5::open_for_reading(path, "dataset");
  try {
    const H5::Group root = file.openGroup("/");
    if (!h5::has_attribute(root, "kind")) return WorkloadKind::dpu;
    const std::string kind = detail::read_text_attribute(root, "kind");
    if (auto k = try_parse<WorkloadKind>(kind)) return *k;
    throw Error("unknown dataset kind '" + kind + "' (expected " + names_list<WorkloadKind>() +
                ")");
  } catch (const Error& e) {
    throw Error("dataset file " + path.string() + ": " + e.what());
  } catch (const H5::Exception& e) {
    throw Error("dataset file " + path.string() + " is damaged: " + e.getDetailMsg());
  }
}

void save_kind_dataset(const ShaveRecordings& data, const std::filesystem::path& path) {
  const auto& it = data.items;
  save_rows(data, path, "shave", [&](H5::Group& g) {
    h5::write_strings(g, "operation",
                      enum_names<ShaveOp>(it, [](const auto& x) { return x.operation; }));
    write_ints(g, "input_width", ints(it, [](const auto& x) { return x.input.width; }));
    write_ints(g, "input_height", ints(it, [](const auto& x) { return x.input.height; }));
    write_ints(g, "input_channels", ints(it, [](const auto& x) { return x.input.channels; }));
    h5::write_strings(g, "input_dtype",
                      enum_names<DType>(it, [](const auto& x) { return x.input.dtype; }));
    write_ints(g, "output_width", ints(it, [](const auto& x) { return x.output.width; }));
    write_ints(g, "output_height", ints(it, [](const auto& x) { return x.output.height; }));
    write_ints(g, "output_channels", ints(it, [](const auto& x) { return x.output.channels; }));
    h5::write_strings(g, "output_dtype",
                      enum_names<DType>(it, [](const auto& x) { return x.output.dtype; }));
    write_ints(g, "params", ints(it, [](const auto& x) { return std::int64_t{x.param}; }));
  });
}

void save_kind_dataset(const DmaRecordings& data, const std::filesystem::path& path) {
  const auto& it = data.items;
  save_rows(data, path, "dma", [&](H5::Group& g) {
    h5::write_strings(g, "direction",
                      enum_names<DmaDirection>(it, [](const auto& x) { return x.direction; }));
    write_ints(g, "width", ints(it, [](const auto& x) { return x.tensor.width; }));
    write_ints(g, "height", ints(it, [](const auto& x) { return x.tensor.height; }));
    write_ints(g, "channels", ints(it, [](const auto& x) { return x.tensor.channels; }));
    h5::write_strings(g, "dtype",
                      enum_names<DType>(it, [](const auto& x) { return x.tensor.dtype; }));
  });
}

ShaveRecordings load_shave_dataset(const std::filesystem::path& path) {
  return read_kind_file(path, "shave", [](const H5::Group& g, hsize_t rows) {
    const auto device = read_enums<Device>(g, "device", rows);
    const auto op = read_enums<ShaveOp>(g, "operation", rows);
    const auto iw = read_ints(g, "input_width", rows), ih = read_ints(g, "input_height", rows),
               ic = read_ints(g, "input_channels", rows);
    const auto it = read_enums<DType>(g, "input_dtype", rows);
    const auto ow = read_ints(g, "output_width", rows), oh = read_ints(g, "output_height", rows),
               oc = read_ints(g, "output_channels", rows);
    const auto ot = read_enums<DType>(g, "output_dtype", rows);
    const auto params = read_ints(g, "params", rows);
    ShaveRecordings r;
    r.items.reserve(rows);
    for (std::size_t i = 0; i < rows; ++i) {
      if (params[i] < 0 || params[i] > 1000) {
        throw Error("row " + std::to_string(i) + ": params " + std::to_string(params[i]) +
                    " is outside 0..1000");
      }
      const ShaveOperation s{device[i],
                             op[i],
                             {iw[i], ih[i], ic[i], it[i]},
                             {ow[i], oh[i], oc[i], ot[i]},
                             static_cast<int>(params[i])};
      if (auto problem = find_problem(s)) throw Error("row " + std::to_string(i) + ": " + *problem);
      r.items.push_back(s);
    }
    return r;
  });
}

DmaRecordings load_dma_dataset(const std::filesystem::path& path) {
  return read_kind_file(path, "dma", [](const H5::Group& g, hsize_t rows) {
    const auto device = read_enums<Device>(g, "device", rows);
    const auto direction = read_enums<DmaDirection>(g, "direction", rows);
    const auto w = read_ints(g, "width", rows), h = read_ints(g, "height", rows),
               c = read_ints(g, "channels", rows);
    const auto dtype = read_enums<DType>(g, "dtype", rows);
    DmaRecordings r;
    r.items.reserve(rows);
    for (std::size_t i = 0; i < rows; ++i) {
      const DmaTransfer t{device[i], direction[i], {w[i], h[i], c[i], dtype[i]}};
      if (auto problem = find_problem(t)) throw Error("row " + std::to_string(i) + ": " + *problem);
      r.items.push_back(t);
    }
    return r;
  });
}

ShaveRecordings read_shave_recordings(const std::filesystem::path& path) {
  return path.extension() == ".csv" ? read_shave_csv(path) : load_shave_dataset(path);
}

DmaRecordings read_dma_recordings(const std::filesystem::path& path) {
  return path.extension() == ".csv" ? read_dma_csv(path) : load_dma_dataset(path);
}

}  // namespace vpucost
