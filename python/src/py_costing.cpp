#include "py_costing.hpp"

#include "vpucost/cpu_kernels.hpp"
#include "vpucost/device.hpp"
#include "vpucost/dma_model_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/roofline.hpp"
#include "vpucost/shave_model_file.hpp"

namespace vpucost::python {

PyModel load_py_model(const std::string& path) {
  selected_cpu_path();          // a bad VPUCOST_CPU or VPUCOST_WEIGHTS is reported as
  selected_weight_precision();  // itself, not as a bad model file
  auto model = std::make_shared<const CostModel>(load_model(path));
  std::string description = "model " + path + " (" + std::string(to_string(model->device())) + ")";
  return {std::move(model), std::move(description)};
}

PyModel roofline_model() {
  return {std::make_shared<const RooflineModel>(), "roofline"};
}

NetworkCoster PyCosting::layer_coster() const {
  const LatencyMode per_layer = mode == LatencyMode::device ? LatencyMode::compute : mode;
  return NetworkCoster(*model.predictor, device, dtype, per_layer, dma.get(), shave.get());
}

NetworkCoster PyCosting::table_coster() const {
  return NetworkCoster(*model.predictor, device, dtype, mode, dma.get(), shave.get());
}

PyCosting make_costing(const CostingOptions& o) {
  PyCosting c;
  c.model = o.model;
  if (!c.model.predictor) throw Error("model: none given (vpucost.load_model or 'roofline')");
  const CostModel* cost_model = c.model.cost_model();
  if (o.device) {
    c.device = parse<Device>(*o.device);
    if (cost_model && cost_model->device() != c.device) {
      throw Error("device='" + *o.device + "' does not match the model, which is for " +
                  std::string(to_string(cost_model->device())));
    }
  } else if (cost_model) {
    c.device = cost_model->device();
  } else {
    throw Error("device= is required with the roofline (VPU_2_0, VPU_2_7, VPU_4_0, NPU_5_0)");
  }
  c.dtype = parse<DType>(o.dtype);
  if (!device_has_dtype(c.device, c.dtype)) {
    throw Error("dtype='" + o.dtype + "' does not exist on " + std::string(to_string(c.device)));
  }
  c.mode = parse_latency_mode(o.mode);
  if (cost_model && c.mode != LatencyMode::dpu_only && cost_model->parts().feature_version < 3) {
    throw Error("the " + c.model.description + " (feature encoding version " +
                std::to_string(cost_model->parts().feature_version) +
                ") cannot cost the whole device: its encoding has no output write tiles or ISI "
                "strategy. Use mode='dpu', or a model of encoding 3 (the shipped models/)");
  }
  if (o.shave_model) {
    c.shave = std::make_shared<const ShaveModel>(load_shave_model(*o.shave_model));
    if (c.shave->device() != c.device) {
      throw Error("shave_model " + *o.shave_model + " is for " +
                  std::string(to_string(c.shave->device())) + ", not " +
                  std::string(to_string(c.device)));
    }
  }
  if (o.dma_model) {
    c.dma = std::make_shared<const DmaModel>(load_dma_model(*o.dma_model));
    if (c.dma->device() != c.device) {
      throw Error("dma_model " + *o.dma_model + " is for " +
                  std::string(to_string(c.dma->device())) + ", not " +
                  std::string(to_string(c.device)));
    }
    c.dma_description = "DMA model " + *o.dma_model;
  } else {
    c.dma = std::make_shared<const DmaModel>(roofline_dma_parts(c.device));
  }
  return c;
}

}  // namespace vpucost::python
