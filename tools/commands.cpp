#include "command.hpp"

namespace vpucost::cli {

int run_predict(const std::vector<std::string>& args);
int run_info(const std::vector<std::string>& args);

std::span<const Command> commands() {
  static const Command table[] = {
      {"predict", "predict DPU cycles of a workload (or a CSV of workloads)", run_predict},
      {"info", "show what a model file is and how it was trained", run_info},
  };
  return table;
}

}  // namespace vpucost::cli
