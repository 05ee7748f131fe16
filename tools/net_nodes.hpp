#pragma once
// vpucost net --nodes: a network given node by node (the v2 teacher's
// networks/ CSV: DPU layers, SHAVE operations, layout nodes) on the device.
#include "command.hpp"
#include "network_cli.hpp"

namespace vpucost::cli {

void add_net_nodes_options(po::options_description& options);
int run_net_nodes(const po::variables_map& vm, const CostingSetup& setup);

}  // namespace vpucost::cli
