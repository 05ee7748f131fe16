#pragma once
// What `vpucost train` does alike for the fitted kinds (SHAVE formulas, DMA
// curves): refusing the network-only options, and reading every --data CSV
// with its rejects reported as one warning line per file.
#include <boost/program_options.hpp>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "dataset_cli.hpp"
#include "train_options.hpp"
#include "vpucost/error.hpp"
#include "vpucost/evaluation.hpp"

namespace vpucost::cli {

/// Options of `vpucost train` that shape a network's training only.
inline constexpr const char* kNetworkOnlyTrainOptions[] = {
    "val",
    "val-fraction",
    "init-from",
    "renormalise",
    "freeze-layers",
    "decay-to-init",
    "teachers",
    "synthetic",
    "hidden",
    "activation",
    "epochs",
    "batch",
    "lr",
    "schedule",
    "min-lr-ratio",
    "warmup",
    "plateau-factor",
    "plateau-patience",
    "weight-decay",
    "beta1",
    "beta2",
    "clip-norm",
    "loss",
    "huber-delta",
    "patience",
    "seed",
    "threads",
    "checkpoint",
    "checkpoint-every",
    "resume",
};

/// Throws vpucost::Error for the first network-only option given, saying
/// why it does not apply (`why`, e.g. "SHAVE models (closed forms ...)").
inline void refuse_network_only_options(const boost::program_options::variables_map& vm,
                                        const std::string& why) {
  for (const char* name : kNetworkOnlyTrainOptions) {
    if (vm.count(name) && !vm[name].defaulted()) {
      throw Error(std::string("--") + name + " does not apply to " + why);
    }
  }
}

/// The data paths of --data, checked to differ from each other and from --out.
inline std::vector<std::filesystem::path> kind_data_paths(
    const boost::program_options::variables_map& vm, const std::filesystem::path& out) {
  std::vector<std::filesystem::path> paths;
  for (const auto& d : split_list(vm["data"].as<std::string>(), "--data")) paths.push_back(d);
  std::vector<std::pair<std::string, std::filesystem::path>> files{{"--out", out}};
  for (const auto& d : paths) files.emplace_back("--data", d);
  require_distinct_files(files);
  return paths;
}

/// Scores `model` on the rows it was fitted on and fills its training record
/// as every `vpucost train` does: the command line, the time it was made,
/// the fitting time, train MAPE and share within 10 % (summarise_errors, as
/// eval reports them).
template <class Model, class Recordings>
void record_fit(TrainingMetadata& t, const Model& model, const Recordings& data,
                const std::vector<std::string>& args, double seconds) {
  std::vector<double> predicted(data.size());
  model.predict_cycles(data.items, predicted);
  std::vector<double> ape(data.size());
  for (std::size_t i = 0; i < data.size(); ++i)
    ape[i] = std::abs(predicted[i] / data.cycles[i] - 1.0);
  const ErrorSummary errors = summarise_errors(ape);
  t.command = train_command_line(args);
  t.created = utc_now();
  t.train_seconds = seconds;
  t.metrics["train_mape"] = errors.mape;
  t.metrics["train_within_10"] = errors.within_10;
}

/// Reads every CSV with `read` (read_shave_csv, read_dma_csv) into one set;
/// throws vpucost::Error when no valid row remains.
template <class Recordings, class Read>
Recordings read_all_recordings(const std::vector<std::filesystem::path>& paths, Read&& read,
                               const std::string& kind_name) {
  Recordings all;
  for (const auto& path : paths) {
    Recordings r = read(path);
    warn_rejected_rows("train", r.source, r.rejects, r.rows_read);
    all.source += (all.source.empty() ? "" : ",") + r.source;
    all.rows_read += r.rows_read;
    all.items.insert(all.items.end(), r.items.begin(), r.items.end());
    all.cycles.insert(all.cycles.end(), r.cycles.begin(), r.cycles.end());
  }
  if (all.items.empty()) throw Error(all.source + ": no valid " + kind_name + " to fit");
  return all;
}

}  // namespace vpucost::cli
