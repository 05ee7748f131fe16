#include "vpucost/network_cost.hpp"

#include <limits>
#include <unordered_map>

#include "batch_coster.hpp"
#include "run_order.hpp"
#include "vpucost/cost_model.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"
#include "vpucost/layer_strategy.hpp"
#include "vpucost/network_nodes.hpp"

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

std::string_view to_string(LatencyMode mode) {
  switch (mode) {
    case LatencyMode::dpu_only:
      return "dpu";
    case LatencyMode::compute:
      return "compute";
    case LatencyMode::ddr:
      return "ddr";
    case LatencyMode::device:
      return "device";
  }
  return "<invalid>";
}

LatencyMode parse_latency_mode(std::string_view text) {
  for (const LatencyMode m :
       {LatencyMode::dpu_only, LatencyMode::compute, LatencyMode::ddr, LatencyMode::device}) {
    if (text == to_string(m)) return m;
  }
  throw Error("latency mode '" + std::string(text) + "' is not dpu, compute, ddr or device");
}

NetworkCoster::NetworkCoster(const CyclePredictor& predictor, Device device, DType dtype,
                             LatencyMode mode, const DmaModel* dma, const ShaveModel* shave)
    : NetworkCoster(predictor, device, dtype, mode, dma) {
  if (shave && shave->device() != device) {
    throw Error("the SHAVE model is for " + std::string(to_string(shave->device())) +
                "; it cannot cost " + std::string(to_string(device)));
  }
  shave_ = shave;
}

NetworkCoster::NetworkCoster(const CyclePredictor& predictor, Device device, DType dtype,
                             LatencyMode mode, const DmaModel* dma)
    : predictor_(&predictor), device_(device), dtype_(dtype), mode_(mode) {
  if (const auto* model = dynamic_cast<const CostModel*>(&predictor);
      model && model->device() != device) {
    throw Error("the model is for " + std::string(to_string(model->device())) +
                "; it cannot cost " + std::string(to_string(device)));
  }
  if (dma && dma->device() != device) {
    throw Error("the DMA model is for " + std::string(to_string(dma->device())) +
                "; it cannot cost " + std::string(to_string(device)));
  }
  // Not owned when given: an aliasing pointer with no control block.
  dma_ = dma ? std::shared_ptr<const DmaModel>(std::shared_ptr<const DmaModel>(), dma)
             : std::make_shared<const DmaModel>(roofline_dma_parts(device));
}

std::vector<LayerCost> NetworkCoster::cost_on_device(std::span<const Layer> layers) const {
  std::vector<LayerCost> out;
  out.reserve(layers.size());
  // A table repeats layers (the expand and project layers of k3 / k5 / k7 at
  // a position): each distinct one is costed once.
  std::unordered_map<Workload, DeviceLayerCost, detail::WorkloadHash> seen;
  for (const Layer& layer : layers) {
    validate(layer);
    try {
      const Workload w = layer_workload(layer, device_, dtype_);
      auto it = seen.find(w);
      if (it == seen.end()) {
        it = seen.emplace(w, vpucost::cost_on_device(*predictor_, *dma_, w)).first;
      }
      const DeviceLayerCost& d = it->second;
      LayerCost c{layer, {}};
      c.cost.whole = w;
      c.cost.split = d.strategy;
      for (const WorkloadCost& tile : d.tiles) {
        c.cost.workloads.insert(c.cost.workloads.end(), tile.workloads.begin(),
                                tile.workloads.end());
      }
      c.cost.cycles = d.compute;
      c.weight_fetch = d.dma.weights;
      if (mode_ == LatencyMode::ddr) c.cost.cycles += d.dma.weights + d.dma.input + d.dma.output;
      out.push_back(std::move(c));
    } catch (const Error& e) {
      throw Error("layer '" + layer.name + "': " + e.what());
    }
  }
  return out;
}

std::vector<LayerCost> NetworkCoster::cost(std::span<const Layer> layers) const {
  if (mode_ != LatencyMode::dpu_only) return cost_on_device(layers);
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

ShaveOperation NetworkCoster::shave_operation(const ShaveStep& step) const {
  ShaveOperation op;
  op.device = device_;
  op.operation = step.op;
  op.input = {step.width, step.height, step.channels, dtype_};
  op.param = step.param;
  op.output = shave_output_of(step.op, op.input, step.param);
  return op;
}

ShaveCost NetworkCoster::cost(const ShaveStep& step) const {
  if (!shave_) {
    throw Error("'" + step.name + "' runs " + std::string(to_string(step.op)) +
                " on the SHAVE cores, which needs a SHAVE model of " +
                std::string(to_string(device_)) + " (--shave-model)");
  }
  ShaveCost c{step, shave_operation(step), 0.0, {}};
  try {
    const NodeCost n = cost_shave_operation(c.operation, *shave_, *dma_, mode_);
    c.cycles = n.cycles;
    c.detail = n.detail;
  } catch (const Error& e) {
    throw Error("'" + step.name + "': " + e.what());
  }
  return c;
}

std::optional<std::string> NetworkCoster::find_unanswerable(const ShaveStep& step) const {
  if (!shave_) return "no SHAVE model of " + std::string(to_string(device_)) + " is given";
  const ShaveOperation op = shave_operation(step);
  if (auto why = find_problem(op)) return why;
  return shave_->find_unanswerable(op);
}

DmaCost NetworkCoster::cost(const DmaStep& step) const {
  DmaCost c{step,
            {device_, DmaDirection::CMX_TO_DDR, {step.width, step.height, step.channels, dtype_}},
            0.0};
  try {
    c.cycles = dma_->predict_cycles(c.transfer);
  } catch (const Error& e) {
    throw Error("'" + step.name + "': " + e.what());
  }
  return c;
}

double NetworkCoster::milliseconds(double cycles) const {
  return cycles_to_microseconds(device_, cycles) / 1000.0;
}

double total_cycles(std::span<const LayerCost> layers) {
  double sum = 0.0;
  for (const LayerCost& l : layers) sum += l.cost.cycles;
  return sum;
}

std::vector<PartItemCost> cost_parts(std::span<const NetPart> parts, const NetworkCoster& coster) {
  std::vector<Layer> layers;
  for (const NetPart& p : parts) layers.insert(layers.end(), p.layers.begin(), p.layers.end());
  std::vector<LayerCost> costs = coster.cost(layers);
  std::vector<PartItemCost> items;
  std::size_t next = 0;
  for (std::size_t part = 0; part < parts.size(); ++part) {
    const NetPart& p = parts[part];
    detail::visit_in_run_order(
        p.layers.size(), p.shave.size(), [&](std::size_t k) { return p.shave[k].after_layers; },
        p.dma.size(), [&](std::size_t k) { return p.dma[k].after_layers; },
        [&](std::size_t k) {
          items.push_back({part, std::nullopt, coster.cost(p.shave[k]), std::nullopt});
        },
        [&](std::size_t k) {
          items.push_back({part, std::nullopt, std::nullopt, coster.cost(p.dma[k])});
        },
        [&](std::size_t) {
          items.push_back({part, std::move(costs[next++]), std::nullopt, std::nullopt});
        });
  }
  return items;
}

double parts_cycles(std::span<const NetPart> parts, const NetworkCoster& coster) {
  double cycles = 0;
  for (const PartItemCost& item : cost_parts(parts, coster)) cycles += item.cycles();
  return cycles;
}

}  // namespace vpucost
