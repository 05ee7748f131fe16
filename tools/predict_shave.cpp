// vpucost predict --kind shave: cycles of one SHAVE operation described on
// the command line, from a SHAVE model (closed forms, shave_model.hpp).
#include "predict_shave.hpp"

#include <cmath>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_args.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"
#include "vpucost/shave_model_file.hpp"

namespace vpucost::cli {
namespace {

// predict's options that describe a DPU workload only.
constexpr const char* kDpuOnlyOptions[] = {
    "kernel",
    "stride",
    "pad",
    "mode",
    "output-dtype",
    "activation",
    "input-sparsity",
    "weight-sparsity",
    "output-write-tiles",
    "isi",
    "csv",
};

// The parameter when --param is not given: the block size and scale of the
// x2 networks in the data; softmax and mvn have no common default.
int default_param(ShaveOp op) {
  switch (op) {
    case ShaveOp::depth_to_space:
    case ShaveOp::interpolate:
      return 2;
    case ShaveOp::softmax:
      throw Error("--param is required for softmax: the axis, 1 (C), 2 (H) or 3 (W)");
    case ShaveOp::mvn:
      throw Error("--param is required for mvn: the normalised axes, 1 (W), 2 (W,H) or 3 (W,H,C)");
    default:
      return 0;
  }
}

}  // namespace

int run_predict_shave(const po::variables_map& vm) {
  for (const char* name : kDpuOnlyOptions) {
    if (vm.count(name)) {
      throw Error(std::string("--") + name + " describes a DPU workload, not a SHAVE operation");
    }
  }
  if (!vm.count("model")) throw Error("--model is required for --kind shave (a SHAVE model file)");
  const std::string model_path = vm["model"].as<std::string>();
  const ShaveModel model = load_shave_model(model_path);
  ShaveOperation s;
  s.device = vm.count("device") ? parse<Device>(vm["device"].as<std::string>()) : model.device();
  if (!vm.count("op")) throw Error("--op is required (" + names_list<ShaveOp>() + ")");
  s.operation = parse<ShaveOp>(vm["op"].as<std::string>());
  if (!vm.count("input")) throw Error("--input WIDTHxHEIGHTxCHANNELS is required");
  const auto in = parse_shape(vm["input"].as<std::string>(), "input");
  const DType dtype =
      vm.count("dtype") ? parse<DType>(vm["dtype"].as<std::string>()) : DType::FLOAT16;
  s.input = {in[0], in[1], in[2], dtype};
  s.param = vm.count("param") ? vm["param"].as<int>() : default_param(s.operation);
  if (vm.count("output")) {
    const auto out = parse_shape(vm["output"].as<std::string>(), "output");
    s.output = {out[0], out[1], out[2], dtype};
  } else {
    s.output = shave_output_of(s.operation, s.input, s.param);
  }
  if (auto problem = find_problem(s)) throw Error(*problem);
  const double cycles = model.predict_cycles(s);
  const double us = cycles_to_microseconds(s.device, cycles);
  if (vm.count("json")) {
    nlohmann::json j{{"kind", "shave"},
                     {"cycles", cycles},
                     {"microseconds", us},
                     {"source", "model"},
                     {"device", std::string(to_string(s.device))},
                     {"operation", std::string(to_string(s.operation))},
                     {"param", s.param},
                     {"model", model_path}};
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::cout << describe(s) << "\n"
            << "cycles:       " << std::llround(cycles) << "  (one SHAVE core)\n"
            << "microseconds: " << std::fixed << std::setprecision(3) << us
            << "  (cycles counted at the DPU clock, " << std::setprecision(0)
            << device_spec(s.device).dpu_clock_mhz << " MHz, as VPUNN reports SHAVE time)\n"
            << "source:       SHAVE model " << model_path << "\n";
  return 0;
}

}  // namespace vpucost::cli
