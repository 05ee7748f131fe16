// Datasets (.h5) and recording CSVs read into column arrays; the package
// turns them into a pandas DataFrame with the enum columns as categoricals.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "vpucost/dataset_file.hpp"

namespace py = pybind11;

namespace vpucost::python {
namespace {

template <class T>
py::array_t<T> to_array(std::span<const T> values) {
  py::array_t<T> a(static_cast<py::ssize_t>(values.size()));
  std::copy(values.begin(), values.end(), a.mutable_data());
  return a;
}

/// Column name -> numpy array, in schema order; theoretical_cycles only when
/// the file has it.
py::dict columns_dict(const DatasetColumns& columns) {
  py::dict d;
  for (const Column c : all_columns()) {
    const std::string name(column_name(c));
    switch (column_kind(c)) {
      case ColumnKind::Enum:
      case ColumnKind::Integer:
        d[name.c_str()] = to_array(columns.descriptor(c));
        break;
      case ColumnKind::Rate:
        d[name.c_str()] = to_array(columns.rates(c));
        break;
      case ColumnKind::Real:
        if (c == Column::cycles) {
          d[name.c_str()] = to_array(columns.cycles());
        } else if (columns.has_theoretical_cycles()) {
          d[name.c_str()] = to_array(columns.theoretical_cycles());
        }
        break;
    }
  }
  return d;
}

}  // namespace

void bind_datasets(py::module_& m) {
  m.def(
      "_read_dataset",
      [](const std::string& path) {
        DatasetColumns columns;
        {
          py::gil_scoped_release release;
          columns = load_dataset_columns(path);
        }
        return columns_dict(columns);
      },
      py::arg("path"));
}

}  // namespace vpucost::python
