// Latency look-up tables: built for a search space (built-in name or a
// search-space JSON file) at one or more resolutions, read as Python data,
// written in every format `vpucost lut` writes (one writer, lut_writers.hpp).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "py_costing.hpp"
#include "vpucost/atomic_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/lut.hpp"
#include "vpucost/lut_writers.hpp"
#include "vpucost/search_space_json.hpp"
#include "vpucost/sr_network.hpp"

namespace py = pybind11;

namespace vpucost::python {
namespace {

py::dict entry_dict(const LutEntry& e) {
  py::dict d;
  d["kind"] = std::string(to_string(e.kind));
  d["key"] = e.key;
  d["position"] = e.position;
  d["candidate"] = e.candidate;
  d["stage"] = e.stage;
  d["name"] = e.candidate_name;
  d["layers"] = e.layers.size();
  d["shave_steps"] = e.shave.size();
  d["dma_copies"] = e.dma.size();
  d["cycles"] = e.cycles;
  d["ms"] = e.ms;
  return d;
}

/// The tables of `space` at `resolutions`, and one note per candidate the
/// device's SHAVE model cannot run (left out of the space, as `vpucost lut` does).
py::tuple build_tables(const PyCosting& c, const std::string& space_name,
                       const std::vector<int>& resolutions) {
  SearchSpace space = load_space_by_name_or_file(space_name);
  // None: 224, or a super-resolution space's own input height.
  const std::vector<int> chosen = !resolutions.empty() ? resolutions
                                  : space.family == SpaceFamily::SuperResolution
                                      ? std::vector<int>{space.input_height}
                                      : std::vector<int>{224};
  const NetworkCoster coster = c.table_coster();
  std::vector<std::string> notes;
  std::vector<LatencyTable> tables;
  {
    py::gil_scoped_release release;
    for (const int r : chosen) {
      check_resolution(r);
      if (space.family == SpaceFamily::SuperResolution) sr_input_width(space, r);
      if (!coster.has_shave_model() || !runs_on_shave(space)) continue;
      for (const DroppedCandidate& d : drop_candidates_without_kernel(space, r, coster)) {
        notes.push_back(d.name + " left out at position " + std::to_string(d.position) + ": " +
                        d.why);
      }
    }
    tables = build_latency_tables(space, chosen, coster);
  }
  return py::make_tuple(tables, notes);
}

void write_tables(const std::vector<LatencyTable>& tables, const std::string& path,
                  const std::string& format) {
  if (format == "csv") return write_file_atomically(path, lut_csv(tables));
  if (format == "json") return write_file_atomically(path, lut_json(tables));
  if (format == "proxyless-yaml" || format == "yaml") {
    if (tables.size() != 1) {
      throw Error("format 'proxyless-yaml' holds one resolution; write each table on its own");
    }
    return write_file_atomically(path, proxyless_yaml(tables.front()));
  }
  throw Error("format '" + format + "' is not proxyless-yaml, csv or json");
}

}  // namespace

void bind_luts(py::module_& m) {
  py::class_<LatencyTable>(m, "LatencyTable",
                           "A latency look-up table of a search space at one resolution.")
      .def_readonly("space", &LatencyTable::space)
      .def_property_readonly("device",
                             [](const LatencyTable& t) { return std::string(to_string(t.device)); })
      .def_property_readonly("dtype",
                             [](const LatencyTable& t) { return std::string(to_string(t.dtype)); })
      .def_readonly("resolution", &LatencyTable::resolution)
      .def_readonly("source", &LatencyTable::source)
      .def_property_readonly("fixed_ms", &LatencyTable::fixed_ms,
                             "latency of the parts every architecture has (stem, head)")
      .def_property_readonly(
          "block_ms",
          [](const LatencyTable& t) {
            std::vector<std::vector<double>> ms;
            for (const auto& position : t.blocks) {
              ms.emplace_back();
              for (const LutEntry& e : position) ms.back().push_back(e.ms);
            }
            return ms;
          },
          "ms[position][candidate]")
      .def_property_readonly(
          "candidate_names",
          [](const LatencyTable& t) {
            std::vector<std::vector<std::string>> names;
            for (const auto& position : t.blocks) {
              names.emplace_back();
              for (const LutEntry& e : position) names.back().push_back(e.candidate_name);
            }
            return names;
          },
          "names[position][candidate], e.g. 'k3_e6', 'zero'")
      .def(
          "latency_ms",
          [](const LatencyTable& t, const std::vector<int>& arch) { return t.latency_ms(arch); },
          py::arg("arch"), "an architecture's latency: one candidate index per position")
      .def(
          "entries",
          [](const LatencyTable& t) {
            py::list out;
            for (const LutEntry* e : t.entries()) out.append(entry_dict(*e));
            return out;
          },
          "every entry (stem, blocks, head) as a dict")
      .def("yaml", &proxyless_yaml, "the table in the YAML ProxylessNAS / once-for-all read")
      .def(
          "write",
          [](const LatencyTable& t, const std::string& path, const std::string& format) {
            write_tables({t}, path, format);
          },
          py::arg("path"), py::arg("format") = "proxyless-yaml",
          "writes the table (proxyless-yaml, csv or json) through a temporary file")
      .def("__repr__", [](const LatencyTable& t) {
        return "<vpucost.LatencyTable " + t.space + " @" + std::to_string(t.resolution) + " " +
               std::string(to_string(t.device)) + " " + std::string(to_string(t.dtype)) + ">";
      });

  m.def("_build_tables", &build_tables, py::arg("costing"), py::arg("space"),
        py::arg("resolutions"));
  m.def("write_tables", &write_tables, py::arg("tables"), py::arg("path"), py::arg("format"),
        "Writes several tables in one file (csv or json).");
  m.def(
      "space_names",
      [] {
        std::vector<std::string> names;
        for (const std::string_view n : builtin_space_names()) names.emplace_back(n);
        return names;
      },
      "The built-in search spaces.");
}

}  // namespace vpucost::python
