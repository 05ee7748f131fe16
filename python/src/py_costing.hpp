#pragma once
// What the Python package costs with: a DPU predictor (a model file or the
// roofline) and, for layers and networks, the device, data type, latency
// mode and the optional SHAVE and DMA models -- the keyword arguments of
// vpucost.Costing, checked as `vpucost net` checks its options.
#include <memory>
#include <optional>
#include <string>

#include "vpucost/cost_model.hpp"
#include "vpucost/dma_model.hpp"
#include "vpucost/network_cost.hpp"
#include "vpucost/predictor.hpp"
#include "vpucost/shave_model.hpp"

namespace vpucost::python {

/// vpucost.Model: a loaded DPU model, or the roofline (no file, any device).
struct PyModel {
  std::shared_ptr<const CyclePredictor> predictor;
  std::string description;  ///< "model models/vpu_2_7.h5 (VPU_2_7)" or "roofline"
  /// The model's CostModel, or null for the roofline.
  const CostModel* cost_model() const { return dynamic_cast<const CostModel*>(predictor.get()); }
};

PyModel load_py_model(const std::string& path);
PyModel roofline_model();

/// vpucost.Costing. Immutable once made; the NetworkCosters it hands out
/// point into it, so it is kept alive by whatever uses them.
struct PyCosting {
  PyModel model;
  Device device = Device::VPU_2_7;
  DType dtype = DType::UINT8;
  LatencyMode mode = LatencyMode::device;
  std::shared_ptr<const ShaveModel> shave;  ///< null: none given
  std::shared_ptr<const DmaModel> dma;      ///< never null (the device's roofline by default)
  std::string dma_description = "roofline DMA (no dma_model)";

  /// Each layer apart: device mode is costed in compute mode per layer
  /// (network_report adds the in-order terms).
  NetworkCoster layer_coster() const;
  /// A latency table's coster (device mode: each entry's first weight fetch hides behind
  /// its own last layer, lut.cpp).
  NetworkCoster table_coster() const;
};

struct CostingOptions {
  PyModel model;
  std::optional<std::string> device;
  std::string dtype = "UINT8";
  std::string mode = "device";
  std::optional<std::string> shave_model;  ///< a SHAVE model file
  std::optional<std::string> dma_model;    ///< a DMA model file
};

/// Throws vpucost::Error naming the keyword that is wrong.
PyCosting make_costing(const CostingOptions& options);

}  // namespace vpucost::python
