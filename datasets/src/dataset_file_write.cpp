// Writing dataset files (schema: datasets/README.md).
#include <zlib.h>

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

// Deflate with zlib's run-length strategy: after the shuffle filter most
// byte planes are runs (high bytes of small numbers), and the rest are
// near-random bytes on which longer matches rarely pay. Measured on the
// teacher data (bench/README.md) it is both faster than level 1's default
// strategy and smaller. Any zlib stream is valid for HDF5's deflate filter.
class Deflater {
 public:
  Deflater() {
    if (deflateInit2(&z_, 1, Z_DEFLATED, 15, 8, Z_RLE) != Z_OK) {
      throw Error("zlib cannot initialise deflate");
    }
  }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;
  ~Deflater() { deflateEnd(&z_); }

  std::span<const unsigned char> compress(std::span<const unsigned char> in) {
    out_.resize(deflateBound(&z_, static_cast<uLong>(in.size())));
    deflateReset(&z_);
    z_.next_in = const_cast<Bytef*>(in.data());  // zlib's API is not const-correct
    z_.avail_in = static_cast<uInt>(in.size());
    z_.next_out = out_.data();
    z_.avail_out = static_cast<uInt>(out_.size());
    if (deflate(&z_, Z_FINISH) != Z_STREAM_END) throw Error("zlib deflate failed");
    return {out_.data(), out_.size() - z_.avail_out};
  }

 private:
  z_stream z_{};
  std::vector<unsigned char> out_;
};

// Writes one column: its stored bytes (already encoded) are cut into chunks,
// each byte-shuffled and deflated here and written with H5Dwrite_chunk, which
// is what HDF5's shuffle + deflate filters would produce, at lower cost.
class ColumnWriter {
 public:
  void write(H5::Group& group, Column c, const H5::PredType& type, std::size_t element_size,
             std::uint64_t rows, std::span<const unsigned char> stored) {
    const hsize_t chunk = detail::chunk_rows(rows);
    H5::DSetCreatPropList props;
    props.setChunk(1, &chunk);
    props.setShuffle();
    props.setDeflate(1);
    const hsize_t dims[1] = {rows};
    H5::DataSet ds =
        group.createDataSet(std::string(column_name(c)), type, H5::DataSpace(1, dims), props);
    const std::size_t chunk_bytes = chunk * element_size;
    for (hsize_t first = 0; first < rows; first += chunk) {
      const std::size_t offset = first * element_size;
      const std::size_t n = std::min<std::size_t>(chunk_bytes, stored.size() - offset);
      // The last chunk is stored whole; the part past the end is fill (0).
      plain_.assign(stored.begin() + static_cast<std::ptrdiff_t>(offset),
                    stored.begin() + static_cast<std::ptrdiff_t>(offset + n));
      plain_.resize(chunk_bytes, 0);
      const auto compressed = deflater_.compress(shuffle(plain_, element_size));
      const hsize_t position[1] = {first};
      if (H5Dwrite_chunk(ds.getId(), H5P_DEFAULT, 0, position, compressed.size(),
                         compressed.data()) < 0) {
        throw Error("HDF5 cannot write a chunk of column " + std::string(column_name(c)));
      }
    }
    last_ = std::move(ds);
  }

  /// The dataset just written (for its attributes).
  H5::DataSet& dataset() { return last_; }

 private:
  // HDF5's shuffle filter: byte k of every element, then byte k+1, ...
  std::span<const unsigned char> shuffle(const std::vector<unsigned char>& in, std::size_t size) {
    if (size == 1) return in;
    shuffled_.resize(in.size());
    const std::size_t n = in.size() / size;
    for (std::size_t b = 0; b < size; ++b) {
      unsigned char* out = shuffled_.data() + b * n;
      const unsigned char* src = in.data() + b;
      for (std::size_t i = 0; i < n; ++i) out[i] = src[i * size];
    }
    return shuffled_;
  }

  Deflater deflater_;
  std::vector<unsigned char> plain_;
  std::vector<unsigned char> shuffled_;
  H5::DataSet last_;
};

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
  detail::write_text_attribute(root, "format", kDatasetFormat);
  h5::write_attribute(root, "schema_version", std::int64_t{kDatasetSchemaVersion});
  detail::write_text_attribute(root, "vpucost_version", kVersion);

  H5::Group group = root.createGroup(kDatasetGroup);
  const auto present = detail::present_columns(columns.has_theoretical_cycles());
  detail::ContentChecksum checksum;
  ColumnWriter writer;
  std::vector<unsigned char> stored;
  for (std::size_t i = 0; i < present.size(); ++i) {
    const Column c = present[i];
    stored.clear();
    const bool real = column_kind(c) == ColumnKind::Real;
    const detail::StoredType type =
        real ? detail::kFloat64 : detail::narrowest_type(columns.descriptor(c));
    if (real) {
      detail::encode(c == Column::cycles ? columns.cycles() : columns.theoretical_cycles(), type,
                     stored);
    } else {
      detail::encode(columns.descriptor(c), type, stored);
    }
    checksum.add(c, stored);
    writer.write(group, c, detail::file_type(type), type.size, columns.size(), stored);
    if (real) {
      detail::write_text_attribute(writer.dataset(), "units", "DPU cycles");
    } else if (const auto names = enum_names(c); !names.empty()) {
      detail::write_string_array_attribute(writer.dataset(), "enum_names",
                                           std::vector<std::string>(names.begin(), names.end()));
    }
    if (options.on_column_written) options.on_column_written(i);
  }

  h5::write_attribute(group, "rows", static_cast<std::int64_t>(columns.size()));
  detail::write_text_attribute(group, "devices", devices_attribute(columns));
  detail::write_text_attribute(group, "source_file", options.source_file);
  detail::write_text_attribute(group, "created", detail::utc_now());
  detail::write_text_attribute(group, "checksum", checksum.finish(present));
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
void write_to_temporary(AtomicFile& out, const DatasetColumns& columns,
                        const DatasetWriteOptions& options) {
  const std::string name = out.target().string();
  columns.check_lengths();
  for (std::size_t row = 0; !options.assume_valid && row < columns.size(); ++row) {
    if (auto problem = detail::row_problem(columns, row)) {
      throw Error("cannot write dataset " + name + ": row index " + std::to_string(row) +
                  " is invalid: " + *problem);
    }
  }
  std::string image;
  try {
    auto guard = h5::lock();
    // HDF5 1.10 file format: smaller object headers and chunk indexes than
    // the 1.8-compatible default, which matters for small files.
    H5::FileAccPropList access;
    access.setLibverBounds(H5F_LIBVER_V110, H5F_LIBVER_LATEST);
    // Built in memory (the image is smaller than the columns already held)
    // and stored by AtomicFile: see h5::build_file_image.
    image = h5::build_file_image([&](H5::H5File& file) { write_content(file, columns, options); },
                                 access);
  } catch (const H5::Exception& e) {
    throw Error("cannot write dataset " + name + ": " + e.getDetailMsg());
  }
  out.write(image);
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
