// Writing dataset files (schema: datasets/README.md).
#include <algorithm>
#include <cmath>
#include <memory>

#include "dataset_hdf5.hpp"
#include "vpucost/atomic_file.hpp"
#include "vpucost/dataset_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/hdf5_io.hpp"
#include "vpucost/version.hpp"

namespace vpucost {
namespace {

H5::DSetCreatPropList column_properties(std::uint64_t rows) {
  H5::DSetCreatPropList props;
  const hsize_t chunk[1] = {std::clamp<hsize_t>(rows, 1, detail::kChunkRows)};
  props.setChunk(1, chunk);
  props.setShuffle();
  props.setDeflate(detail::kDeflateLevel);
  return props;
}

// Stores `values` with the smallest integer type that holds them all: most
// columns fit in one or two bytes, which makes files smaller and writes faster.
template <class T>
void write_narrowed(H5::Group& group, const std::string& name, std::span<const std::int32_t> values,
                    const H5::PredType& file_type, const H5::PredType& memory_type) {
  const hsize_t dims[1] = {values.size()};
  H5::DataSet ds = group.createDataSet(name, file_type, H5::DataSpace(1, dims),
                                       column_properties(values.size()));
  if (values.empty()) return;
  std::vector<T> narrow(values.begin(), values.end());
  ds.write(narrow.data(), memory_type);
}

void write_integer_column(H5::Group& group, Column c, std::span<const std::int32_t> values) {
  const std::string name(column_name(c));
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  const std::int32_t min = values.empty() ? 0 : *lo;
  const std::int32_t max = values.empty() ? 0 : *hi;
  using P = H5::PredType;
  if (min >= 0 && max <= 0xff) {
    write_narrowed<std::uint8_t>(group, name, values, P::STD_U8LE, P::NATIVE_UINT8);
  } else if (min >= 0 && max <= 0xffff) {
    write_narrowed<std::uint16_t>(group, name, values, P::STD_U16LE, P::NATIVE_UINT16);
  } else if (min >= 0) {
    write_narrowed<std::uint32_t>(group, name, values, P::STD_U32LE, P::NATIVE_UINT32);
  } else {
    write_narrowed<std::int32_t>(group, name, values, P::STD_I32LE, P::NATIVE_INT32);
  }
  const auto names = enum_names(c);
  if (!names.empty()) {
    H5::DataSet ds = group.openDataSet(name);
    detail::write_string_array_attribute(ds, "enum_names",
                                         std::vector<std::string>(names.begin(), names.end()));
  }
}

void write_real_column(H5::Group& group, Column c, std::span<const double> values) {
  const hsize_t dims[1] = {values.size()};
  H5::DataSet ds = group.createDataSet(std::string(column_name(c)), H5::PredType::IEEE_F64LE,
                                       H5::DataSpace(1, dims), column_properties(values.size()));
  if (!values.empty()) ds.write(values.data(), H5::PredType::NATIVE_DOUBLE);
  h5::write_attribute(ds, "units", std::string("DPU cycles"));
}

std::string devices_attribute(const DatasetColumns& columns) {
  std::array<bool, enum_count<Device>()> seen{};
  for (const std::int32_t d : columns.descriptor(Column::device)) {
    if (is_valid_enum_value<Device>(d)) seen[static_cast<std::size_t>(d)] = true;
  }
  std::string s;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    if (!seen[i]) continue;
    if (!s.empty()) s += ',';
    s += EnumInfo<Device>::names[i];
  }
  return s;
}

void write_content(H5::H5File& file, const DatasetColumns& columns,
                   const DatasetWriteOptions& options) {
  H5::Group root = file.openGroup("/");
  h5::write_attribute(root, "format", std::string(kDatasetFormat));
  h5::write_attribute(root, "schema_version", std::int64_t{kDatasetSchemaVersion});
  h5::write_attribute(root, "vpucost_version", std::string(kVersion));

  H5::Group group = root.createGroup(kDatasetGroup);
  const auto present = detail::present_columns(columns.has_theoretical_cycles());
  detail::ContentChecksum checksum;
  for (std::size_t i = 0; i < present.size(); ++i) {
    const Column c = present[i];
    if (c == Column::cycles || c == Column::theoretical_cycles) {
      const auto values = c == Column::cycles ? columns.cycles() : columns.theoretical_cycles();
      write_real_column(group, c, values);
      checksum.add(c, values);
    } else {
      write_integer_column(group, c, columns.descriptor(c));
      checksum.add(c, columns.descriptor(c));
    }
    if (options.on_column_written) options.on_column_written(i);
  }

  h5::write_attribute(group, "rows", static_cast<std::int64_t>(columns.size()));
  h5::write_attribute(group, "devices", devices_attribute(columns));
  h5::write_attribute(group, "source_file", options.source_file);
  h5::write_attribute(group, "created", detail::utc_now());
  h5::write_attribute(group, "checksum", checksum.finish(present));
  std::vector<std::string> names;
  for (const Column c : present) names.emplace_back(column_name(c));
  detail::write_string_array_attribute(group, "columns", names);
  if (const auto& counts = options.import_counts) {
    h5::write_attribute(group, "rows_read", static_cast<std::int64_t>(counts->rows_read));
    h5::write_attribute(group, "rows_rejected", static_cast<std::int64_t>(counts->rows_rejected));
    h5::write_attribute(group, "duplicates", static_cast<std::int64_t>(counts->duplicates));
    h5::write_attribute(group, "blank_lines", static_cast<std::int64_t>(counts->blank_lines));
  }
}

}  // namespace

namespace {

// Validates and writes one file's content to `out`'s temporary file.
void write_to_temporary(const AtomicFile& out, const DatasetColumns& columns,
                        const DatasetWriteOptions& options) {
  const std::string name = out.target().string();
  columns.check_lengths();
  for (std::size_t row = 0; row < columns.size(); ++row) {
    if (auto problem = detail::row_problem(columns, row)) {
      throw Error("cannot write dataset " + name + ": row index " + std::to_string(row) +
                  " is invalid: " + *problem);
    }
  }
  auto guard = h5::lock();
  try {
    // HDF5 1.10 file format: smaller object headers and chunk indexes than
    // the 1.8-compatible default, which matters for small files.
    H5::FileAccPropList access;
    access.setLibverBounds(H5F_LIBVER_V110, H5F_LIBVER_LATEST);
    H5::H5File file(out.temp_path().string(), H5F_ACC_TRUNC, H5::FileCreatPropList::DEFAULT,
                    access);
    write_content(file, columns, options);
    file.close();
  } catch (const H5::Exception& e) {
    throw Error("cannot write dataset " + name + ": " + e.getDetailMsg());
  }
}

}  // namespace

void write_dataset_file(const std::filesystem::path& path, const DatasetColumns& columns,
                        const DatasetWriteOptions& options) {
  AtomicFile out(path);
  write_to_temporary(out, columns, options);
  out.commit();
}

void write_dataset_files(std::span<const DatasetOutput> outputs) {
  std::vector<std::unique_ptr<AtomicFile>> files;
  for (const DatasetOutput& o : outputs) {
    if (o.columns == nullptr) throw Error("write_dataset_files: no columns for " + o.path.string());
    files.push_back(std::make_unique<AtomicFile>(o.path));
    write_to_temporary(*files.back(), *o.columns, o.options);
  }
  for (auto& f : files) f->commit();
}

}  // namespace vpucost
