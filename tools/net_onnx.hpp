#pragma once
// vpucost net --onnx: a network from an ONNX model (onnx_network.hpp), every
// node on the device with its engine and cost.
#include "command.hpp"
#include "network_cli.hpp"

namespace vpucost::cli {

void add_net_onnx_options(po::options_description& options);
int run_net_onnx(const po::variables_map& vm, const CostingSetup& setup);

}  // namespace vpucost::cli
