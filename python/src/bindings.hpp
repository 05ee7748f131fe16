#pragma once
// One binder per area of the C++ API, each in its own file; module.cpp
// calls them in order (later ones use the classes earlier ones register).
#include <pybind11/pybind11.h>

namespace vpucost::python {

void bind_models(pybind11::module_& m);    // Model, load_model, roofline, prediction
void bind_datasets(pybind11::module_& m);  // datasets and recording CSVs as columns
void bind_networks(pybind11::module_& m);  // Costing, layers, networks
void bind_luts(pybind11::module_& m);      // latency tables
void bind_nas(pybind11::module_& m);       // expected latency, evolutionary search

}  // namespace vpucost::python
