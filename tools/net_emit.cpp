#include "net_emit.hpp"

#include "vpucost/atomic_file.hpp"
#include "vpucost/lut_writers.hpp"

namespace vpucost::cli {

NetEmitters::NetEmitters(const po::variables_map& vm, const CostingSetup& setup)
    : vm_(vm),
      recorder_(*setup.loaded.predictor),
      predictor_(vm.count("emit-queried") ? &recorder_ : setup.loaded.predictor.get()),
      dma_(vm.count("emit-dma") ? dma_recorder_.recording(setup.dma_model()) : setup.dma_model()) {
  // Every output is checked before any work, so that a bad one leaves none
  // of the others written; none may overwrite another or a file read.
  require_outputs_apart(vm, {"emit-workloads", "emit-queried", "emit-dma", "emit-shave"});
  for (const char* written : {"emit-workloads", "emit-queried", "emit-dma", "emit-shave"}) {
    if (vm.count(written)) {
      require_writable(std::string("--") + written, vm[written].as<std::string>());
    }
  }
}

void NetEmitters::write(std::span<const Workload> runs,
                        std::span<const ShaveOperation* const> shave) const {
  if (vm_.count("emit-queried")) {
    write_file_atomically(vm_["emit-queried"].as<std::string>(),
                          workloads_csv(recorder_.queried()));
  }
  if (vm_.count("emit-workloads")) {
    write_file_atomically(vm_["emit-workloads"].as<std::string>(), workloads_csv(runs));
  }
  if (vm_.count("emit-dma")) {
    write_file_atomically(vm_["emit-dma"].as<std::string>(),
                          dma_transfers_csv(dma_recorder_.queried()));
  }
  if (vm_.count("emit-shave")) {
    write_file_atomically(vm_["emit-shave"].as<std::string>(), shave_operations_csv(shave));
  }
}

void NetEmitters::write(std::span<const NetworkNode> nodes, const NetworkNodesCost& cost) const {
  std::vector<Workload> runs;
  for (const NodeCost& c : cost.nodes) runs.insert(runs.end(), c.runs.begin(), c.runs.end());
  std::vector<const ShaveOperation*> shave;
  for (const NetworkNode& n : nodes) {
    if (n.engine == NetworkNode::Engine::Shave) shave.push_back(&n.shave);
  }
  write(runs, shave);
}

}  // namespace vpucost::cli
