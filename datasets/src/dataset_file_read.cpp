// Reading dataset files, whole or in chunks, trusting nothing in them: every
// structural fact (format, shapes, types, sizes, chunking) is checked before
// data is read, and every row is validated after.
#include <cmath>

#include "dataset_hdf5.hpp"
#include "vpucost/dataset_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/hdf5_io.hpp"

namespace vpucost {
namespace {

// Deflate cannot compress by more than about 1032:1; a column claiming more
// rows than its stored bytes could hold is damaged (or hand-edited), and
// reading it would only allocate memory for nothing.
constexpr double kMaxCompressionRatio = 1100.0;
constexpr hsize_t kMaxChunkBytes = hsize_t{64} << 20;
constexpr std::int64_t kMaxRows = std::int64_t{1} << 40;

struct ColumnHandle {
  Column column;
  H5::DataSet data;
  detail::StoredType stored;  // for the checksum, which is over the stored bytes
};

std::string where_column(const std::string& file, Column c) {
  return "dataset file " + file + ", column " + std::string(column_name(c));
}

void check_enum_names(const std::string& file, const H5::DataSet& ds, Column c) {
  if (!ds.attrExists("enum_names")) return;  // values are checked row by row anyway
  const auto stored = detail::read_string_array_attribute(ds, "enum_names");
  const auto ours = enum_names(c);
  for (std::size_t i = 0; i < stored.size() && i < ours.size(); ++i) {
    if (stored[i] != ours[i]) {
      throw Error(where_column(file, c) + ": enum_names gives '" + stored[i] + "' for value " +
                  std::to_string(i) + ", this vpucost has '" + std::string(ours[i]) + "'");
    }
  }
}

H5::DataSet open_column(const std::string& file, const H5::Group& group, Column c,
                        std::uint64_t rows, detail::StoredType& stored) {
  const std::string name(column_name(c));
  if (!group.nameExists(name)) {
    throw Error("dataset file " + file + " has no column '" + name + "' in /" + kDatasetGroup);
  }
  if (group.childObjType(name) != H5O_TYPE_DATASET) {
    throw Error(where_column(file, c) + " is not an HDF5 dataset");
  }
  H5::DataSet ds = group.openDataSet(name);
  const H5::DataSpace space = ds.getSpace();
  if (!space.isSimple() || space.getSimpleExtentNdims() != 1) {
    throw Error(where_column(file, c) + " is not one-dimensional");
  }
  hsize_t length = 0;
  space.getSimpleExtentDims(&length);
  if (length != rows) {
    throw Error(where_column(file, c) + " has " + std::to_string(length) + " rows, the dataset " +
                std::to_string(rows));
  }
  const H5T_class_t cls = ds.getTypeClass();
  const std::size_t size = ds.getDataType().getSize();
  const bool real = column_kind(c) == ColumnKind::Real || column_kind(c) == ColumnKind::Rate;
  const bool usable_size = cls == H5T_FLOAT ? (size == 4 || size == 8)
                                            : (size == 1 || size == 2 || size == 4 || size == 8);
  if ((cls != H5T_INTEGER && !(real && cls == H5T_FLOAT)) || !usable_size) {
    throw Error(where_column(file, c) + " has type class " + std::to_string(cls) + " of " +
                std::to_string(size) + " bytes; expected " +
                (real ? "a float (4 or 8 bytes) or an integer" : "an integer") +
                " of 1, 2, 4 or 8 bytes");
  }
  stored.is_float = cls == H5T_FLOAT;
  stored.is_signed = cls == H5T_FLOAT || ds.getIntType().getSign() != H5T_SGN_NONE;
  stored.size = size;
  const H5::DSetCreatPropList props = ds.getCreatePlist();
  if (props.getLayout() == H5D_CHUNKED) {
    hsize_t chunk = 0;
    if (props.getChunk(1, &chunk) != 1 || chunk == 0 || chunk * size > kMaxChunkBytes) {
      throw Error(where_column(file, c) + " has an unusable chunk size (" + std::to_string(chunk) +
                  " rows)");
    }
    // vpucost writes every chunk; a missing one means an incomplete or
    // damaged file (HDF5 would silently return zeros for it).
    const hsize_t expected = (rows + chunk - 1) / chunk;
    hsize_t written = 0;  // (HDF5 1.10.8 rejects H5S_ALL here; pass the space)
    if (H5Dget_num_chunks(ds.getId(), space.getId(), &written) < 0 || written != expected) {
      throw Error(where_column(file, c) + " has " + std::to_string(written) + " of its " +
                  std::to_string(expected) +
                  " chunks: the file is damaged or was not completely written");
    }
  }
  const double storage = static_cast<double>(ds.getStorageSize());
  if (rows > 0 && static_cast<double>(rows) * static_cast<double>(size) >
                      (storage + 1024.0) * kMaxCompressionRatio) {
    throw Error(where_column(file, c) + " claims " + std::to_string(rows) + " rows but stores " +
                std::to_string(ds.getStorageSize()) +
                " bytes: the file is damaged or was not completely written");
  }
  if (column_kind(c) == ColumnKind::Enum) check_enum_names(file, ds, c);
  return ds;
}

std::vector<Device> parse_devices(const std::string& file, const std::string& text) {
  std::vector<Device> devices;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string name = text.substr(start, comma - start);
    const auto d = try_parse<Device>(name);
    if (!d) {
      throw Error("dataset file " + file + ": attribute 'devices' names an unknown device '" +
                  name + "'");
    }
    devices.push_back(*d);
    start = comma + 1;
  }
  return devices;
}

}  // namespace

struct DatasetFileReader::Impl {
  std::string name;
  H5::H5File file;
  DatasetInfo info;
  std::vector<ColumnHandle> columns;  // present columns, schema order
  std::uint64_t position = 0;
  detail::ContentChecksum checksum;
  std::vector<unsigned char> stored_bytes;  // scratch: a chunk re-encoded as stored

  void open(const std::filesystem::path& path);
  void read_into(DatasetColumns& dest, std::uint64_t count);
};

void DatasetFileReader::Impl::open(const std::filesystem::path& path) {
  name = path.string();
  file = h5::open_for_reading(path, "dataset");
  const H5::Group root = file.openGroup("/");
  if (!root.attrExists("format")) {
    throw Error("dataset file " + name + " is not a vpucost dataset (no 'format' attribute at /; " +
                "written by another program?)");
  }
  if (root.openAttribute("format").getTypeClass() == H5T_STRING &&
      root.openAttribute("format").getStrType().isVariableStr()) {
    // Not read: see read_text_attribute. Model files and h5py look like this.
    throw Error("dataset file " + name + " is not a vpucost dataset: its 'format' attribute is " +
                "a variable-length string (is it a vpucost model or another program's file?)");
  }
  const std::string format = detail::read_text_attribute(root, "format");
  if (format != kDatasetFormat) {
    throw Error("dataset file " + name + " is a '" + format + "' file, not a vpucost dataset" +
                (format == "vpucost-model" ? " (it is a model)" : ""));
  }
  if (root.attrExists("kind")) {
    // SHAVE and DMA datasets (kind_dataset.hpp) name their kind; DPU ones do not.
    const std::string kind = detail::read_text_attribute(root, "kind");
    const std::string what = kind == "shave" ? "SHAVE operations"
                             : kind == "dma" ? "DMA transfers"
                                             : kind + " rows";
    throw Error("dataset file " + name + " records " + what + ", not DPU workloads");
  }
  info.schema_version = h5::read_int_attribute(root, "schema_version");
  if (info.schema_version < kOldestDatasetSchemaVersion ||
      info.schema_version > kDatasetSchemaVersion) {
    throw Error("dataset file " + name + " has schema version " +
                std::to_string(info.schema_version) + "; this vpucost reads versions " +
                std::to_string(kOldestDatasetSchemaVersion) + " to " +
                std::to_string(kDatasetSchemaVersion));
  }
  info.has_compiler_fields = info.schema_version >= 2;
  if (root.attrExists("vpucost_version")) {
    info.vpucost_version = detail::read_text_attribute(root, "vpucost_version");
  }
  if (!root.nameExists(kDatasetGroup) || root.childObjType(kDatasetGroup) != H5O_TYPE_GROUP) {
    throw Error("dataset file " + name + " has no group /" + kDatasetGroup);
  }
  const H5::Group group = root.openGroup(kDatasetGroup);
  const std::int64_t rows = h5::read_int_attribute(group, "rows");
  if (rows < 0 || rows > kMaxRows) {
    throw Error("dataset file " + name + ": attribute 'rows' is " + std::to_string(rows));
  }
  info.rows = static_cast<std::uint64_t>(rows);
  info.devices = parse_devices(name, detail::read_text_attribute(group, "devices"));
  info.source_file = detail::read_text_attribute(group, "source_file");
  info.created = detail::read_text_attribute(group, "created");
  if (group.attrExists("checksum")) {
    info.checksum = detail::read_text_attribute(group, "checksum");
    if (info.checksum.rfind("crc32:", 0) != 0 || info.checksum.size() != 14) {
      throw Error("dataset file " + name + ": checksum attribute '" + info.checksum +
                  "' is not of the form crc32:xxxxxxxx");
    }
  }
  if (group.attrExists("rows_read")) {
    ImportCounts c;
    c.rows_read = static_cast<std::uint64_t>(h5::read_int_attribute(group, "rows_read"));
    c.rows_rejected = static_cast<std::uint64_t>(h5::read_int_attribute(group, "rows_rejected"));
    c.duplicates = static_cast<std::uint64_t>(h5::read_int_attribute(group, "duplicates"));
    if (group.attrExists("blank_lines")) {
      c.blank_lines = static_cast<std::uint64_t>(h5::read_int_attribute(group, "blank_lines"));
    }
    c.rows_written = info.rows;
    info.import_counts = c;
  }
  info.has_theoretical_cycles =
      group.nameExists(std::string(column_name(Column::theoretical_cycles)));
  for (const Column c :
       detail::present_columns(info.has_theoretical_cycles, info.has_compiler_fields)) {
    detail::StoredType stored;
    H5::DataSet ds = open_column(name, group, c, info.rows, stored);
    columns.push_back({c, std::move(ds), stored});
  }
}

void DatasetFileReader::Impl::read_into(DatasetColumns& dest, std::uint64_t count) {
  const std::size_t first_dest = dest.size();
  const hsize_t offset[1] = {position};
  const hsize_t n[1] = {count};
  const H5::DataSpace memory(1, n);
  for (const ColumnHandle& h : columns) {
    try {
      H5::DataSpace space = h.data.getSpace();
      space.selectHyperslab(H5S_SELECT_SET, n, offset);
      const ColumnKind kind = column_kind(h.column);
      if (kind == ColumnKind::Real || kind == ColumnKind::Rate) {
        auto& values = kind == ColumnKind::Rate     ? dest.rates_mut(h.column)
                       : h.column == Column::cycles ? dest.cycles_mut()
                                                    : dest.theoretical_cycles_mut();
        values.resize(first_dest + count);
        h.data.read(values.data() + first_dest, H5::PredType::NATIVE_DOUBLE, memory, space);
        stored_bytes.clear();
        detail::encode(std::span<const double>(values).subspan(first_dest), h.stored, stored_bytes);
      } else {
        auto& values = dest.descriptor_mut(h.column);
        values.resize(first_dest + count);
        h.data.read(values.data() + first_dest, H5::PredType::NATIVE_INT32, memory, space);
        stored_bytes.clear();
        detail::encode(std::span<const std::int32_t>(values).subspan(first_dest), h.stored,
                       stored_bytes);
      }
      checksum.add(h.column, stored_bytes);
    } catch (const H5::Exception& e) {
      throw Error(where_column(name, h.column) + ": rows " + std::to_string(position) + ".." +
                  std::to_string(position + count) +
                  " cannot be read; the file is damaged (HDF5: " + e.getDetailMsg() + ")");
    }
  }
  if (!info.has_compiler_fields) {
    // A schema-1 file: every row has the compiler's fields at their defaults.
    const std::size_t rows = first_dest + count;
    dest.descriptor_mut(Column::activation_function)
        .resize(rows, static_cast<std::int32_t>(ActivationFunction::NONE));
    dest.descriptor_mut(Column::output_write_tiles).resize(rows, 1);
    dest.descriptor_mut(Column::isi_strategy)
        .resize(rows, static_cast<std::int32_t>(IsiStrategy::CLUSTERING));
    dest.rates_mut(Column::input_sparsity).resize(rows, 0.0);
    dest.rates_mut(Column::weight_sparsity).resize(rows, 0.0);
  }
  for (std::size_t row = first_dest; row < dest.size(); ++row) {
    if (auto problem = detail::row_problem(dest, row)) {
      throw Error("dataset file " + name + ": row index " +
                  std::to_string(position + (row - first_dest)) + " is invalid: " + *problem);
    }
  }
  position += count;
  if (position == info.rows && !info.checksum.empty()) {
    std::vector<Column> present;
    for (const auto& h : columns) present.push_back(h.column);
    const std::string actual = checksum.finish(present);
    if (actual != info.checksum) {
      throw Error("dataset file " + name + " is damaged: its content checksum is " + actual +
                  ", the file records " + info.checksum);
    }
  }
}

DatasetFileReader::DatasetFileReader(const std::filesystem::path& path)
    : impl_(std::make_unique<Impl>()) {
  auto guard = h5::lock();
  try {
    impl_->open(path);
  } catch (const H5::Exception& e) {
    throw Error("dataset file " + path.string() + " is damaged: " + e.getDetailMsg());
  } catch (const Error& e) {
    // Attribute readers do not know the file; name it.
    if (std::string_view(e.what()).find(path.string()) != std::string_view::npos) throw;
    throw Error("dataset file " + path.string() + ": " + e.what());
  }
}

DatasetFileReader::DatasetFileReader(DatasetFileReader&&) noexcept = default;
DatasetFileReader& DatasetFileReader::operator=(DatasetFileReader&&) noexcept = default;
DatasetFileReader::~DatasetFileReader() {
  if (impl_) {
    auto guard = h5::lock();  // HDF5 objects are closed in the destructor
    impl_.reset();
  }
}

const DatasetInfo& DatasetFileReader::info() const {
  return impl_->info;
}
std::uint64_t DatasetFileReader::position() const {
  return impl_->position;
}

bool DatasetFileReader::read_next(DatasetColumns& chunk, std::size_t max_rows) {
  if (max_rows == 0) throw Error("DatasetFileReader::read_next: max_rows must be > 0");
  chunk.clear();
  chunk.set_has_theoretical_cycles(impl_->info.has_theoretical_cycles);
  const std::uint64_t left = impl_->info.rows - impl_->position;
  if (left == 0) return false;
  auto guard = h5::lock();
  impl_->read_into(chunk, std::min<std::uint64_t>(left, max_rows));
  return true;
}

DatasetColumns read_dataset_file(const std::filesystem::path& path, DatasetInfo* info) {
  DatasetFileReader reader(path);
  DatasetColumns columns;
  columns.set_has_theoretical_cycles(reader.info().has_theoretical_cycles);
  // Pieces of a few HDF5 chunks: each is validated before the next is read,
  // so a damaged file fails before much memory is spent on it.
  constexpr std::uint64_t kPiece = std::uint64_t{1} << 18;
  auto guard = h5::lock();
  for (std::uint64_t left = reader.info().rows; left > 0;) {
    const std::uint64_t n = std::min(left, kPiece);
    reader.impl_->read_into(columns, n);
    left -= n;
  }
  if (info) *info = reader.info();
  return columns;
}

DatasetInfo read_dataset_info(const std::filesystem::path& path) {
  return DatasetFileReader(path).info();
}

void for_each_chunk(const std::filesystem::path& path, std::size_t chunk_rows,
                    const std::function<void(const DatasetColumns&, std::uint64_t)>& fn) {
  DatasetFileReader reader(path);
  DatasetColumns chunk;
  std::uint64_t first = 0;
  while (reader.read_next(chunk, chunk_rows)) {
    fn(chunk, first);
    first = reader.position();
  }
}

}  // namespace vpucost
