#include "vpucost/network_cost.hpp"

#include <limits>
#include <unordered_map>

#include "batch_coster.hpp"
#include "vpucost/cost_model.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"

namespace vpucost {

using detail::BatchCoster;

WorkloadCost cost_workload(const CyclePredictor& predictor, const Workload& w,
                           std::optional<ExecutionMode> mode) {
  // The workload's own mode matters only when it is the one to use.
  Workload checked = w;
  checked.mode = mode ? *mode : operation_modes(w.device, w.operation).front();
  validate(checked);  // with a mode the device lacks, names the modes it has
  BatchCoster batch(predictor, mode);
  const std::size_t slot = batch.add(checked);
  batch.run();
  return batch.result(slot);
}

NetworkCoster::NetworkCoster(const CyclePredictor& predictor, Device device, DType dtype)
    : predictor_(&predictor), device_(device), dtype_(dtype) {
  if (const auto* model = dynamic_cast<const CostModel*>(&predictor);
      model && model->device() != device) {
    throw Error("the model is for " + std::string(to_string(model->device())) +
                "; it cannot cost " + std::string(to_string(device)));
  }
}

std::vector<LayerCost> NetworkCoster::cost(std::span<const Layer> layers) const {
  BatchCoster batch(*predictor_, std::nullopt);
  std::vector<std::size_t> slots;
  slots.reserve(layers.size());
  for (const Layer& layer : layers) {
    validate(layer);
    try {
      slots.push_back(batch.add(layer_workload(layer, device_, dtype_)));
    } catch (const Error& e) {
      throw Error("layer '" + layer.name + "': " + e.what());
    }
  }
  batch.run();
  std::vector<LayerCost> out;
  out.reserve(layers.size());
  for (std::size_t i = 0; i < layers.size(); ++i)
    out.push_back({layers[i], batch.result(slots[i])});
  return out;
}

LayerCost NetworkCoster::cost(const Layer& layer) const {
  return cost(std::span<const Layer>(&layer, 1)).front();
}

double NetworkCoster::milliseconds(double cycles) const {
  return cycles_to_microseconds(device_, cycles) / 1000.0;
}

double total_cycles(std::span<const LayerCost> layers) {
  double sum = 0.0;
  for (const LayerCost& l : layers) sum += l.cost.cycles;
  return sum;
}

}  // namespace vpucost
