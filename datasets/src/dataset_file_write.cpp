// Writing dataset files (schema: datasets/README.md).
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

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

// One column made ready for the file without touching HDF5: its values
// encoded in the stored type, cut into chunks, each byte-shuffled and
// deflated (what HDF5's shuffle + deflate filters would produce, at lower
// cost), and the CRC-32 of the stored bytes. Columns are independent, so
// they are prepared on several threads; only the HDF5 calls are serial.
struct PreparedColumn {
  Column column{};
  detail::StoredType type{};
  std::uint64_t stored_bytes = 0;
  unsigned long crc = 0;
  std::vector<std::vector<unsigned char>> chunks;  // compressed, in row order
};

class ColumnPreparer {
 public:
  void prepare(const DatasetColumns& columns, PreparedColumn& out) {
    const Column c = out.column;
    const ColumnKind kind = column_kind(c);
    const bool real = kind == ColumnKind::Real || kind == ColumnKind::Rate;
    out.type = real ? detail::kFloat64 : detail::narrowest_type(columns.descriptor(c));
    stored_.clear();
    if (kind == ColumnKind::Rate) {
      detail::encode(columns.rates(c), out.type, stored_);
    } else if (real) {
      detail::encode(c == Column::cycles ? columns.cycles() : columns.theoretical_cycles(),
                     out.type, stored_);
    } else {
      detail::encode(columns.descriptor(c), out.type, stored_);
    }
    detail::ContentChecksum crc;
    crc.add(c, stored_);
    out.crc = crc.column_crc(c);
    out.stored_bytes = stored_.size();

    const std::size_t element_size = out.type.size;
    const hsize_t chunk = detail::chunk_rows(columns.size());
    const std::size_t chunk_bytes = chunk * element_size;
    out.chunks.clear();
    for (std::size_t offset = 0; offset < stored_.size(); offset += chunk_bytes) {
      const std::size_t n = std::min(chunk_bytes, stored_.size() - offset);
      // The last chunk is stored whole; the part past the end is fill (0).
      plain_.assign(stored_.begin() + static_cast<std::ptrdiff_t>(offset),
                    stored_.begin() + static_cast<std::ptrdiff_t>(offset + n));
      plain_.resize(chunk_bytes, 0);
      const auto compressed = deflater_.compress(shuffle(plain_, element_size));
      out.chunks.emplace_back(compressed.begin(), compressed.end());
    }
  }

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
  std::vector<unsigned char> stored_;
  std::vector<unsigned char> plain_;
  std::vector<unsigned char> shuffled_;
};

// Prepares every present column, spreading them over up to `threads` threads
// (the calling one included). The first exception of any thread is rethrown.
std::vector<PreparedColumn> prepare_columns(const DatasetColumns& columns, unsigned threads) {
  const auto present =
      detail::present_columns(columns.has_theoretical_cycles(), columns.has_compiler_fields());
  std::vector<PreparedColumn> prepared(present.size());
  for (std::size_t i = 0; i < present.size(); ++i) prepared[i].column = present[i];
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  const auto work = [&] {
    try {
      ColumnPreparer preparer;
      for (std::size_t i = next++; i < prepared.size(); i = next++) {
        preparer.prepare(columns, prepared[i]);
      }
    } catch (...) {
      const std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = prepared.size();  // the others stop after their current column
    }
  };
  {
    std::vector<std::jthread> helpers;
    const unsigned n = std::clamp<unsigned>(threads, 1, static_cast<unsigned>(prepared.size()));
    for (unsigned t = 1; t < n; ++t) helpers.emplace_back(work);
    work();
  }
  if (failure) std::rethrow_exception(failure);
  return prepared;
}

// Writes one prepared column as a chunked, shuffled and deflated dataset.
H5::DataSet write_column(H5::Group& group, const PreparedColumn& prepared, std::uint64_t rows) {
  const hsize_t chunk = detail::chunk_rows(rows);
  H5::DSetCreatPropList props;
  props.setChunk(1, &chunk);
  props.setShuffle();
  props.setDeflate(1);
  const hsize_t dims[1] = {rows};
  const std::string name(column_name(prepared.column));
  H5::DataSet ds =
      group.createDataSet(name, detail::file_type(prepared.type), H5::DataSpace(1, dims), props);
  for (std::size_t i = 0; i < prepared.chunks.size(); ++i) {
    const hsize_t position[1] = {i * chunk};
    const auto& bytes = prepared.chunks[i];
    if (H5Dwrite_chunk(ds.getId(), H5P_DEFAULT, 0, position, bytes.size(), bytes.data()) < 0) {
      throw Error("HDF5 cannot write a chunk of column " + name);
    }
  }
  return ds;
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
                   std::span<const PreparedColumn> prepared, const DatasetWriteOptions& options) {
  H5::Group root = file.openGroup("/");
  detail::write_text_attribute(root, "format", kDatasetFormat);
  // Schema 1 when no row needs the compiler's columns: such a file is what
  // vpucost wrote before they existed, and older readers take it.
  const bool compiler_fields = std::any_of(
      prepared.begin(), prepared.end(), [](const auto& p) { return is_compiler_column(p.column); });
  h5::write_attribute(root, "schema_version",
                      std::int64_t{compiler_fields ? kDatasetSchemaVersion : 1});
  detail::write_text_attribute(root, "vpucost_version", kVersion);

  H5::Group group = root.createGroup(kDatasetGroup);
  detail::ContentChecksum checksum;
  std::vector<Column> present;
  for (std::size_t i = 0; i < prepared.size(); ++i) {
    const PreparedColumn& p = prepared[i];
    const Column c = p.column;
    present.push_back(c);
    checksum.set_column_crc(c, p.crc, p.stored_bytes);
    H5::DataSet ds = write_column(group, p, columns.size());
    if (column_kind(c) == ColumnKind::Real) {
      detail::write_text_attribute(ds, "units", "DPU cycles");
    } else if (column_kind(c) == ColumnKind::Rate) {
      detail::write_text_attribute(ds, "units", "sparsity rate (0 = dense)");
    } else if (const auto names = enum_names(c); !names.empty()) {
      detail::write_string_array_attribute(ds, "enum_names",
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
  const auto prepared = prepare_columns(
      columns, options.threads != 0 ? options.threads : std::thread::hardware_concurrency());
  std::string image;
  try {
    auto guard = h5::lock();
    // Built in memory (the image is smaller than the columns already held)
    // and stored by AtomicFile: see h5::build_file_image.
    image = h5::build_file_image(
        [&](H5::H5File& file) { write_content(file, columns, prepared, options); });
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
