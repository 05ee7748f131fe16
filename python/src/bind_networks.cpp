// vpucost.Costing (predictor, device, data type, latency mode, SHAVE and DMA
// models), Python layer lists (Layer, ShaveStep) and the latency of a
// network -- a net config or a layer list -- row by row (network_report.hpp).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "py_costing.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"
#include "vpucost/net_config.hpp"
#include "vpucost/network_report.hpp"
#include "vpucost/onnx_network.hpp"

namespace py = pybind11;

namespace vpucost::python {
namespace {

/// model=: a vpucost.Model, a model file path, or None / "roofline".
PyModel model_argument(const py::object& model) {
  if (model.is_none()) return roofline_model();
  if (py::isinstance<PyModel>(model)) return model.cast<PyModel>();
  if (py::isinstance<py::str>(model)) {
    const std::string path = model.cast<std::string>();
    return path == "roofline" ? roofline_model() : load_py_model(path);
  }
  throw Error("model= must be a vpucost.Model, a model file path or 'roofline'");
}

py::list shape(const Tensor& t) {
  return py::cast(std::vector{t.width, t.height, t.channels});
}

py::dict report_dict(const NetworkReport& report, const PyCosting& costing,
                     const NetworkCoster& coster) {
  py::list rows;
  for (const NetworkRow& r : report.rows) {
    py::dict row;
    row["part"] = r.part;
    row["key"] = r.key;
    row["layer"] = r.name;
    row["engine"] = std::string(engine_name(r.engine));
    row["operation"] = r.operation;
    row["input"] = shape(r.input);
    row["output"] = shape(r.output);
    row["kernel"] = r.kernel;
    row["stride"] = r.stride;
    row["split"] = r.split;
    row["execution_mode"] = r.exec_mode;
    row["workloads"] = r.runs.size();
    row["cycles"] = r.cycles;
    row["ms"] = coster.milliseconds(r.cycles);
    rows.append(row);
  }
  py::dict d;
  d["device"] = std::string(to_string(costing.device));
  d["dtype"] = std::string(to_string(costing.dtype));
  d["mode"] = std::string(to_string(costing.mode));
  d["total_cycles"] = report.cycles;
  d["shave_cycles"] = report.shave_cycles;
  d["dma_cycles"] = report.dma_cycles;
  d["total_ms"] = coster.milliseconds(report.cycles);
  d["rows"] = rows;
  return d;
}

py::dict cost_parts_report(const PyCosting& c, const std::vector<NetPart>& parts) {
  const NetworkCoster coster = c.layer_coster();
  NetworkReport report;
  {
    py::gil_scoped_release release;
    report = network_report(parts, coster, c.mode, c.shave.get(), *c.dma);
  }
  return report_dict(report, c, coster);
}

/// A net config (parsed) at `resolution` (None: 224, or an SR config's own size).
py::dict cost_net_config(const PyCosting& c, const NetConfig& config,
                         std::optional<int> resolution) {
  int r = resolution.value_or(224);
  if (config.sr) {
    if (resolution) {
      throw Error(
          "resolution= does not apply to a super-resolution config: it fixes its input_size");
    }
    r = static_cast<int>(config.sr->input_height);
  }
  py::dict d = cost_parts_report(c, net_parts(config, r));
  d["network"] = config.name;
  d["parameters"] = parameter_count(config);
  d["resolution"] = r;
  return d;
}

LayerKind parse_layer_kind(const std::string& text) {
  for (const LayerKind k : {LayerKind::Convolution, LayerKind::DepthwiseConvolution,
                            LayerKind::MaxPool, LayerKind::AvgPool, LayerKind::EltwiseAdd,
                            LayerKind::FullyConnected, LayerKind::GlobalAvgPool}) {
    if (text == to_string(k)) return k;
  }
  throw Error("layer kind '" + text +
              "' is not conv, depthwise_conv, max_pool, avg_pool, eltwise_add, fully_connected "
              "or global_avg_pool");
}

/// vpucost.Layer(kind, input=(w, h, c), out_channels=, kernel=, stride=, padding=, name=,
/// activation="NONE" | "RELU" | "LRELU" fused into the output).
/// padding: None = "same" (kernel // 2 on every side), or (top, bottom, left, right).
Layer make_layer(const std::string& kind, const std::vector<std::int64_t>& input,
                 std::optional<std::int64_t> out_channels, std::int64_t kernel, std::int64_t stride,
                 std::optional<std::vector<std::int64_t>> padding, const std::string& name,
                 const std::string& activation) {
  if (input.size() != 3) throw Error("input= must be (width, height, channels)");
  Layer l;
  l.name = name.empty() ? kind : name;
  l.kind = parse_layer_kind(kind);
  l.activation = parse<ActivationFunction>(activation);
  l.in_width = input[0];
  l.in_height = input[1];
  l.in_channels = input[2];
  const bool channelwise = l.kind != LayerKind::Convolution && l.kind != LayerKind::FullyConnected;
  if (channelwise && out_channels && *out_channels != l.in_channels) {
    throw Error("layer '" + l.name + "': a " + kind + " layer keeps its channels (out_channels " +
                std::to_string(*out_channels) + " != " + std::to_string(l.in_channels) + ")");
  }
  l.out_channels = out_channels.value_or(l.in_channels);
  // A global pool's kernel is the whole map.
  l.kernel_w = l.kind == LayerKind::GlobalAvgPool ? l.in_width : kernel;
  l.kernel_h = l.kind == LayerKind::GlobalAvgPool ? l.in_height : kernel;
  l.stride = stride;
  if (padding) {
    if (padding->size() != 4) throw Error("padding= must be (top, bottom, left, right)");
    l.padding = {(*padding)[0], (*padding)[1], (*padding)[2], (*padding)[3]};
  } else if (l.kind != LayerKind::GlobalAvgPool && l.kind != LayerKind::FullyConnected) {
    const std::int64_t p = kernel / 2;
    l.padding = {p, p, p, p};
  }
  validate(l);
  return l;
}

/// An imported ONNX network on the costing's device, node by node in order
/// (cost_network_nodes), in the same dict form as report_dict.
py::dict cost_imported(const PyCosting& c, const ImportedNetwork& net) {
  const std::vector<NetworkNode> nodes = network_nodes(net, c.device, c.dtype);
  for (const NetworkNode& n : nodes) {
    if (n.engine == NetworkNode::Engine::Shave && !c.shave) {
      throw Error("node '" + n.name + "' runs " + std::string(to_string(n.shave.operation)) +
                  " on SHAVE: give shave_model= (e.g. models/shave_vpu_4_0.h5)");
    }
  }
  NetworkNodesCost cost;
  {
    py::gil_scoped_release release;
    cost = cost_network_nodes(nodes, *c.model.predictor, c.shave.get(), *c.dma, c.mode);
  }
  const double mhz = device_spec(c.device).dpu_clock_mhz;
  py::list rows;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const NetworkNode& n = nodes[i];
    const ImportedNode& in = net.nodes[i];
    py::dict row;
    row["part"] = "";
    row["layer"] = n.name;
    row["engine"] = std::string(engine_name(n.engine));
    row["onnx_ops"] = in.onnx_ops;
    row["operation"] = operation_label(n, in);
    row["output"] = in.output;
    row["generic"] = in.generic;
    row["split"] = cost.nodes[i].detail;
    row["cycles"] = cost.nodes[i].cycles;
    row["ms"] = cost.nodes[i].cycles / mhz / 1000.0;
    rows.append(row);
  }
  py::dict d;
  d["network"] = net.name;
  d["device"] = std::string(to_string(c.device));
  d["dtype"] = std::string(to_string(c.dtype));
  d["mode"] = std::string(to_string(c.mode));
  d["total_cycles"] = cost.total_cycles();
  d["shave_cycles"] = cost.shave_cycles;
  d["dma_cycles"] = cost.dma_cycles;
  d["total_ms"] = cost.total_cycles() / mhz / 1000.0;
  d["parameters"] = net.parameters;
  d["resolution"] = net.input_height;
  d["rows"] = rows;
  return d;
}

}  // namespace

void bind_networks(py::module_& m) {
  py::class_<ImportedNetwork>(m, "OnnxNetwork",
                              "A network imported from ONNX (vpucost.network_from_onnx).")
      .def_readonly("name", &ImportedNetwork::name)
      .def_readonly("parameters", &ImportedNetwork::parameters)
      .def_property_readonly(
          "input_shape",
          [](const ImportedNetwork& n) {
            return std::vector<std::int64_t>{1, n.input_channels, n.input_height, n.input_width};
          })
      .def_property_readonly(
          "nodes",
          [](const ImportedNetwork& n) {
            py::list out;
            for (const ImportedNode& node : n.nodes) {
              py::dict d;
              d["name"] = node.name;
              d["onnx_ops"] = node.onnx_ops;
              d["engine"] = std::string(engine_name(node.engine));
              d["output"] = node.output;
              d["generic"] = node.generic;
              if (node.engine == NetworkNode::Engine::Dpu) {
                d["layer"] = node.layer;
                d["activation"] = std::string(to_string(node.layer.activation));
              }
              if (node.engine == NetworkNode::Engine::Shave) {
                d["shave"] = node.shave;
              }
              out.append(d);
            }
            return out;
          },
          "every node: name, onnx_ops, engine (DPU, SHAVE, layout), output shape; DPU nodes "
          "their vpucost.Layer and fused activation, SHAVE nodes their vpucost.ShaveStep")
      .def("__repr__", [](const ImportedNetwork& n) {
        return "<vpucost.OnnxNetwork " + n.name + " from " + n.source + ", " +
               std::to_string(n.nodes.size()) + " nodes>";
      });
  m.def(
      "network_from_onnx",
      [](const std::string& path, std::optional<std::vector<std::int64_t>> input_shape,
         const std::string& unknown_ops) {
        OnnxImportOptions o;
        if (input_shape) o.input_shape = *input_shape;
        if (unknown_ops != "error" && unknown_ops != "shave-generic") {
          throw Error("unknown_ops='" + unknown_ops + "' is not 'error' or 'shave-generic'");
        }
        o.unknown_ops_as_shave = unknown_ops == "shave-generic";
        py::gil_scoped_release release;
        return read_onnx_network(path, o);
      },
      py::arg("path"), py::arg("input_shape") = py::none(), py::arg("unknown_ops") = "error",
      "Reads an ONNX model: BatchNorm folded, operators mapped to DPU layers, SHAVE steps and "
      "layout nodes (network/NETWORK.md section 13). input_shape: (1, C, H, W) when the model's "
      "is dynamic. unknown_ops='shave-generic' costs an unmapped operator as a generic SHAVE "
      "operation instead of raising.");

  py::class_<Layer>(m, "Layer", "A DPU layer of a Python layer list (Costing.network_layers).")
      .def(py::init(&make_layer), py::arg("kind"), py::arg("input"),
           py::arg("out_channels") = py::none(), py::arg("kernel") = 1, py::arg("stride") = 1,
           py::arg("padding") = py::none(), py::arg("name") = "", py::arg("activation") = "NONE")
      .def_readonly("name", &Layer::name)
      .def_property_readonly("kind", [](const Layer& l) { return std::string(to_string(l.kind)); })
      .def_property_readonly("activation",
                             [](const Layer& l) { return std::string(to_string(l.activation)); })
      .def_property_readonly("output",
                             [](const Layer& l) {
                               return std::vector{l.out_width(), l.out_height(), l.out_channels};
                             })
      .def("__repr__", [](const Layer& l) {
        return "<vpucost.Layer " + l.name + " " + std::string(to_string(l.kind)) + " " +
               std::to_string(l.in_width) + "x" + std::to_string(l.in_height) + "x" +
               std::to_string(l.in_channels) + " -> " + std::to_string(l.out_channels) + ">";
      });

  py::class_<ShaveStep>(m, "ShaveStep", "An operation on the SHAVE cores (h-swish, sigmoid, ...).")
      .def(py::init([](const std::string& op, const std::vector<std::int64_t>& shape,
                       const std::string& name) {
             if (shape.size() != 3) throw Error("shape= must be (width, height, channels)");
             ShaveStep s;
             s.op = parse<ShaveOp>(op);
             s.name = name.empty() ? op : name;
             s.width = shape[0];
             s.height = shape[1];
             s.channels = shape[2];
             return s;
           }),
           py::arg("op"), py::arg("shape"), py::arg("name") = "")
      .def_readonly("name", &ShaveStep::name);

  py::class_<PyCosting>(m, "Costing",
                        "How layers and networks are costed: a DPU model (or the roofline), "
                        "device, data type, latency mode, SHAVE and DMA models.")
      .def(py::init([](const py::object& model, std::optional<std::string> device,
                       std::string dtype, std::string mode, std::optional<std::string> shave_model,
                       std::optional<std::string> dma_model) {
             return make_costing({model_argument(model), std::move(device), std::move(dtype),
                                  std::move(mode), std::move(shave_model), std::move(dma_model)});
           }),
           py::arg("model") = py::none(), py::arg("device") = py::none(),
           py::arg("dtype") = "UINT8", py::arg("mode") = "device",
           py::arg("shave_model") = py::none(), py::arg("dma_model") = py::none())
      .def_property_readonly("device",
                             [](const PyCosting& c) { return std::string(to_string(c.device)); })
      .def_property_readonly("dtype",
                             [](const PyCosting& c) { return std::string(to_string(c.dtype)); })
      .def_property_readonly("mode",
                             [](const PyCosting& c) { return std::string(to_string(c.mode)); })
      .def_property_readonly("model", [](const PyCosting& c) { return c.model; })
      .def_property_readonly(
          "dma", [](const PyCosting& c) { return c.dma_description; },
          "the DMA model the weight fetches of device and ddr modes are costed with: 'DMA model "
          "<path>', or 'roofline DMA (no dma_model)'")
      .def("__repr__",
           [](const PyCosting& c) {
             return "<vpucost.Costing " + std::string(to_string(c.device)) + " " +
                    std::string(to_string(c.dtype)) + ", " + std::string(to_string(c.mode)) +
                    " mode; " + c.model.description + "; " + c.dma_description +
                    (c.shave ? "; a SHAVE model" : "; no SHAVE model") + ">";
           })
      .def(
          "_net_config_file",
          [](const PyCosting& c, const std::string& path, std::optional<int> resolution) {
            return cost_net_config(c, load_net_config(path), resolution);
          },
          py::arg("path"), py::arg("resolution") = py::none())
      .def(
          "_net_config_text",
          [](const PyCosting& c, const std::string& json, std::optional<int> resolution) {
            return cost_net_config(c, parse_net_config(json, "net config"), resolution);
          },
          py::arg("json"), py::arg("resolution") = py::none())
      .def("_onnx", &cost_imported, py::arg("network"))
      .def(
          "_layers",
          [](const PyCosting& c, const py::list& items) {
            std::vector<NetPart> parts;
            for (const py::handle& item : items) {
              NetPart part;
              if (py::isinstance<Layer>(item)) {
                part.layers.push_back(item.cast<Layer>());
                part.name = part.layers.back().name;
              } else if (py::isinstance<ShaveStep>(item)) {
                part.shave.push_back(item.cast<ShaveStep>());
                part.name = part.shave.back().name;
              } else {
                throw Error(
                    "item " + std::to_string(parts.size()) +
                    " of the layer list is neither a vpucost.Layer nor a vpucost.ShaveStep");
              }
              part.key = part.name;
              parts.push_back(std::move(part));
            }
            return cost_parts_report(c, parts);
          },
          py::arg("items"));
}

}  // namespace vpucost::python
