#include "dataset_hdf5.hpp"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <type_traits>

#include "vpucost/error.hpp"
#include "vpucost/hdf5_io.hpp"

namespace vpucost::detail {

// Stored bytes are little-endian; encode() copies host values as they are.
static_assert(std::endian::native == std::endian::little, "dataset encoding assumes little-endian");

namespace {

std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

template <class T, class V>
void append_as(std::span<const V> values, std::vector<unsigned char>& out) {
  const std::size_t start = out.size();
  out.resize(start + values.size() * sizeof(T));
  unsigned char* p = out.data() + start;
  for (const V v : values) {
    T t;
    if constexpr (std::is_floating_point_v<V> && std::is_integral_v<T>) {
      // What an integer column read as double came from (non-finite: 0).
      t = std::isfinite(v) ? static_cast<T>(static_cast<std::int64_t>(v)) : T{0};
    } else {
      t = static_cast<T>(v);  // integers wrap to the stored width, as stored
    }
    std::memcpy(p, &t, sizeof(T));
    p += sizeof(T);
  }
}

template <class V>
void encode_values(std::span<const V> values, StoredType t, std::vector<unsigned char>& out) {
  if (t.is_float) {
    if (t.size == 4) return append_as<float>(values, out);
    return append_as<double>(values, out);
  }
  switch (t.size) {
    case 1:
      return append_as<std::uint8_t>(values, out);
    case 2:
      return append_as<std::uint16_t>(values, out);
    case 4:
      return append_as<std::uint32_t>(values, out);
    default:
      return append_as<std::uint64_t>(values, out);
  }
}

}  // namespace

std::uint64_t chunk_rows(std::uint64_t rows) {
  if (rows == 0) return 1;
  const std::uint64_t chunks = (rows + kMaxChunkRows - 1) / kMaxChunkRows;
  return (rows + chunks - 1) / chunks;
}

StoredType narrowest_type(std::span<const std::int32_t> values) {
  // A plain loop over values (not std::minmax_element) vectorises.
  std::int32_t min = 0;
  std::int32_t max = 0;
  for (const std::int32_t v : values) {
    min = std::min(min, v);
    max = std::max(max, v);
  }
  if (min < 0) return {false, true, 4};
  if (max <= 0xff) return {false, false, 1};
  if (max <= 0xffff) return {false, false, 2};
  return {false, false, 4};
}

H5::PredType file_type(StoredType t) {
  using P = H5::PredType;
  if (t.is_float) return t.size == 4 ? P::IEEE_F32LE : P::IEEE_F64LE;
  switch (t.size) {
    case 1:
      return t.is_signed ? P::STD_I8LE : P::STD_U8LE;
    case 2:
      return t.is_signed ? P::STD_I16LE : P::STD_U16LE;
    case 4:
      return t.is_signed ? P::STD_I32LE : P::STD_U32LE;
    default:
      return t.is_signed ? P::STD_I64LE : P::STD_U64LE;
  }
}

void encode(std::span<const std::int32_t> values, StoredType type,
            std::vector<unsigned char>& out) {
  encode_values(values, type, out);
}

void encode(std::span<const double> values, StoredType type, std::vector<unsigned char>& out) {
  encode_values(values, type, out);
}

void ContentChecksum::add(Column c, std::span<const unsigned char> stored_bytes) {
  const auto i = static_cast<std::size_t>(c);
  const unsigned char* data = stored_bytes.data();
  std::size_t size = stored_bytes.size();
  while (size > 0) {
    const auto piece = static_cast<uInt>(std::min<std::size_t>(size, 1u << 30));
    crc_[i] = crc32(crc_[i], data, piece);
    data += piece;
    size -= piece;
    bytes_[i] += piece;
  }
}

std::string ContentChecksum::finish(std::span<const Column> columns) const {
  unsigned long total = crc32(0L, Z_NULL, 0);
  for (const Column c : columns) {
    const auto i = static_cast<std::size_t>(c);
    total = crc32_combine(total, crc_[i], static_cast<z_off_t>(bytes_[i]));
  }
  char text[16];
  std::snprintf(text, sizeof text, "%08lx", total & 0xffffffffUL);
  return std::string("crc32:") + text;
}

std::optional<std::string> row_problem(const DatasetColumns& columns, std::size_t row) {
  if (auto p = find_problem(columns.workload(row))) return p;
  const double c = columns.cycles(row);
  if (!std::isfinite(c) || c <= 0.0) return "cycles " + number(c) + " is not finite and > 0";
  if (columns.has_theoretical_cycles()) {
    const double t = columns.theoretical_cycles()[row];
    if (!std::isnan(t) && (!std::isfinite(t) || t < 0.0)) {
      return "theoretical_cycles " + number(t) + " is not finite and >= 0";
    }
  }
  return std::nullopt;
}

std::vector<Column> present_columns(bool has_theoretical_cycles, bool has_compiler_fields) {
  std::vector<Column> columns;
  for (const Column c : all_columns()) {
    if (c == Column::theoretical_cycles && !has_theoretical_cycles) continue;
    if (is_compiler_column(c) && !has_compiler_fields) continue;
    columns.push_back(c);
  }
  return columns;
}

namespace {

using h5::fixed_string_type;
using h5::kMaxStringBytes;

// Checks that `name` of `obj` is a fixed-length string attribute of at most
// `max_count` elements; returns its element width and count.
std::pair<std::size_t, hsize_t> fixed_string_shape(const H5::Attribute& attr,
                                                   const std::string& where, bool array) {
  if (attr.getTypeClass() != H5T_STRING) throw Error(where + " is not a string");
  const H5::StrType type = attr.getStrType();
  if (type.isVariableStr()) {
    throw Error(where +
                " is a variable-length string; vpucost dataset files store fixed-length "
                "strings (written by another program, or damaged?)");
  }
  const H5::DataSpace space = attr.getSpace();
  const int rank = space.getSimpleExtentNdims();
  hsize_t count = 1;
  if (rank == 1) space.getSimpleExtentDims(&count);
  if (rank > 1 || (!array && count != 1)) {
    throw Error(where + " is not " + (array ? "a list of strings" : "a single string"));
  }
  const std::size_t width = type.getSize();
  if (width == 0 || count > 4096 || width * count > kMaxStringBytes) {
    throw Error(where + " has an implausible size (" + std::to_string(count) + " x " +
                std::to_string(width) + " bytes); the file is damaged");
  }
  return {width, count};
}

std::vector<std::string> read_fixed_strings(const H5::Attribute& attr, std::size_t width,
                                            hsize_t count) {
  std::vector<char> buffer(width * count, '\0');
  if (count > 0) attr.read(attr.getStrType(), buffer.data());
  std::vector<std::string> out;
  for (hsize_t i = 0; i < count; ++i) {
    const char* s = buffer.data() + i * width;
    std::size_t len = 0;
    while (len < width && s[len] != '\0') ++len;
    out.emplace_back(s, len);
  }
  return out;
}

std::string where_attribute(const H5::H5Object& obj, const std::string& name) {
  return "attribute '" + name + "' of " + h5::object_path(obj);
}

}  // namespace

void write_text_attribute(H5::H5Object& obj, const std::string& name, const std::string& value) {
  const H5::StrType type = fixed_string_type(value.size());
  std::string padded = value;
  padded.resize(type.getSize(), '\0');
  obj.createAttribute(name, type, H5::DataSpace(H5S_SCALAR)).write(type, padded.data());
}

void write_string_array_attribute(H5::H5Object& obj, const std::string& name,
                                  const std::vector<std::string>& values) {
  std::size_t width = 1;
  for (const auto& v : values) width = std::max(width, v.size());
  std::vector<char> buffer(width * values.size(), '\0');
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::memcpy(buffer.data() + i * width, values[i].data(), values[i].size());
  }
  const H5::StrType type = fixed_string_type(width);
  const hsize_t dims[1] = {values.size()};
  obj.createAttribute(name, type, H5::DataSpace(1, dims)).write(type, buffer.data());
}

std::string read_text_attribute(const H5::H5Object& obj, const std::string& name) {
  if (!obj.attrExists(name)) throw Error("missing " + where_attribute(obj, name));
  const H5::Attribute attr = obj.openAttribute(name);
  const auto [width, count] = fixed_string_shape(attr, where_attribute(obj, name), false);
  return read_fixed_strings(attr, width, count).front();
}

std::vector<std::string> read_string_array_attribute(const H5::H5Object& obj,
                                                     const std::string& name) {
  if (!obj.attrExists(name)) throw Error("missing " + where_attribute(obj, name));
  const H5::Attribute attr = obj.openAttribute(name);
  const auto [width, count] = fixed_string_shape(attr, where_attribute(obj, name), true);
  return read_fixed_strings(attr, width, count);
}

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

}  // namespace vpucost::detail
