#include "vpucost/dataset_columns.hpp"

#include <algorithm>
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
    {"activation_function", ColumnKind::Enum},
    {"output_write_tiles", ColumnKind::Integer},
    {"isi_strategy", ColumnKind::Enum},
    {"input_sparsity", ColumnKind::Rate},
    {"weight_sparsity", ColumnKind::Rate},
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

// Position of a rate column in DatasetColumns::rates_.
constexpr std::size_t rate_index(Column c) {
  return index(c) - kIntegerColumnCount;
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
    case Column::activation_function:
      return EnumInfo<ActivationFunction>::names;
    case Column::isi_strategy:
      return EnumInfo<IsiStrategy>::names;
    default:
      return {};
  }
}

void DatasetColumns::reserve(std::size_t rows) {
  for (auto& col : descriptor_) col.reserve(rows);
  for (auto& col : rates_) col.reserve(rows);
  cycles_.reserve(rows);
  if (has_theoretical_) theoretical_.reserve(rows);
}

void DatasetColumns::clear() {
  for (auto& col : descriptor_) col.clear();
  for (auto& col : rates_) col.clear();
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
  (d++)->push_back(value(w.activation));
  (d++)->push_back(narrow(w.output_write_tiles));
  (d++)->push_back(value(w.isi_strategy));
  rates_[rate_index(Column::input_sparsity)].push_back(w.input_sparsity);
  rates_[rate_index(Column::weight_sparsity)].push_back(w.weight_sparsity);
  cycles_.push_back(cycles);
  if (has_theoretical_) theoretical_.push_back(theoretical);
}

void DatasetColumns::append_rows(const DatasetColumns& other, std::size_t first,
                                 std::size_t count) {
  if (first > other.size() || count > other.size() - first) {
    throw Error("append_rows: rows " + std::to_string(first) + ".." +
                std::to_string(first + count) + " are outside 0.." + std::to_string(other.size()));
  }
  const auto copy = [&](const auto& src, auto& dst) {
    dst.insert(dst.end(), src.begin() + static_cast<std::ptrdiff_t>(first),
               src.begin() + static_cast<std::ptrdiff_t>(first + count));
  };
  for (std::size_t c = 0; c < kIntegerColumnCount; ++c) copy(other.descriptor_[c], descriptor_[c]);
  for (std::size_t c = 0; c < rates_.size(); ++c) copy(other.rates_[c], rates_[c]);
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
  w.activation = static_cast<ActivationFunction>(at(Column::activation_function));
  w.output_write_tiles = at(Column::output_write_tiles);
  w.isi_strategy = static_cast<IsiStrategy>(at(Column::isi_strategy));
  w.input_sparsity = rates_[rate_index(Column::input_sparsity)][row];
  w.weight_sparsity = rates_[rate_index(Column::weight_sparsity)][row];
  return w;
}

std::span<const std::int32_t> DatasetColumns::descriptor(Column c) const {
  if (index(c) >= kIntegerColumnCount) {
    throw Error("column " + std::string(column_name(c)) + " is not an integer descriptor column");
  }
  return descriptor_[index(c)];
}

std::vector<std::int32_t>& DatasetColumns::descriptor_mut(Column c) {
  if (index(c) >= kIntegerColumnCount) {
    throw Error("column " + std::string(column_name(c)) + " is not an integer descriptor column");
  }
  return descriptor_[index(c)];
}

std::span<const double> DatasetColumns::rates(Column c) const {
  if (column_kind(c) != ColumnKind::Rate) {
    throw Error("column " + std::string(column_name(c)) + " is not a rate column");
  }
  return rates_[rate_index(c)];
}

std::vector<double>& DatasetColumns::rates_mut(Column c) {
  if (column_kind(c) != ColumnKind::Rate) {
    throw Error("column " + std::string(column_name(c)) + " is not a rate column");
  }
  return rates_[rate_index(c)];
}

bool DatasetColumns::has_compiler_fields() const {
  const auto differs = [](const auto& values, auto default_value) {
    return std::any_of(values.begin(), values.end(), [&](auto v) { return v != default_value; });
  };
  return differs(descriptor_[index(Column::activation_function)],
                 value(ActivationFunction::NONE)) ||
         differs(descriptor_[index(Column::output_write_tiles)], 1) ||
         differs(descriptor_[index(Column::isi_strategy)], value(IsiStrategy::CLUSTERING)) ||
         differs(rates_[rate_index(Column::input_sparsity)], 0.0) ||
         differs(rates_[rate_index(Column::weight_sparsity)], 0.0);
}

void DatasetColumns::check_lengths() const {
  const std::size_t n = cycles_.size();
  for (std::size_t c = 0; c < kDescriptorColumnCount; ++c) {
    const std::size_t size =
        c < kIntegerColumnCount ? descriptor_[c].size() : rates_[c - kIntegerColumnCount].size();
    if (size != n) {
      throw Error("column " + std::string(kColumns[c].name) + " has " + std::to_string(size) +
                  " rows, cycles has " + std::to_string(n));
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
    const auto column = static_cast<Column>(c);
    for (Eigen::Index r = 0; r < rows; ++r) {
      const auto row = static_cast<std::size_t>(r);
      m(r, static_cast<Eigen::Index>(c)) = c < kIntegerColumnCount
                                               ? double(columns.descriptor(column)[row])
                                               : columns.rates(column)[row];
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
