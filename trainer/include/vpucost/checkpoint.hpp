#pragma once
// Training checkpoints: everything needed to continue a run exactly where it
// stopped, in one HDF5 file written atomically (temporary file + rename), so
// a crash mid-write leaves the previous checkpoint intact.
//
// Layout: root attributes `format` = vpucost-checkpoint, `format_version`,
// `feature_encoding_version`, `device`, `activation`, `widths`, progress
// counters and early-stopping state; group /settings (one string attribute
// per option, compared on resume); group /normalisation; datasets
// /params, /best_params, /adam_m, /adam_v (float32) and /history
// (float64 [epochs x 9]).
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "vpucost/lr_schedule.hpp"
#include "vpucost/mlp.hpp"
#include "vpucost/trainable_mlp.hpp"
#include "vpucost/trainer.hpp"
#include "vpucost/training_data.hpp"

namespace vpucost {

inline constexpr const char* kCheckpointFormat = "vpucost-checkpoint";
inline constexpr int kCheckpointFormatVersion = 3;

struct Checkpoint {
  std::map<std::string, std::string> settings;  ///< must match exactly to resume
  Device device = Device::VPU_2_7;
  int feature_version = kFeatureEncodingVersion;
  std::vector<Eigen::Index> widths;  ///< input, hidden..., 1
  Activation activation = Activation::ReLU;
  Normalisation normalisation;

  int epochs_done = 0;
  bool finished = false;  ///< stopped early or ran every epoch
  bool early_stopped = false;
  std::uint64_t step = 0;  ///< optimiser steps taken
  ParameterVector params;
  ParameterVector best_params;
  int best_epoch = 0;
  double best_metric = 0;  ///< best validation MAPE so far
  int bad_epochs = 0;      ///< epochs since the best
  std::uint64_t adam_steps = 0;
  std::vector<float> adam_m;
  std::vector<float> adam_v;
  PlateauState plateau;
  double elapsed_seconds = 0;  ///< training time before this checkpoint
  std::vector<EpochReport> history;
};

void save_checkpoint(const Checkpoint& checkpoint, const std::filesystem::path& path);
Checkpoint load_checkpoint(const std::filesystem::path& path);

/// Throws vpucost::Error naming the first setting that differs between a
/// checkpoint and the run that wants to resume it.
void check_resumable(const Checkpoint& checkpoint,
                     const std::map<std::string, std::string>& settings,
                     const std::filesystem::path& path);

}  // namespace vpucost
