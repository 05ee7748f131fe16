// Fuzzes the HDF5 model loader (load_model, what `vpucost predict --model`,
// `info`, `lut`, `net`, `nas`, `eval` and `train --init-from` call): the
// input is written to a file and loaded. Any file must either load or throw
// vpucost::Error. A model that loads must
//  - predict finite cycles within [kMinCycles, kMaxCycles] for workloads of
//    its device, single and batched;
//  - save and load back to the same parts (whatever loads can be written).
// SHAVE model files (issue #15) go through load_shave_model the same way:
// what loads predicts finite cycles in range for an operation of each of
// its formulas and saves and loads back to the same formulas.
// DMA model files likewise go through load_dma_model: what loads predicts
// finite cycles in range at sizes below, inside and far above its knots and
// saves and loads back to the same curves.
// The seed corpus (tests/fuzz/corpus/model_file/, made by make_model_corpus)
// holds small valid models so that mutations start from the real structure.
// What fuzzing found in libhdf5 itself is in tests/fuzz/README.md.
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "file_input.hpp"
#include "vpucost/device.hpp"
#include "vpucost/dma_model_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/shave_model_file.hpp"
#include "vpucost/workload.hpp"

namespace {

using vpucost::fuzz::check;

vpucost::Workload workload(vpucost::Device device, vpucost::Operation op, std::int64_t size,
                           std::int64_t channels, std::int64_t kernel) {
  using namespace vpucost;
  Workload w;
  w.device = device;
  w.operation = op;
  w.input = {size, size, op == Operation::CM_CONVOLUTION ? 3 : channels, DType::UINT8};
  w.output = {size, size, channels, DType::FLOAT16};
  w.kernel_w = w.kernel_h = kernel;
  const std::int64_t pad = kernel / 2;
  w.padding = {pad, pad, pad, pad};
  w.mode = operation_modes(device, op).back();
  return w;
}

void check_predictions(const vpucost::CostModel& model) {
  using namespace vpucost;
  const std::array<Workload, 4> queries = {
      workload(model.device(), Operation::CONVOLUTION, 56, 64, 3),
      workload(model.device(), Operation::DW_CONVOLUTION, 1, 16, 1),
      workload(model.device(), Operation::CM_CONVOLUTION, 224, 32, 7),
      workload(model.device(), Operation::ELTWISE, 7, 2048, 1)};
  std::array<double, queries.size()> batched{};
  model.predict_cycles(queries, batched);
  for (std::size_t i = 0; i < queries.size(); ++i) {
    const double single = model.predict_cycles(queries[i]);
    check(std::isfinite(single) && single >= kMinCycles && single <= kMaxCycles);
    check(std::isfinite(batched[i]) && batched[i] >= kMinCycles && batched[i] <= kMaxCycles);
  }
}

void check_round_trip(const vpucost::CostModel& model) {
  using namespace vpucost;
  const auto copy = fuzz::scratch_file("model", "-saved.h5");
  save_model(model.parts(), copy);  // must not throw: it loaded, so it is valid
  const ModelParts& a = model.parts();
  const ModelParts b = load_model(copy).parts();
  check(a.device == b.device && a.output_offset == b.output_offset &&
        a.output_scale == b.output_scale && a.feature_mean == b.feature_mean &&
        a.feature_std == b.feature_std && a.mlp.activation() == b.mlp.activation() &&
        a.mlp.layers().size() == b.mlp.layers().size());
  for (std::size_t i = 0; i < a.mlp.layers().size(); ++i) {
    check(a.mlp.layers()[i].weights == b.mlp.layers()[i].weights);
    check(a.mlp.layers()[i].bias == b.mlp.layers()[i].bias);
  }
  check(a.training.dataset == b.training.dataset && a.training.notes == b.training.notes &&
        a.training.command == b.training.command);
}

// One operation of each fitted formula, at a small and a large size.
void check_shave_model(const vpucost::ShaveModel& model) {
  using namespace vpucost;
  for (const ShaveGroupFit& g : model.parts().groups) {
    for (std::int64_t size : {1, 300}) {
      ShaveOperation s;
      s.device = model.device();
      s.operation = g.key.operation;
      s.param = g.key.param;
      s.input = {size, size, 64, g.key.dtype};
      if (find_problem(ShaveOperation{s.device, s.operation, s.input, s.input, s.param})) {
        continue;  // e.g. a parameter the descriptor refuses: the model cannot be asked
      }
      s.output = shave_output_of(s.operation, s.input, s.param);
      if (find_problem(s)) continue;
      const double cycles = model.predict_cycles(s);
      check(std::isfinite(cycles) && cycles >= kMinCycles && cycles <= kMaxCycles);
    }
  }
  const auto copy = fuzz::scratch_file("model", "-shave-saved.h5");
  save_shave_model(model.parts(), copy);
  const ShaveModelParts b = load_shave_model(copy).parts();
  check(b.device == model.device() && b.groups.size() == model.parts().groups.size());
  for (std::size_t i = 0; i < b.groups.size(); ++i) {
    check(b.groups[i].key == model.parts().groups[i].key &&
          b.groups[i].coefficients == model.parts().groups[i].coefficients);
  }
}

// Both directions, from 1 byte to the largest transfer.
void check_dma_model(const vpucost::DmaModel& model) {
  using namespace vpucost;
  for (std::size_t d = 0; d < model.parts().curves.size(); ++d) {
    if (model.parts().curves[d].empty()) continue;
    for (std::int64_t bytes :
         {std::int64_t{1}, std::int64_t{4096}, std::int64_t{1} << 20, kMaxTransferBytes}) {
      const double cycles =
          model.predict_cycles(flat_transfer(model.device(), static_cast<DmaDirection>(d), bytes));
      check(std::isfinite(cycles) && cycles >= kMinCycles && cycles <= kMaxCycles);
    }
  }
  const auto copy = fuzz::scratch_file("model", "-dma-saved.h5");
  save_dma_model(model.parts(), copy);
  const DmaModelParts b = load_dma_model(copy).parts();
  check(b.device == model.device() && b.method == model.parts().method &&
        b.curves == model.parts().curves);
}

void fuzz_as_dma_model(const std::filesystem::path& input) {
  using namespace vpucost;
  std::optional<DmaModel> model;
  try {
    model.emplace(load_dma_model(input));
  } catch (const Error&) {
    return;
  }
  try {
    check_dma_model(*model);
  } catch (const Error&) {
    __builtin_trap();  // a DMA model that loads must predict, save and load again
  }
}

void fuzz_as_shave_model(const std::filesystem::path& input) {
  using namespace vpucost;
  std::optional<ShaveModel> model;
  try {
    model.emplace(load_shave_model(input));
  } catch (const Error&) {
    return;
  }
  try {
    check_shave_model(*model);
  } catch (const Error&) {
    __builtin_trap();  // a SHAVE model that loads must predict, save and load again
  }
}

}  // namespace

#include "libhdf5_fuzz_settings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vpucost;
  const auto input = fuzz::write_input("model", data, size);
  std::optional<CostModel> model;
  try {
    model.emplace(load_model(input));
  } catch (const Error&) {
    fuzz_as_shave_model(input);
    fuzz_as_dma_model(input);
    return 0;
  }
  try {
    check_predictions(*model);
    check_round_trip(*model);
  } catch (const Error&) {
    __builtin_trap();  // a model that loads must predict, save and load again
  }
  return 0;
}
