#pragma once
// Training a cost-model MLP: mini-batch AdamW on a relative-error loss over
// standardised log-cycles, a learning-rate schedule, early stopping on
// validation MAPE with the best epoch's weights kept, atomic checkpoints and
// exact resume.
//
// Determinism: one seed fixes the initialisation, the validation split and
// every epoch's shuffle (each drawn from its own seeded stream, so resuming
// at epoch e needs no generator state). Each mini-batch is split into
// `threads` column shards whose gradients are summed in shard order, so the
// same seed and thread count give bit-identical weights on a machine, and a
// resumed run ends exactly where an uninterrupted one would.
#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "vpucost/adam.hpp"
#include "vpucost/cost_model.hpp"
#include "vpucost/evaluation.hpp"
#include "vpucost/loss.hpp"
#include "vpucost/lr_schedule.hpp"
#include "vpucost/training_data.hpp"

namespace vpucost {

struct TrainOptions {
  // Network (for fine-tuning these must equal the initial network's).
  std::vector<Eigen::Index> hidden{128, 128, 64};
  Activation activation = Activation::ReLU;

  // Optimisation.
  int epochs = 200;
  int batch_size = 256;
  double learning_rate = 1e-3;
  ScheduleKind schedule = ScheduleKind::Cosine;
  double min_lr_ratio = 0.01;  ///< final lr / learning_rate
  double warmup_epochs = 1.0;  ///< may be fractional
  double plateau_factor = 0.5;
  int plateau_patience = 5;
  AdamOptions adam{0.9, 0.999, 1e-8, 1e-4};
  double clip_norm = 0.0;  ///< > 0: clip the gradient's global norm to this
  LossFunction loss;

  /// Fine-tuning (need an initial network): the first `frozen_layers` dense
  /// layers keep their initial weights; with `decay_to_initial`, weight decay
  /// pulls the weights toward their initial values instead of toward zero.
  int frozen_layers = 0;
  bool decay_to_initial = false;

  /// Early stopping: stop after this many epochs without a better validation
  /// MAPE (0: never stop early). Needs validation data.
  int patience = 30;

  std::uint64_t seed = 1;
  int threads = 1;

  /// Written atomically every `checkpoint_every` epochs, when stopping early,
  /// at the end and when interrupted; empty: no checkpoints.
  std::filesystem::path checkpoint;
  int checkpoint_every = 1;
  /// Continue from this checkpoint (written by a run with the same options
  /// and data); empty: start fresh.
  std::filesystem::path resume;
};

/// Checks ranges (epochs, batch, lr, ...) and throws vpucost::Error naming the option.
void check_options(const TrainOptions& options);

/// Every option that shapes the result, as key -> exact text. Stored in the
/// model file's notes and compared when resuming.
std::map<std::string, std::string> describe_options(const TrainOptions& options);

struct TrainingProblem {
  Device device = Device::VPU_2_7;
  Normalisation normalisation;  ///< used to standardise train/validation
  TrainingSet train;
  std::optional<TrainingSet> validation;  ///< without: no early stopping, last epoch kept
  std::optional<Mlp> initial_network;     ///< fine-tuning: start from these weights
};

struct EpochReport {
  int epoch = 0;          ///< 1-based number of the epoch just completed
  int epochs = 0;         ///< planned epochs
  double train_loss = 0;  ///< mean per-sample loss over the epoch's mini-batches
  double val_loss = 0;    ///< NaN without validation
  double val_mape = 0;    ///< fraction; NaN without validation
  double val_within_10 = 0;
  double learning_rate = 0;  ///< of the epoch's last step
  bool improved = false;     ///< new best validation MAPE
  double elapsed_seconds = 0;
  double eta_seconds = 0;  ///< for the remaining planned epochs (early stopping may end sooner)
};

/// Called after every epoch; return false to stop (the checkpoint, if any,
/// is written first and the result is marked interrupted).
using EpochObserver = std::function<bool(const EpochReport&)>;

struct TrainResult {
  /// Device, network with the kept weights, normalisation, and in `training`:
  /// rows, train_seconds, metrics (val_* and train_*) and notes (every option).
  /// The caller adds dataset, command and created.
  ModelParts model;
  std::vector<EpochReport> history;  ///< every epoch, including those before a resume
  int best_epoch = 0;                ///< epoch whose weights were kept
  bool early_stopped = false;
  bool interrupted = false;
  std::optional<ErrorSummary> validation;  ///< of the kept weights
  ErrorSummary train_errors;               ///< of the kept weights on the training rows
};

TrainResult train_model(const TrainingProblem& problem, const TrainOptions& options,
                        const EpochObserver& observer = {});

}  // namespace vpucost
