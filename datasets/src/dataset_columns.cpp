#include "vpucost/dataset_columns.hpp"

#include <string>

#include "vpucost/error.hpp"
#include "vpucost/features.hpp"

namespace vpucost {
namespace {

struct ColumnInfo {
  std::string_view name;
  ColumnKind kind;
};

// Schema order; keep in step with the Column enum and datasets/README.md.
constexpr std::array<ColumnInfo, kColumnCount> kColumns{{
    {"device", ColumnKind::Enum},
    {"operation", ColumnKind::Enum},
    {"input_width", ColumnKind::Integer},
    {"input_height", ColumnKind::Integer},
    {"input_channels", ColumnKind::Integer},
    {"output_width", ColumnKind::Integer},
    {"output_height", ColumnKind::Integer},
    {"output_channels", ColumnKind::Integer},
    {"kernel_width", ColumnKind::Integer},
    {"kernel_height", ColumnKind::Integer},
    {"stride_width", ColumnKind::Integer},
    {"stride_height", ColumnKind::Integer},
    {"pad_top", ColumnKind::Integer},
    {"pad_bottom", ColumnKind::Integer},
    {"pad_left", ColumnKind::Integer},
    {"pad_right", ColumnKind::Integer},
    {"input_dtype", ColumnKind::Enum},
    {"output_dtype", ColumnKind::Enum},
    {"execution_mode", ColumnKind::Enum},
    {"cycles", ColumnKind::Real},
    {"theoretical_cycles", ColumnKind::Real},
}};

constexpr std::array<Column, kColumnCount> kAllColumns = [] {
  std::array<Column, kColumnCount> a{};
  for (std::size_t i = 0; i < kColumnCount; ++i) a[i] = static_cast<Column>(i);
  return a;
}();

constexpr std::size_t index(Column c) {
  return static_cast<std::size_t>(c);
}

template <class E>
std::int32_t value(E e) {
  return static_cast<std::int32_t>(e);
}

}  // namespace

std::string_view column_name(Column c) {
  return kColumns.at(index(c)).name;
}
ColumnKind column_kind(Column c) {
  return kColumns.at(index(c)).kind;
}
std::span<const Column, kColumnCount> all_columns() {
  return kAllColumns;
}

std::optional<Column> find_column(std::string_view name) {
  for (std::size_t i = 0; i < kColumnCount; ++i) {
    if (kColumns[i].name == name) return static_cast<Column>(i);
  }
  return std::nullopt;
}

std::span<const std::string_view> enum_names(Column c) {
  switch (c) {
    case Column::device:
      return EnumInfo<Device>::names;
    case Column::operation:
      return EnumInfo<Operation>::names;
    case Column::input_dtype:
    case Column::output_dtype:
      return EnumInfo<DType>::names;
    case Column::execution_mode:
      return EnumInfo<ExecutionMode>::names;
    default:
      return {};
  }
}

void DatasetColumns::reserve(std::size_t rows) {
  for (auto& col : descriptor_) col.reserve(rows);
  cycles_.reserve(rows);
  if (has_theoretical_) theoretical_.reserve(rows);
}

void DatasetColumns::clear() {
  for (auto& col : descriptor_) col.clear();
  cycles_.clear();
  theoretical_.clear();
}

void DatasetColumns::set_has_theoretical_cycles(bool present) {
  has_theoretical_ = present;
  theoretical_.assign(present ? cycles_.size() : 0, kNoValue);
}

void DatasetColumns::append(const Workload& w, double cycles, double theoretical) {
  const auto narrow = [](std::int64_t v) { return static_cast<std::int32_t>(v); };
  auto d = descriptor_.begin();
  (d++)->push_back(value(w.device));
  (d++)->push_back(value(w.operation));
  (d++)->push_back(narrow(w.input.width));
  (d++)->push_back(narrow(w.input.height));
  (d++)->push_back(narrow(w.input.channels));
  (d++)->push_back(narrow(w.output.width));
  (d++)->push_back(narrow(w.output.height));
  (d++)->push_back(narrow(w.output.channels));
  (d++)->push_back(narrow(w.kernel_w));
  (d++)->push_back(narrow(w.kernel_h));
  (d++)->push_back(narrow(w.stride_w));
  (d++)->push_back(narrow(w.stride_h));
  (d++)->push_back(narrow(w.padding.top));
  (d++)->push_back(narrow(w.padding.bottom));
  (d++)->push_back(narrow(w.padding.left));
  (d++)->push_back(narrow(w.padding.right));
  (d++)->push_back(value(w.input.dtype));
  (d++)->push_back(value(w.output.dtype));
  (d++)->push_back(value(w.mode));
  cycles_.push_back(cycles);
  if (has_theoretical_) theoretical_.push_back(theoretical);
}

void DatasetColumns::append_rows(const DatasetColumns& other, std::size_t first,
                                 std::size_t count) {
  if (first > other.size() || count > other.size() - first) {
    throw Error("append_rows: rows " + std::to_string(first) + ".." +
                std::to_string(first + count) + " are outside 0.." + std::to_string(other.size()));
  }
  for (std::size_t c = 0; c < kDescriptorColumnCount; ++c) {
    const auto& src = other.descriptor_[c];
    descriptor_[c].insert(descriptor_[c].end(), src.begin() + static_cast<std::ptrdiff_t>(first),
                          src.begin() + static_cast<std::ptrdiff_t>(first + count));
  }
  const auto copy = [&](const std::vector<double>& src, std::vector<double>& dst) {
    dst.insert(dst.end(), src.begin() + static_cast<std::ptrdiff_t>(first),
               src.begin() + static_cast<std::ptrdiff_t>(first + count));
  };
  copy(other.cycles_, cycles_);
  if (has_theoretical_) {
    if (other.has_theoretical_) {
      copy(other.theoretical_, theoretical_);
    } else {
      theoretical_.insert(theoretical_.end(), count, kNoValue);
    }
  }
}

Workload DatasetColumns::workload(std::size_t row) const {
  const auto at = [&](Column c) -> std::int64_t { return descriptor_[index(c)][row]; };
  Workload w;
  w.device = static_cast<Device>(at(Column::device));
  w.operation = static_cast<Operation>(at(Column::operation));
  w.input = {at(Column::input_width), at(Column::input_height), at(Column::input_channels),
             static_cast<DType>(at(Column::input_dtype))};
  w.output = {at(Column::output_width), at(Column::output_height), at(Column::output_channels),
              static_cast<DType>(at(Column::output_dtype))};
  w.kernel_w = at(Column::kernel_width);
  w.kernel_h = at(Column::kernel_height);
  w.stride_w = at(Column::stride_width);
  w.stride_h = at(Column::stride_height);
  w.padding = {at(Column::pad_top), at(Column::pad_bottom), at(Column::pad_left),
               at(Column::pad_right)};
  w.mode = static_cast<ExecutionMode>(at(Column::execution_mode));
  return w;
}

std::span<const std::int32_t> DatasetColumns::descriptor(Column c) const {
  if (index(c) >= kDescriptorColumnCount) {
    throw Error("column " + std::string(column_name(c)) + " is not a descriptor column");
  }
  return descriptor_[index(c)];
}

std::vector<std::int32_t>& DatasetColumns::descriptor_mut(Column c) {
  if (index(c) >= kDescriptorColumnCount) {
    throw Error("column " + std::string(column_name(c)) + " is not a descriptor column");
  }
  return descriptor_[index(c)];
}

void DatasetColumns::check_lengths() const {
  const std::size_t n = cycles_.size();
  for (std::size_t c = 0; c < kDescriptorColumnCount; ++c) {
    if (descriptor_[c].size() != n) {
      throw Error("column " + std::string(kColumns[c].name) + " has " +
                  std::to_string(descriptor_[c].size()) + " rows, cycles has " + std::to_string(n));
    }
  }
  if (has_theoretical_ && theoretical_.size() != n) {
    throw Error("column theoretical_cycles has " + std::to_string(theoretical_.size()) +
                " rows, cycles has " + std::to_string(n));
  }
}

Dataset to_dataset(const DatasetColumns& columns, std::string source) {
  Dataset d;
  d.source = std::move(source);
  d.workloads.reserve(columns.size());
  for (std::size_t i = 0; i < columns.size(); ++i) d.workloads.push_back(columns.workload(i));
  d.cycles.assign(columns.cycles().begin(), columns.cycles().end());
  return d;
}

DatasetColumns to_columns(const Dataset& dataset) {
  if (dataset.cycles.size() != dataset.workloads.size()) {
    throw Error("dataset " + dataset.source + " has " + std::to_string(dataset.workloads.size()) +
                " workloads but " + std::to_string(dataset.cycles.size()) + " cycle values");
  }
  DatasetColumns c;
  c.reserve(dataset.size());
  for (std::size_t i = 0; i < dataset.size(); ++i)
    c.append(dataset.workloads[i], dataset.cycles[i]);
  return c;
}

Eigen::MatrixXd descriptor_matrix(const DatasetColumns& columns) {
  const auto rows = static_cast<Eigen::Index>(columns.size());
  Eigen::MatrixXd m(rows, static_cast<Eigen::Index>(kDescriptorColumnCount));
  for (std::size_t c = 0; c < kDescriptorColumnCount; ++c) {
    const auto col = columns.descriptor(static_cast<Column>(c));
    for (Eigen::Index r = 0; r < rows; ++r) {
      m(r, static_cast<Eigen::Index>(c)) = col[static_cast<std::size_t>(r)];
    }
  }
  return m;
}

Eigen::MatrixXf feature_matrix(const DatasetColumns& columns) {
  Eigen::MatrixXf m(static_cast<Eigen::Index>(kFeatureCount),
                    static_cast<Eigen::Index>(columns.size()));
  for (std::size_t r = 0; r < columns.size(); ++r) {
    encode_features(
        columns.workload(r),
        std::span<float, kFeatureCount>(m.col(static_cast<Eigen::Index>(r)).data(), kFeatureCount));
  }
  return m;
}

Eigen::VectorXd cycles_vector(const DatasetColumns& columns) {
  return Eigen::Map<const Eigen::VectorXd>(columns.cycles().data(),
                                           static_cast<Eigen::Index>(columns.size()));
}

}  // namespace vpucost
