#include "dataset_hdf5.hpp"

#include <zlib.h>

#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "vpucost/error.hpp"
#include "vpucost/hdf5_io.hpp"

namespace vpucost::detail {

// The checksum is defined on little-endian bytes; on a big-endian machine
// add() would have to byte-swap first.
static_assert(std::endian::native == std::endian::little, "dataset checksum assumes little-endian");

void ContentChecksum::add_bytes(Column c, const unsigned char* data, std::size_t size) {
  const auto i = static_cast<std::size_t>(c);
  while (size > 0) {
    const auto piece = static_cast<uInt>(std::min<std::size_t>(size, 1u << 30));
    crc_[i] = crc32(crc_[i], data, piece);
    data += piece;
    size -= piece;
    bytes_[i] += piece;
  }
}

void ContentChecksum::add(Column c, std::span<const std::int32_t> values) {
  add_bytes(c, reinterpret_cast<const unsigned char*>(values.data()), values.size_bytes());
}

void ContentChecksum::add(Column c, std::span<const double> values) {
  add_bytes(c, reinterpret_cast<const unsigned char*>(values.data()), values.size_bytes());
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

namespace {
std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}
}  // namespace

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

std::vector<Column> present_columns(bool has_theoretical_cycles) {
  std::vector<Column> columns(all_columns().begin(), all_columns().end());
  if (!has_theoretical_cycles) columns.pop_back();  // theoretical_cycles is last
  return columns;
}

void write_string_array_attribute(H5::H5Object& obj, const std::string& name,
                                  const std::vector<std::string>& values) {
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  const hsize_t dims[1] = {values.size()};
  std::vector<const char*> raw;
  raw.reserve(values.size());
  for (const auto& v : values) raw.push_back(v.c_str());
  H5::Attribute attr = obj.createAttribute(name, type, H5::DataSpace(1, dims));
  attr.write(type, raw.data());
}

std::vector<std::string> read_string_array_attribute(const H5::H5Object& obj,
                                                     const std::string& name) {
  const auto where = [&] { return "attribute '" + name + "' of " + h5::object_path(obj); };
  if (!obj.attrExists(name)) throw Error("missing " + where());
  H5::Attribute attr = obj.openAttribute(name);
  const H5::DataSpace space = attr.getSpace();
  if (attr.getTypeClass() != H5T_STRING || space.getSimpleExtentNdims() != 1) {
    throw Error(where() + " is not a list of strings");
  }
  hsize_t n = 0;
  space.getSimpleExtentDims(&n);
  if (n > 4096) throw Error(where() + " has " + std::to_string(n) + " entries; damaged file?");
  const H5::StrType type = attr.getStrType();
  if (type.isVariableStr()) {
    std::vector<char*> raw(n, nullptr);
    if (n > 0) attr.read(type, raw.data());
    std::vector<std::string> out;
    for (char* s : raw) out.emplace_back(s ? s : "");
    if (n > 0) H5Dvlen_reclaim(type.getId(), space.getId(), H5P_DEFAULT, raw.data());
    return out;
  }
  // Fixed-length strings (as written by some tools, e.g. numpy 'S' arrays).
  const std::size_t width = type.getSize();
  if (width == 0 || width > 4096) throw Error(where() + " has an unusable string size");
  std::vector<char> buffer(n * width + 1, '\0');
  if (n > 0) attr.read(type, buffer.data());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    const char* s = buffer.data() + i * width;
    std::size_t len = 0;
    while (len < width && s[len] != '\0') ++len;
    out.emplace_back(s, len);
  }
  return out;
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
