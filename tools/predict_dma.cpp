// vpucost predict --kind dma: cycles of one DMA transfer described on the
// command line, from a DMA model (curves of bytes, dma_model.hpp) or the
// roofline curve.
#include "predict_dma.hpp"

#include <cmath>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_args.hpp"
#include "vpucost/device.hpp"
#include "vpucost/dma_model_file.hpp"
#include "vpucost/error.hpp"

namespace vpucost::cli {
namespace {

// predict's options that describe a DPU workload or a SHAVE operation only.
constexpr const char* kNotDmaOptions[] = {
    "op",   "input",        "output",     "kernel",         "stride",          "pad",
    "mode", "output-dtype", "activation", "input-sparsity", "weight-sparsity", "output-write-tiles",
    "isi",  "csv",          "param",
};

}  // namespace

DmaModel load_dma_model_option(const std::string& model, std::optional<Device> device) {
  if (model != "roofline") return load_dma_model(model);
  if (!device)
    throw Error("--device is required with --model roofline (" + names_list<Device>() + ")");
  return DmaModel(roofline_dma_parts(*device));
}

int run_predict_dma(const po::variables_map& vm) {
  for (const char* name : kNotDmaOptions) {
    if (vm.count(name)) {
      throw Error(std::string("--") + name + " does not describe a DMA transfer (--direction, " +
                  "--tensor WxHxC with --dtype, or --bytes)");
    }
  }
  const std::string model_path = vm.count("model") ? vm["model"].as<std::string>() : "roofline";
  const std::optional<Device> device_option =
      vm.count("device") ? std::optional(parse<Device>(vm["device"].as<std::string>()))
                         : std::nullopt;
  const DmaModel model = load_dma_model_option(model_path, device_option);
  const Device device = device_option.value_or(model.device());
  if (!vm.count("direction")) {
    throw Error("--direction is required (" + names_list<DmaDirection>() + ")");
  }
  const DmaDirection direction = parse<DmaDirection>(vm["direction"].as<std::string>());
  DmaTransfer t;
  if (vm.count("bytes")) {
    if (vm.count("tensor") || vm.count("dtype")) {
      throw Error("give either --bytes or --tensor (with --dtype), not both");
    }
    t = flat_transfer(device, direction, vm["bytes"].as<std::int64_t>());
  } else {
    if (!vm.count("tensor")) throw Error("--tensor WIDTHxHEIGHTxCHANNELS or --bytes N is required");
    const auto shape = parse_shape(vm["tensor"].as<std::string>(), "tensor");
    const DType dtype =
        vm.count("dtype") ? parse<DType>(vm["dtype"].as<std::string>()) : DType::UINT8;
    t = DmaTransfer{device, direction, Tensor{shape[0], shape[1], shape[2], dtype}};
  }
  const double cycles = model.predict_cycles(t);  // validates, names what is wrong
  const double us = cycles_to_microseconds(device, cycles);
  const std::string source =
      model_path == "roofline" ? "roofline DMA (DDR bandwidth)" : "DMA model " + model_path;
  if (vm.count("json")) {
    nlohmann::json j{{"kind", "dma"},
                     {"cycles", cycles},
                     {"microseconds", us},
                     {"source", model_path == "roofline" ? "roofline" : "model"},
                     {"device", std::string(to_string(device))},
                     {"direction", std::string(to_string(direction))},
                     {"bytes", transfer_bytes(t)},
                     {"model", model_path}};
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::cout << describe(t) << "\n"
            << "cycles:       " << std::llround(cycles) << "\n"
            << "microseconds: " << std::fixed << std::setprecision(3) << us << "  (DPU clock "
            << std::setprecision(0) << device_spec(device).dpu_clock_mhz
            << " MHz, as VPUNN reports DMA time)\n"
            << "source:       " << source << "\n";
  return 0;
}

}  // namespace vpucost::cli
