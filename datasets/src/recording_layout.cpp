// Header mapping and per-row parsing + validation of recording CSVs.
#include <charconv>
#include <cmath>

#include "csv_fields.hpp"
#include "vpucost/atomic_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/kind_recordings.hpp"
#include "vpucost/recording_csv.hpp"

namespace vpucost {
namespace {

using detail::NumberStatus;
using detail::parse_integer;
using detail::parse_real;
using detail::shown;

std::string column_prefix(Column c) {
  return "column " + std::string(column_name(c)) + ": ";
}

std::string number_problem(Column c, std::string_view value, NumberStatus status,
                           const char* kind) {
  switch (status) {
    case NumberStatus::Empty:
      return column_prefix(c) + "value is missing";
    case NumberStatus::OutOfRange:
      return column_prefix(c) + shown(value) + " is out of range";
    default:
      return column_prefix(c) + shown(value) + " is not " + kind;
  }
}

template <class E>
std::optional<std::string> parse_enum(Column c, std::string_view value, E& out) {
  if (const auto e = try_parse<E>(value)) {
    out = *e;
    return std::nullopt;
  }
  if (value.empty()) return column_prefix(c) + "value is missing";
  return column_prefix(c) + shown(value) + " is not a known " + std::string(EnumInfo<E>::kind) +
         " (" + names_list<E>() + ")";
}

// Printable UTF-8 (tabs allowed): a header line that is not is binary data,
// e.g. a PNG's "\x89PNG" or an HDF5 signature.
bool is_text(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto byte = static_cast<unsigned char>(s[i]);
    if (byte < 0x80) {
      if ((byte < 0x20 && byte != '\t') || byte == 0x7f) return false;
      continue;
    }
    // Lead byte of a multi-byte sequence, then its continuation bytes.
    const std::size_t extra = byte >= 0xC2 && byte <= 0xDF   ? 1
                              : byte >= 0xE0 && byte <= 0xEF ? 2
                              : byte >= 0xF0 && byte <= 0xF4 ? 3
                                                             : 0;
    if (extra == 0 || i + extra >= s.size()) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += extra;
  }
  return true;
}

}  // namespace

RecordingLayout::RecordingLayout(std::span<const std::string_view> header, CyclesColumn cycles,
                                 const std::string& source)
    : field_count_(header.size()), cycles_(cycles) {
  position_.fill(-1);
  for (std::size_t i = 0; i < header.size(); ++i) {
    const auto column = find_column(header[i]);
    if (!column) {
      unknown_.push_back((header[i].empty() ? std::string("(empty name)") : shown(header[i])) +
                         " (column " + std::to_string(i + 1) + ")");
      continue;
    }
    int& pos = position_[static_cast<std::size_t>(*column)];
    if (pos >= 0) {
      throw Error(source + ": column '" + std::string(header[i]) +
                  "' appears twice in the header " + "(columns " + std::to_string(pos + 1) +
                  " and " + std::to_string(i + 1) + ")");
    }
    pos = static_cast<int>(i);
  }
  // A picture or an HDF5 file given by mistake: say so, rather than name
  // the first column it lacks.
  for (const std::string_view name : header) {
    if (!is_text(name)) {
      throw Error(source + " is not a text CSV: its header (line 1) holds binary data");
    }
  }
  for (const Column c : all_columns()) {
    const bool optional = c == Column::theoretical_cycles || is_compiler_column(c) ||
                          (c == Column::cycles && cycles == CyclesColumn::Ignored);
    if (!optional && !has(c)) {
      // SHAVE and DMA recordings (issue #15) lack the DPU's columns: name
      // the kind rather than the first column it lacks.
      if (const WorkloadKind kind = recording_kind(header); kind != WorkloadKind::dpu) {
        throw Error(source + " records " +
                    (kind == WorkloadKind::shave ? "SHAVE operations" : "DMA transfers") +
                    ", not DPU workloads (by its header)");
      }
      throw Error(source + ": missing required column '" + std::string(column_name(c)) +
                  "' in the header (line 1)");
    }
  }
}

std::optional<std::string> RecordingLayout::parse(std::span<const std::string_view> fields,
                                                  Recording& out) const {
  if (fields.size() != field_count_) {
    return "row has " + std::to_string(fields.size()) + " fields, the header has " +
           std::to_string(field_count_);
  }
  const auto field = [&](Column c) {
    return fields[static_cast<std::size_t>(position_[static_cast<std::size_t>(c)])];
  };
  Workload& w = out.workload;
  std::optional<std::string> problem;
  if ((problem = parse_enum(Column::device, field(Column::device), w.device))) return problem;
  if ((problem = parse_enum(Column::operation, field(Column::operation), w.operation))) {
    return problem;
  }
  std::int64_t* const integers[] = {
      &w.input.width,     &w.input.height,   &w.input.channels, &w.output.width,  &w.output.height,
      &w.output.channels, &w.kernel_w,       &w.kernel_h,       &w.stride_w,      &w.stride_h,
      &w.padding.top,     &w.padding.bottom, &w.padding.left,   &w.padding.right,
  };
  for (std::size_t i = 0; i < std::size(integers); ++i) {
    const auto c = static_cast<Column>(static_cast<std::size_t>(Column::input_width) + i);
    const std::string_view text = field(c);
    const NumberStatus status = parse_integer(text, *integers[i]);
    if (status != NumberStatus::Ok) return number_problem(c, text, status, "an integer");
  }
  if ((problem = parse_enum(Column::input_dtype, field(Column::input_dtype), w.input.dtype))) {
    return problem;
  }
  if ((problem = parse_enum(Column::output_dtype, field(Column::output_dtype), w.output.dtype))) {
    return problem;
  }
  if ((problem = parse_enum(Column::execution_mode, field(Column::execution_mode), w.mode))) {
    return problem;
  }
  if ((problem = parse_compiler_fields(fields, w))) return problem;

  out.cycles = DatasetColumns::kNoValue;
  out.theoretical_cycles = DatasetColumns::kNoValue;
  if (cycles_ == CyclesColumn::Required) {
    const std::string_view text = field(Column::cycles);
    const NumberStatus status = parse_real(text, out.cycles);
    if (status != NumberStatus::Ok) return number_problem(Column::cycles, text, status, "a number");
    if (!std::isfinite(out.cycles)) {
      return column_prefix(Column::cycles) + shown(text) + " is not a finite number";
    }
    if (!(out.cycles > 0.0))
      return column_prefix(Column::cycles) + "must be > 0 (got " + shown(text) + ")";
    if (has(Column::theoretical_cycles)) {
      const std::string_view theo = field(Column::theoretical_cycles);
      if (!theo.empty()) {
        const NumberStatus s = parse_real(theo, out.theoretical_cycles);
        if (s != NumberStatus::Ok) {
          return number_problem(Column::theoretical_cycles, theo, s, "a number");
        }
        if (!std::isfinite(out.theoretical_cycles)) {
          return column_prefix(Column::theoretical_cycles) + shown(theo) +
                 " is not a finite number";
        }
        if (out.theoretical_cycles < 0.0) {
          return column_prefix(Column::theoretical_cycles) + "must be >= 0 (got " + shown(theo) +
                 ")";
        }
      }
    }
  }
  return find_problem(w);
}

std::optional<std::string> RecordingLayout::parse_compiler_fields(
    std::span<const std::string_view> fields, Workload& w) const {
  // Absent columns leave the defaults (a v1 recording).
  w.activation = ActivationFunction::NONE;
  w.output_write_tiles = 1;
  w.isi_strategy = IsiStrategy::CLUSTERING;
  w.input_sparsity = 0.0;
  w.weight_sparsity = 0.0;
  const auto field = [&](Column c) {
    return fields[static_cast<std::size_t>(position_[static_cast<std::size_t>(c)])];
  };
  std::optional<std::string> problem;
  if (has(Column::activation_function) &&
      (problem = parse_enum(Column::activation_function, field(Column::activation_function),
                            w.activation))) {
    return problem;
  }
  if (has(Column::output_write_tiles)) {
    const std::string_view text = field(Column::output_write_tiles);
    const NumberStatus status = parse_integer(text, w.output_write_tiles);
    if (status != NumberStatus::Ok) {
      return number_problem(Column::output_write_tiles, text, status, "an integer");
    }
  }
  if (has(Column::isi_strategy) &&
      (problem = parse_enum(Column::isi_strategy, field(Column::isi_strategy), w.isi_strategy))) {
    return problem;
  }
  for (const auto& [column, rate] : {std::pair{Column::input_sparsity, &w.input_sparsity},
                                     std::pair{Column::weight_sparsity, &w.weight_sparsity}}) {
    if (!has(column)) continue;
    const std::string_view text = field(column);
    const NumberStatus status = parse_real(text, *rate);
    if (status != NumberStatus::Ok) return number_problem(column, text, status, "a number");
    if (!std::isfinite(*rate))
      return column_prefix(column) + shown(text) + " is not a finite number";
  }
  return std::nullopt;
}

std::string csv_field(std::string_view text) {
  const bool needs_quotes = text.find_first_of(",\"\r\n") != std::string_view::npos ||
                            (!text.empty() && (text.front() == ' ' || text.front() == '\t' ||
                                               text.back() == ' ' || text.back() == '\t'));
  if (!needs_quotes) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

std::string rejects_csv(std::span<const RejectedRow> rejects) {
  std::string out = "line,reason,row\n";
  for (const auto& r : rejects) {
    out += std::to_string(r.line);
    out += ',';
    out += csv_field(r.reason);
    out += ',';
    out += csv_field(r.text);
    out += '\n';
  }
  return out;
}

void write_rejects_file(const std::filesystem::path& path, std::span<const RejectedRow> rejects) {
  write_file_atomically(path, rejects_csv(rejects));
}

}  // namespace vpucost
