#pragma once
// What `vpucost train` does alike for the fitted kinds (SHAVE formulas, DMA
// curves): refusing the network-only options, and reading every --data CSV
// with its rejects reported as one warning line per file.
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "vpucost/error.hpp"

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

/// Reads every CSV with `read` (read_shave_csv, read_dma_csv) into one set;
/// throws vpucost::Error when no valid row remains.
template <class Recordings, class Read>
Recordings read_all_recordings(const std::vector<std::filesystem::path>& paths, Read&& read,
                               const std::string& kind_name) {
  Recordings all;
  for (const auto& path : paths) {
    Recordings r = read(path);
    if (!r.rejects.empty()) {
      std::cerr << "vpucost train: warning: " << r.source << ": " << r.rejects.size() << " of "
                << r.rows_read << " rows rejected (first: line " << r.rejects.front().line << ": "
                << r.rejects.front().reason << ")\n";
    }
    all.source += (all.source.empty() ? "" : ",") + r.source;
    all.rows_read += r.rows_read;
    all.items.insert(all.items.end(), r.items.begin(), r.items.end());
    all.cycles.insert(all.cycles.end(), r.cycles.begin(), r.cycles.end());
  }
  if (all.items.empty()) throw Error(all.source + ": no valid " + kind_name + " to fit");
  return all;
}

}  // namespace vpucost::cli
