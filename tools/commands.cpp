#include "command.hpp"

namespace vpucost::cli {

int run_predict(const std::vector<std::string>& args);
int run_info(const std::vector<std::string>& args);
int run_import(const std::vector<std::string>& args);
int run_split(const std::vector<std::string>& args);
int run_select(const std::vector<std::string>& args);
int run_stats(const std::vector<std::string>& args);
int run_train(const std::vector<std::string>& args);
int run_eval(const std::vector<std::string>& args);
int run_features(const std::vector<std::string>& args);
int run_lut(const std::vector<std::string>& args);
int run_net(const std::vector<std::string>& args);
int run_nas(const std::vector<std::string>& args);
int run_nas_space(const std::vector<std::string>& args);
int run_nas_export(const std::vector<std::string>& args);
int run_layer(const std::vector<std::string>& args);
int run_advise(const std::vector<std::string>& args);

std::span<const Command> commands() {
  static const Command table[] = {
      {"predict", "predict DPU cycles of a workload (or a CSV of workloads)", run_predict},
      {"info", "show what a model file is and how it was trained", run_info},
      {"import", "import a recording CSV into an HDF5 dataset (rejects listed)", run_import},
      {"split", "split a dataset into train and test files by descriptor", run_split},
      {"stats", "summarise a dataset: counts, value ranges, cycle quantiles", run_stats},
      {"train", "train a cost model on recordings, or fine-tune one (--init-from)", run_train},
      {"select", "choose which pool workloads to profile on a new chip, within a budget",
       run_select},
      {"eval", "accuracy of a model or the roofline on recorded cycles (MAPE, plot)", run_eval},
      {"features", "export the feature encoding of a dataset as CSV (for other learners)",
       run_features},
      {"lut", "latency look-up tables of a search space for NAS (ProxylessNAS/OFA YAML, CSV, JSON)",
       run_lut},
      {"layer", "one layer on the whole device: every tiling strategy, the best, its DMA terms",
       run_layer},
      {"net", "latency of a network given as a ProxylessNAS / once-for-all net config", run_net},
      {"nas", "latency-constrained evolutionary architecture search (SPOS / HURRICANE)", run_nas},
      {"nas-space", "hardware-aware reduced search space (HURRICANE operator scores)",
       run_nas_space},
      {"nas-export", "per-block latency table and E[lat] gradient as JSON for PyTorch NAS",
       run_nas_export},
      {"advise", "the papers' VPU design rules measured on a device (SHAVE, SE, channels, ...)",
       run_advise},
  };
  return table;
}

}  // namespace vpucost::cli
