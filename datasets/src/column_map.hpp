#pragma once
// Mapping a recording CSV's header onto a kind's columns, and reading one
// row's fields column by column with the first problem kept: shared by the
// SHAVE, DMA and layer readers (kind_recordings.cpp, layer_recordings.cpp).
#include <algorithm>
#include <cmath>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "csv_fields.hpp"
#include "vpucost/enums.hpp"
#include "vpucost/error.hpp"
#include "vpucost/recording_csv.hpp"

namespace vpucost::detail {

struct ColumnSpec {
  std::string_view name;
  bool required;
};

// Where each of a kind's columns is in a file (-1: absent).
class ColumnMap {
 public:
  ColumnMap(std::span<const std::string_view> header, std::span<const ColumnSpec> specs,
            CyclesColumn cycles, const std::string& source)
      : specs_(specs), position_(specs.size(), -1), field_count_(header.size()) {
    for (std::size_t i = 0; i < header.size(); ++i) {
      const auto spec = std::find_if(specs.begin(), specs.end(),
                                     [&](const ColumnSpec& s) { return s.name == header[i]; });
      if (spec == specs.end()) {
        unknown_.push_back("'" + std::string(header[i]) + "' (column " + std::to_string(i + 1) +
                           ")");
        continue;
      }
      int& at = position_[static_cast<std::size_t>(spec - specs.begin())];
      if (at >= 0) {
        throw Error(source + ": column '" + std::string(header[i]) + "' appears twice (columns " +
                    std::to_string(at + 1) + " and " + std::to_string(i + 1) + ")");
      }
      at = static_cast<int>(i);
    }
    for (std::size_t c = 0; c < specs.size(); ++c) {
      const bool needed =
          specs[c].required && !(specs[c].name == "cycles" && cycles == CyclesColumn::Ignored);
      if (needed && position_[c] < 0) {
        throw Error(source + ": required column '" + std::string(specs[c].name) +
                    "' is missing from the header");
      }
    }
  }

  std::size_t field_count() const { return field_count_; }
  bool has(std::size_t c) const { return position_[c] >= 0; }
  std::string_view field(std::span<const std::string_view> fields, std::size_t c) const {
    return position_[c] < 0 ? std::string_view{} : fields[static_cast<std::size_t>(position_[c])];
  }
  std::string_view name(std::size_t c) const { return specs_[c].name; }
  const std::vector<std::string>& unknown() const { return unknown_; }

 private:
  std::span<const ColumnSpec> specs_;
  std::vector<int> position_;
  std::size_t field_count_;
  std::vector<std::string> unknown_;
};

// One row's fields, read column by column; the first problem is kept.
class RowFields {
 public:
  RowFields(const ColumnMap& map, std::span<const std::string_view> fields)
      : map_(map), fields_(fields) {}

  std::optional<std::string> problem;

  template <class E>
  E enumeration(std::size_t c) {
    const std::string_view v = map_.field(fields_, c);
    if (auto e = try_parse<E>(v)) return *e;
    fail(c, v.empty() ? std::string("value is missing")
                      : shown(v) + " is not a known " + std::string(EnumInfo<E>::kind) + " (" +
                            names_list<E>() + ")");
    return E{};
  }
  std::int64_t integer(std::size_t c, std::int64_t if_empty = -1) {
    const std::string_view v = map_.field(fields_, c);
    std::int64_t out = 0;
    const NumberStatus status = detail::parse_integer(v, out);
    if (status == NumberStatus::Ok) return out;
    if (status == NumberStatus::Empty && if_empty >= 0) return if_empty;
    number_problem(c, v, status, "an integer");
    return 0;
  }
  double positive_real(std::size_t c) {
    const std::string_view v = map_.field(fields_, c);
    double out = 0;
    const NumberStatus status = detail::parse_real(v, out);
    if (status != NumberStatus::Ok) {
      number_problem(c, v, status, "a number");
    } else if (!std::isfinite(out) || !(out > 0)) {
      fail(c, shown(v) + " must be finite and > 0");
    }
    return out;
  }
  /// NaN when the column is absent or the field empty; else a finite number
  /// > 0, or >= 0 when `zero_allowed`.
  double optional_real(std::size_t c, bool zero_allowed) {
    const std::string_view v = map_.field(fields_, c);
    if (v.empty()) return std::nan("");
    double out = 0;
    const NumberStatus status = detail::parse_real(v, out);
    if (status != NumberStatus::Ok) {
      number_problem(c, v, status, "a number");
    } else if (!std::isfinite(out) || out < 0 || (!zero_allowed && out == 0)) {
      fail(c, shown(v) + (zero_allowed ? " must be finite and >= 0" : " must be finite and > 0"));
    }
    return out;
  }
  std::string_view text(std::size_t c) const { return map_.field(fields_, c); }
  void fail(std::size_t c, std::string why) {
    if (!problem) problem = "column " + std::string(map_.name(c)) + ": " + std::move(why);
  }

 private:
  void number_problem(std::size_t c, std::string_view v, NumberStatus status, const char* kind) {
    fail(c, status == NumberStatus::Empty        ? std::string("value is missing")
            : status == NumberStatus::OutOfRange ? shown(v) + " is out of range"
                                                 : shown(v) + " is not " + kind);
  }
  const ColumnMap& map_;
  std::span<const std::string_view> fields_;
};

/// Reads every row after the header: checks its field count against the
/// header, parses it with `parse(RowFields&, Record&)` (returning the first
/// problem or nothing) and hands a good record to `keep(Record&&, CsvLine&)`
/// or records the reject with its line. Every recording reader's loop.
template <class Record, class Parse, class Keep>
void read_rows(CsvReader& reader, const ColumnMap& map, std::uint64_t& rows_read,
               std::vector<RejectedRow>& rejects, Parse parse, Keep keep) {
  CsvLine line;
  while (reader.next(line)) {
    ++rows_read;
    std::optional<std::string> problem = line.problem;
    if (!problem && line.fields.size() != map.field_count()) {
      problem = "row has " + std::to_string(line.fields.size()) + " fields, the header " +
                std::to_string(map.field_count());
    }
    Record r{};
    if (!problem) {
      RowFields row(map, line.fields);
      problem = parse(row, r);
    }
    if (problem) {
      rejects.push_back({line.number, std::move(*problem), std::string(line.text)});
    } else {
      keep(std::move(r), line);
    }
  }
}

}  // namespace vpucost::detail
