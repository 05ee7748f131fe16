#include "vpucost/trainer.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>

#include "batch_engine.hpp"
#include "dual_sparsity.hpp"
#include "random.hpp"
#include "vpucost/checkpoint.hpp"
#include "vpucost/error.hpp"
#include "vpucost/trainable_mlp.hpp"

namespace vpucost {
namespace {

using Clock = std::chrono::steady_clock;

// Shortest text that reads back to exactly `v` ("0.001", not "0.0010000000000000000208").
std::string exact(double v) {
  char buf[40];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general);
  return std::string(buf, r.ptr);
}

std::string join(const std::vector<Eigen::Index>& v) {
  std::string s;
  for (const auto x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
  return s;
}

std::uint64_t hash_floats(std::span<const float> v) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const float f : v) {
    unsigned char b[sizeof f];
    std::memcpy(b, &f, sizeof f);
    for (const unsigned char c : b) h = (h ^ c) * 0x100000001b3ull;
  }
  return h;
}

/// Everything a run carries from epoch to epoch; what a checkpoint stores.
struct RunState {
  ParameterVector params;
  ParameterVector best_params;
  int epochs_done = 0;
  std::uint64_t step = 0;
  int best_epoch = 0;
  double best_metric = std::numeric_limits<double>::infinity();
  int bad_epochs = 0;
  bool finished = false;
  bool early_stopped = false;
  double elapsed_before = 0;  ///< seconds spent in earlier (resumed) runs
  std::vector<EpochReport> history;
};

struct SetErrors {
  double loss = 0;
  std::vector<double> ape;
};

SetErrors set_errors(detail::BatchEngine& engine, std::span<const float> params,
                     const TrainingSet& set, const Normalisation& norm) {
  std::vector<float> y(set.size());
  SetErrors e;
  e.loss = engine.predict(params, set, y) / double(std::max<std::size_t>(set.size(), 1));
  // As CostModel predicts them (the loss stays as computed).
  detail::take_cheaper_variants(engine, params, set, y);
  e.ape.resize(set.size());
  for (std::size_t i = 0; i < set.size(); ++i) {
    const double log_pred = double(norm.output_offset) + double(norm.output_scale) * double(y[i]);
    e.ape[i] = std::abs(std::exp(log_pred - set.log_cycles[i]) - 1.0);
  }
  return e;
}

double mean(const std::vector<double>& v) {
  return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
}

double share_within(const std::vector<double>& v, double limit) {
  if (v.empty()) return 0.0;
  return double(std::count_if(v.begin(), v.end(), [&](double e) { return e <= limit; })) /
         double(v.size());
}

Checkpoint make_checkpoint(const RunState& s, const TrainingProblem& problem,
                           const ParameterLayout& layout, const TrainOptions& o,
                           const std::map<std::string, std::string>& settings, const AdamW& adam,
                           const LearningRateSchedule& schedule, double elapsed) {
  Checkpoint c;
  c.settings = settings;
  c.device = problem.device;
  c.widths = layout.widths();
  c.activation = o.activation;
  c.normalisation = problem.normalisation;
  c.epochs_done = s.epochs_done;
  c.finished = s.finished;
  c.early_stopped = s.early_stopped;
  c.step = s.step;
  c.params = s.params;
  c.best_params = s.best_params;
  c.best_epoch = s.best_epoch;
  c.best_metric = s.best_metric;
  c.bad_epochs = s.bad_epochs;
  c.adam_steps = adam.steps();
  c.adam_m = adam.first_moment();
  c.adam_v = adam.second_moment();
  c.plateau = schedule.plateau();
  c.elapsed_seconds = elapsed;
  c.history = s.history;
  return c;
}

}  // namespace

void check_options(const TrainOptions& o) {
  const auto fail = [](const std::string& m) { throw Error(m); };
  if (o.hidden.empty()) fail("the network needs at least one hidden layer (--hidden)");
  for (const auto h : o.hidden) {
    if (h < 1 || h > Mlp::kMaxWidth) {
      fail("hidden layer width " + std::to_string(h) + " is outside 1.." +
           std::to_string(Mlp::kMaxWidth));
    }
  }
  if (o.epochs < 1) fail("epochs must be at least 1");
  if (o.batch_size < 1) fail("batch size must be at least 1");
  if (!(o.learning_rate > 0) || !std::isfinite(o.learning_rate)) fail("learning rate must be > 0");
  if (!(o.min_lr_ratio >= 0 && o.min_lr_ratio <= 1)) fail("minimum lr ratio must be in [0, 1]");
  if (!(o.warmup_epochs >= 0) || o.warmup_epochs > o.epochs) {
    fail("warmup must be between 0 and the number of epochs");
  }
  if (!(o.adam.weight_decay >= 0)) fail("weight decay must be >= 0");
  if (!(o.clip_norm >= 0)) fail("gradient clipping norm must be >= 0 (0: off)");
  if (!(o.loss.huber_delta > 0)) fail("Huber delta must be > 0");
  if (o.patience < 0) fail("patience must be >= 0 (0: no early stopping)");
  if (o.frozen_layers < 0 || o.frozen_layers > static_cast<int>(o.hidden.size())) {
    fail("frozen layers must be between 0 and the number of hidden layers (" +
         std::to_string(o.hidden.size()) + "); the output layer always trains");
  }
  if (o.threads < 1 || o.threads > 256) fail("threads must be in 1..256");
  if (o.checkpoint_every < 1) fail("checkpoint interval must be at least 1 epoch");
}

std::map<std::string, std::string> describe_options(const TrainOptions& o) {
  return {
      {"hidden", join(o.hidden)},
      {"activation", std::string(to_string(o.activation))},
      {"epochs", std::to_string(o.epochs)},
      {"batch", std::to_string(o.batch_size)},
      {"lr", exact(o.learning_rate)},
      {"schedule", std::string(to_string(o.schedule))},
      {"min_lr_ratio", exact(o.min_lr_ratio)},
      {"warmup_epochs", exact(o.warmup_epochs)},
      {"plateau_factor", exact(o.plateau_factor)},
      {"plateau_patience", std::to_string(o.plateau_patience)},
      {"optimizer", "adamw"},
      {"beta1", exact(o.adam.beta1)},
      {"beta2", exact(o.adam.beta2)},
      {"epsilon", exact(o.adam.epsilon)},
      {"weight_decay", exact(o.adam.weight_decay)},
      {"clip_norm", exact(o.clip_norm)},
      {"loss", std::string(to_string(o.loss.kind))},
      {"huber_delta", exact(o.loss.huber_delta)},
      {"patience", std::to_string(o.patience)},
      {"frozen_layers", std::to_string(o.frozen_layers)},
      {"decay_to_initial", o.decay_to_initial ? "yes" : "no"},
      {"seed", std::to_string(o.seed)},
      {"threads", std::to_string(o.threads)},
  };
}

TrainResult train_model(const TrainingProblem& problem, const TrainOptions& o,
                        const EpochObserver& observer) {
  check_options(o);
  // Dual-sparsity rows are re-assigned every epoch (assign_dual_rows), so
  // their matrix needs a copy the loop may write to.
  std::optional<TrainingSet> reassigned;
  if (problem.train.dual.size() > 0) reassigned = problem.train;
  const TrainingSet& train = reassigned ? *reassigned : problem.train;
  const Normalisation& norm = problem.normalisation;
  const std::size_t n = train.size();
  if (n == 0) throw Error("there are no training rows");
  if (train.x.rows() != static_cast<Eigen::Index>(kFeatureCount) ||
      train.x.cols() != static_cast<Eigen::Index>(n) || train.target.size() != train.x.cols()) {
    throw Error("training set matrices do not match the feature encoding");
  }
  std::vector<Eigen::Index> widths{static_cast<Eigen::Index>(kFeatureCount)};
  widths.insert(widths.end(), o.hidden.begin(), o.hidden.end());
  widths.push_back(1);
  const ParameterLayout layout(widths);
  if (problem.initial_network) {
    const auto given = ParameterLayout::of(*problem.initial_network);
    if (given.widths() != widths || problem.initial_network->activation() != o.activation) {
      throw Error("the initial network is " + given.describe() + " " +
                  std::string(to_string(problem.initial_network->activation())) +
                  " but the options ask for " + layout.describe() + " " +
                  std::string(to_string(o.activation)));
    }
  }
  const TrainingSet* val =
      problem.validation && problem.validation->size() > 0 ? &*problem.validation : nullptr;

  // What the result depends on besides the options: resuming checks all of it.
  auto settings = describe_options(o);
  settings["device"] = std::string(to_string(problem.device));
  settings["train_fingerprint"] = std::to_string(fingerprint(train));
  settings["validation_fingerprint"] = val ? std::to_string(fingerprint(*val)) : "none";
  settings["init"] =
      problem.initial_network
          ? "network " + std::to_string(hash_floats(flatten(*problem.initial_network)))
          : "random";

  if ((o.frozen_layers > 0 || o.decay_to_initial) && !problem.initial_network) {
    throw Error(
        "freezing layers or decaying toward the initial weights needs an initial network "
        "to fine-tune (--init-from)");
  }
  // Frozen layers are a prefix of the parameter buffer: no decay, and their
  // gradient is zeroed every step, so Adam leaves them exactly as they were.
  const std::size_t frozen_end = layout.offset(static_cast<std::size_t>(o.frozen_layers));
  std::vector<float> decay_mask = layout.weight_mask();
  std::fill_n(decay_mask.begin(), frozen_end, 0.0f);
  AdamW adam(o.adam, std::move(decay_mask));
  if (o.decay_to_initial) {
    const ParameterVector initial = flatten(*problem.initial_network);
    adam.set_decay_anchor({initial.begin(), initial.end()});
  }
  const auto batch = static_cast<std::size_t>(o.batch_size);
  const std::uint64_t steps_per_epoch = (n + batch - 1) / batch;
  ScheduleOptions so;
  so.kind = o.schedule;
  so.learning_rate = o.learning_rate;
  so.min_ratio = o.min_lr_ratio;
  so.warmup_steps =
      static_cast<std::uint64_t>(std::llround(o.warmup_epochs * double(steps_per_epoch)));
  so.total_steps = steps_per_epoch * static_cast<std::uint64_t>(o.epochs);
  so.plateau_factor = o.plateau_factor;
  so.plateau_patience = o.plateau_patience;
  LearningRateSchedule schedule(so);

  RunState s;
  if (!o.resume.empty()) {
    Checkpoint c = load_checkpoint(o.resume);
    check_resumable(c, settings, o.resume);
    if (c.widths != widths || c.params.size() != layout.size()) {
      throw Error("checkpoint " + o.resume.string() + " holds a different network");
    }
    s.params = std::move(c.params);
    s.best_params = std::move(c.best_params);
    s.epochs_done = c.epochs_done;
    s.step = c.step;
    s.best_epoch = c.best_epoch;
    s.best_metric = c.best_metric;
    s.bad_epochs = c.bad_epochs;
    s.finished = c.finished;
    s.early_stopped = c.early_stopped;
    s.elapsed_before = c.elapsed_seconds;
    s.history = std::move(c.history);
    adam.restore(c.adam_steps, std::move(c.adam_m), std::move(c.adam_v));
    schedule.restore(c.plateau);
  } else if (problem.initial_network) {
    s.params = flatten(*problem.initial_network);
    s.best_params = s.params;
  } else {
    s.params.resize(layout.size());
    auto rng = detail::stream(o.seed, detail::kInitialisation);
    initialise_parameters(layout, o.activation, s.params, rng);
    s.best_params = s.params;
  }

  detail::BatchEngine engine(layout, o.activation, o.loss, norm.output_scale, o.threads,
                             o.batch_size);
  const auto start = Clock::now();
  const auto run_seconds = [&] {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  const auto save = [&] {
    if (o.checkpoint.empty()) return;
    save_checkpoint(make_checkpoint(s, problem, layout, o, settings, adam, schedule,
                                    s.elapsed_before + run_seconds()),
                    o.checkpoint);
  };

  TrainResult result;
  std::vector<std::size_t> order(n);
  const int first_epoch = s.epochs_done + 1;
  while (!s.finished && s.epochs_done < o.epochs) {
    const int epoch = s.epochs_done + 1;
    if (reassigned) detail::assign_dual_rows(engine, s.params, *reassigned);
    std::iota(order.begin(), order.end(), std::size_t{0});
    auto rng = detail::stream(o.seed, detail::kEpochShuffle, static_cast<std::uint64_t>(epoch));
    detail::shuffle(order, rng);
    double loss_sum = 0;
    double lr = 0;
    for (std::size_t b = 0; b < n; b += batch) {
      const std::span<const std::size_t> cols(order.data() + b, std::min(batch, n - b));
      loss_sum += engine.batch_gradient(s.params, train, cols);
      const auto grad = engine.gradient();
      std::fill_n(grad.begin(), frozen_end, 0.0f);
      if (o.clip_norm > 0) clip_gradient_norm(grad, o.clip_norm);
      lr = schedule.at(s.step);
      adam.step(s.params, grad, lr);
      ++s.step;
    }
    if (!std::isfinite(loss_sum)) {
      throw Error("training diverged in epoch " + std::to_string(epoch) +
                  " (the loss is not finite); try a lower learning rate or --clip-norm");
    }
    EpochReport r;
    r.epoch = epoch;
    r.epochs = o.epochs;
    r.train_loss = loss_sum / double(n);
    r.learning_rate = lr;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    r.val_loss = r.val_mape = r.val_within_10 = nan;
    if (val) {
      const SetErrors e = set_errors(engine, s.params, *val, norm);
      r.val_loss = e.loss;
      r.val_mape = mean(e.ape);
      r.val_within_10 = share_within(e.ape, 0.10);
      r.improved = r.val_mape < s.best_metric;
      schedule.end_epoch(r.val_mape);
    } else {
      r.improved = true;  // without validation the last epoch is kept
      schedule.end_epoch(r.train_loss);
    }
    if (r.improved) {
      s.best_params = s.params;
      s.best_epoch = epoch;
      s.best_metric = val ? r.val_mape : r.train_loss;
      s.bad_epochs = 0;
    } else {
      ++s.bad_epochs;
    }
    s.epochs_done = epoch;
    if (val && o.patience > 0 && s.bad_epochs >= o.patience) s.early_stopped = s.finished = true;
    if (epoch == o.epochs) s.finished = true;
    const double this_run = run_seconds();
    r.elapsed_seconds = s.elapsed_before + this_run;
    r.eta_seconds =
        s.finished ? 0.0 : this_run / double(epoch - first_epoch + 1) * double(o.epochs - epoch);
    s.history.push_back(r);
    const bool go_on = !observer || observer(r);
    if (s.finished || !go_on || epoch % o.checkpoint_every == 0) save();
    if (!go_on) {
      result.interrupted = true;
      break;
    }
  }

  // The kept weights, their errors and the training record.
  ModelParts& m = result.model;
  m.device = problem.device;
  m.feature_version = kFeatureEncodingVersion;
  m.mlp = unflatten(layout, o.activation, s.best_params);
  m.feature_mean = norm.feature_mean;
  m.feature_std = norm.feature_std;
  m.output_offset = norm.output_offset;
  m.output_scale = norm.output_scale;
  m.training.rows = n;
  m.training.train_seconds = s.elapsed_before + run_seconds();
  const SetErrors train_errors = set_errors(engine, s.best_params, train, norm);
  result.train_errors = summarise_errors(train_errors.ape);
  m.training.metrics["train_mape"] = result.train_errors.mape;
  m.training.metrics["train_median_ape"] = result.train_errors.median_ape;
  m.training.metrics["train_within_10"] = result.train_errors.within_10;
  m.training.metrics["train_within_25"] = result.train_errors.within_25;
  if (val) {
    result.validation = summarise_errors(set_errors(engine, s.best_params, *val, norm).ape);
    m.training.metrics["val_mape"] = result.validation->mape;
    m.training.metrics["val_median_ape"] = result.validation->median_ape;
    m.training.metrics["val_within_10"] = result.validation->within_10;
    m.training.metrics["val_within_25"] = result.validation->within_25;
  }
  m.training.notes = describe_options(o);
  m.training.notes["parameters"] = std::to_string(layout.parameter_count());
  m.training.notes["network"] = layout.describe();
  m.training.notes["validation_rows"] = std::to_string(val ? val->size() : 0);
  m.training.notes["epochs_run"] = std::to_string(s.epochs_done);
  m.training.notes["best_epoch"] = std::to_string(s.best_epoch);
  m.training.notes["early_stopped"] = s.early_stopped ? "yes" : "no";
  result.history = std::move(s.history);
  result.best_epoch = s.best_epoch;
  result.early_stopped = s.early_stopped;
  return result;
}

}  // namespace vpucost
