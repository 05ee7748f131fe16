// The _vpucost extension: the C++ library as the vpucost Python package
// sees it (python/vpucost/__init__.py wraps it for numpy, pandas and torch).
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "vpucost/error.hpp"
#include "vpucost/version.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_vpucost, m) {
  m.doc() = "vpucost C++ library (use the vpucost package, not this module)";
  // vpucost::Error (bad input, a model that cannot answer) -> vpucost.Error,
  // a ValueError carrying the C++ message unchanged.
  py::register_exception<vpucost::Error>(m, "Error", PyExc_ValueError);
  m.attr("__version__") = vpucost::kVersion;
  vpucost::python::bind_models(m);
  vpucost::python::bind_datasets(m);
  vpucost::python::bind_networks(m);
  vpucost::python::bind_luts(m);
  vpucost::python::bind_nas(m);
}
