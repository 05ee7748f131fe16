// vpucost.Model, load_model, roofline and prediction over column arrays.
// Prediction takes the recording CSV's descriptor columns as numpy arrays
// (python/vpucost/__init__.py turns names into enum codes and fills the
// optional columns), validates every row and predicts the valid ones in one
// batched call per thread with the GIL released.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <thread>

#include "bindings.hpp"
#include "py_costing.hpp"
#include "vpucost/cpu_kernels.hpp"
#include "vpucost/dataset_columns.hpp"
#include "vpucost/error.hpp"

namespace py = pybind11;

namespace vpucost::python {
namespace {

py::dict metadata(const PyModel& model) {
  py::dict d;
  const CostModel* m = model.cost_model();
  if (!m) return d;
  const TrainingMetadata& t = m->parts().training;
  d["dataset"] = t.dataset;
  d["rows"] = t.rows;
  d["command"] = t.command;
  d["created"] = t.created;
  d["train_seconds"] = t.train_seconds;
  d["metrics"] = t.metrics;
  d["notes"] = t.notes;
  return d;
}

/// Copies the 24 descriptor columns of `arrays` into `out`, checking every
/// value fits its column (int32 sizes, enum codes in range).
void fill_columns(const py::dict& arrays, DatasetColumns& out) {
  std::size_t rows = 0;
  bool first = true;
  for (const Column c : all_columns()) {
    if (static_cast<std::size_t>(c) >= kDescriptorColumnCount) break;
    const std::string name(column_name(c));
    if (!arrays.contains(name)) throw Error("column '" + name + "' is missing");
    const auto check_rows = [&](std::size_t n) {
      if (first) rows = n;
      first = false;
      if (n != rows) {
        throw Error("column '" + name + "' has " + std::to_string(n) + " rows, the others " +
                    std::to_string(rows));
      }
    };
    if (column_kind(c) == ColumnKind::Rate) {
      const auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(
          arrays[name.c_str()]);
      if (!a || a.ndim() != 1) throw Error("column '" + name + "' is not a 1-D numeric array");
      check_rows(static_cast<std::size_t>(a.size()));
      out.rates_mut(c).assign(a.data(), a.data() + a.size());
      continue;
    }
    const auto a = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(
        arrays[name.c_str()]);
    if (!a || a.ndim() != 1) throw Error("column '" + name + "' is not a 1-D integer array");
    check_rows(static_cast<std::size_t>(a.size()));
    const std::size_t codes = enum_names(c).size();
    std::vector<std::int32_t>& v = out.descriptor_mut(c);
    v.resize(static_cast<std::size_t>(a.size()));
    const std::int64_t* data = a.data();
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::int64_t x = data[i];
      const bool bad = codes ? (x < 0 || x >= static_cast<std::int64_t>(codes))
                             : (x < std::numeric_limits<std::int32_t>::min() ||
                                x > std::numeric_limits<std::int32_t>::max());
      if (bad) {
        throw Error("row " + std::to_string(i) + ": " + name + " " + std::to_string(x) +
                    " is out of range");
      }
      v[i] = static_cast<std::int32_t>(x);
    }
  }
  out.cycles_mut().assign(rows, 0.0);
}

struct Prediction {
  std::vector<double> cycles;  ///< NaN where a row is invalid
  std::vector<std::pair<std::size_t, std::string>> invalid;
};

/// Validates and predicts rows [begin, end) into `out` (one thread's share),
/// a block of rows at a time: the block's workloads stay in cache, where a
/// million of them at once (170 MB) spent a quarter of the time in page
/// faults and zeroing.
void predict_range(const PyModel& model, const DatasetColumns& columns, std::size_t begin,
                   std::size_t end, Prediction& out,
                   std::vector<std::pair<std::size_t, std::string>>& invalid) {
  constexpr std::size_t kBlock = 4096;
  const CostModel* cost_model = model.cost_model();
  std::vector<Workload> valid;
  std::vector<std::size_t> where;
  std::vector<double> cycles;
  valid.reserve(std::min(kBlock, end - begin));
  where.reserve(valid.capacity());
  for (std::size_t first = begin; first < end; first += kBlock) {
    valid.clear();
    where.clear();
    for (std::size_t row = first; row < std::min(end, first + kBlock); ++row) {
      const Workload w = columns.workload(row);
      std::optional<std::string> problem = find_problem(w);
      if (!problem && cost_model) problem = cost_model->find_unanswerable(w);
      if (problem) {
        invalid.emplace_back(row, std::move(*problem));
        continue;
      }
      valid.push_back(w);
      where.push_back(row);
    }
    cycles.resize(valid.size());
    model.predictor->predict_cycles(valid, cycles);
    for (std::size_t i = 0; i < valid.size(); ++i) out.cycles[where[i]] = cycles[i];
  }
}

Prediction predict_columns(const PyModel& model, const DatasetColumns& columns, unsigned threads) {
  const std::size_t rows = columns.size();
  Prediction out;
  out.cycles.assign(rows, std::numeric_limits<double>::quiet_NaN());
  // Below ~64k rows a thread costs more to start than it saves.
  const std::size_t wanted = std::max<std::size_t>(1, rows / 65536);
  const unsigned available = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t n = std::min<std::size_t>(available, wanted);
  std::vector<std::vector<std::pair<std::size_t, std::string>>> invalid(n);
  std::vector<std::exception_ptr> errors(n);
  {
    std::vector<std::jthread> pool;
    for (std::size_t t = 0; t < n; ++t) {
      pool.emplace_back([&, t] {
        try {
          predict_range(model, columns, rows * t / n, rows * (t + 1) / n, out, invalid[t]);
        } catch (...) {
          errors[t] = std::current_exception();
        }
      });
    }
  }
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  for (auto& part : invalid) {
    for (auto& p : part) out.invalid.push_back(std::move(p));
  }
  return out;
}

// The enum codes of a column of names held as Python str objects, or None
// when any is not a str or not one of the names (Python's slower path then
// names the row and the problem). A column read by pandas holds the same few
// str objects over and over, so a small cache keyed by the object's address
// answers almost every row without looking at its characters: a million
// rows in a few milliseconds, where pandas.factorize took 55.
py::object enum_codes_of_strings(const std::string& column, const py::array& values) {
  const std::optional<Column> c = find_column(column);
  if (!c) throw Error("no column '" + column + "'");
  const std::span<const std::string_view> names = enum_names(*c);
  if (values.dtype().kind() != 'O' || values.ndim() != 1 ||
      !(values.flags() & py::array::c_style)) {
    return py::none();
  }
  const auto* items = static_cast<PyObject* const*>(values.data());
  const auto rows = static_cast<std::size_t>(values.size());
  py::array_t<std::int64_t> codes(static_cast<py::ssize_t>(rows));
  std::int64_t* out = codes.mutable_data();
  struct Seen {
    PyObject* object = nullptr;
    std::int64_t code = 0;
  };
  std::array<Seen, 16> seen{};  // the array holds every object: their addresses stay theirs
  std::size_t next = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    PyObject* item = items[i];
    const auto hit =
        std::find_if(seen.begin(), seen.end(), [&](const Seen& e) { return e.object == item; });
    if (hit != seen.end()) {
      out[i] = hit->code;
      continue;
    }
    if (!PyUnicode_Check(item)) return py::none();
    Py_ssize_t size = 0;
    const char* text = PyUnicode_AsUTF8AndSize(item, &size);
    if (!text) {
      PyErr_Clear();
      return py::none();
    }
    const std::string_view name(text, static_cast<std::size_t>(size));
    const auto found = std::find(names.begin(), names.end(), name);
    if (found == names.end()) return py::none();
    out[i] = found - names.begin();
    seen[next] = {item, out[i]};
    next = (next + 1) % seen.size();
  }
  return codes;
}

}  // namespace

void bind_models(py::module_& m) {
  py::class_<PyModel>(m, "Model", "A DPU workload cost model, or the roofline.")
      .def_property_readonly(
          "device",
          [](const PyModel& p) -> py::object {
            if (const CostModel* c = p.cost_model()) return py::str(to_string(c->device()));
            return py::none();
          },
          "the model's device, or None for the roofline (any device)")
      .def_property_readonly(
          "feature_version",
          [](const PyModel& p) -> py::object {
            if (const CostModel* c = p.cost_model()) return py::int_(c->parts().feature_version);
            return py::none();
          },
          "the feature encoding the model was trained on (None for the roofline)")
      .def_property_readonly(
          "source", [](const PyModel& p) { return std::string(p.predictor->source()); },
          "'model' or 'roofline'")
      .def_readonly("description", &PyModel::description)
      .def_property_readonly("metadata", &metadata,
                             "how the model was trained: dataset, rows, command, metrics, notes")
      .def("__repr__", [](const PyModel& p) { return "<vpucost.Model " + p.description + ">"; });

  m.def("load_model", &load_py_model, py::arg("path"),
        "Loads a DPU model file (.h5, e.g. models/vpu_4_0.h5).");
  m.def("roofline", &roofline_model, "The roofline estimate (no model file; any device).");
  m.def(
      "cpu_path", [] { return std::string(to_string(selected_cpu_path())); },
      "The CPU path the models' arithmetic runs on: 'generic', 'avx2' or 'avx512' - the widest\n"
      "this CPU has, unless the environment variable VPUCOST_CPU chose another before import.");

  m.def(
      "_predict_columns",
      [](const PyModel& model, const py::dict& arrays, unsigned threads) {
        DatasetColumns columns;
        fill_columns(arrays, columns);
        Prediction p;
        {
          py::gil_scoped_release release;
          p = predict_columns(model, columns, threads);
        }
        py::array_t<double> cycles(static_cast<py::ssize_t>(p.cycles.size()));
        std::copy(p.cycles.begin(), p.cycles.end(), cycles.mutable_data());
        return py::make_tuple(cycles, p.invalid);
      },
      py::arg("model"), py::arg("columns"), py::arg("threads") = 0);
  m.def("_descriptor_columns", [] {
    std::vector<std::string> names;
    for (const Column c : all_columns()) {
      if (static_cast<std::size_t>(c) >= kDescriptorColumnCount) break;
      names.emplace_back(column_name(c));
    }
    return names;
  });
  m.def("_enum_codes_of_strings", &enum_codes_of_strings, py::arg("column"), py::arg("values"),
        "Enum codes of a contiguous object array of str names, or None (any other value).");
  m.def("_enum_names", [](const std::string& column) {
    const std::optional<Column> c = find_column(column);
    if (!c) throw Error("no column '" + column + "'");
    std::vector<std::string> names;
    for (const std::string_view n : enum_names(*c)) names.emplace_back(n);
    return names;
  });
}

}  // namespace vpucost::python
