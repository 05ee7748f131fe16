// vpucost train: learn a cost model from recordings (or fine-tune one),
// with per-epoch progress, atomic checkpoints, exact resume, and the model
// written only at the end (atomically), so an interrupted run never leaves a
// broken or half-trained model file behind.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "dataset_cli.hpp"
#include "interrupt_guard.hpp"
#include "train_options.hpp"
#include "vpucost/dataset.hpp"
#include "vpucost/distillation.hpp"
#include "vpucost/error.hpp"
#include "vpucost/features.hpp"
#include "vpucost/fine_tune.hpp"
#include "vpucost/model_file.hpp"
#include "vpucost/trainer.hpp"

namespace vpucost::cli {
namespace {

/// Default peak learning rate when starting from a trained model: small
/// enough not to wreck what it knows in the first epochs.
constexpr double kFineTuneLearningRate = 3e-4;

/// Most synthetic workloads --synthetic may ask for (their features alone
/// take 170 bytes each).
constexpr std::size_t kMaxSyntheticRows = 20'000'000;

std::string duration(double seconds) {
  char buf[32];
  if (seconds < 60) {
    std::snprintf(buf, sizeof buf, "%.1fs", seconds);
  } else if (seconds < 3600) {
    std::snprintf(buf, sizeof buf, "%dm%02ds", int(seconds) / 60, int(seconds) % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%dh%02dm", int(seconds) / 3600, int(seconds) % 3600 / 60);
  }
  return buf;
}

std::string percent(double fraction, int decimals = 2) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f%%", decimals, 100.0 * fraction);
  return buf;
}

}  // namespace

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string train_command_line(const std::vector<std::string>& args) {
  std::string s = "vpucost train";
  for (const auto& a : args) {
    const bool plain = !a.empty() && a.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
                                         "OPQRSTUVWXYZ0123456789-_./,=:+") == std::string::npos;
    s += " " + (plain ? a : "'" + a + "'");
  }
  return s;
}

int run_train(const std::vector<std::string>& args) {
  const po::options_description options = describe_train_options();
  po::variables_map vm;
  if (!parse_options("train",
                     "--data train.(h5|csv) [--val val.h5 | --val-fraction 0.1] --out model.h5 "
                     "[--init-from base.h5] [options]",
                     options, args, vm)) {
    return 0;
  }
  const std::filesystem::path out = vm["out"].as<std::string>();
  // Until training starts vpucost only reads (models, data), so Ctrl-C may
  // end it at once; it must still say so, and that nothing was saved.
  InterruptGuard interrupts(/*second_signal_kills=*/true);
  interrupts.exit_at_once(
      "vpucost train: interrupted before training started; nothing was saved and " + out.string() +
      " was not written\n");
  // The kind is read from the data's header, which may block (a pipe): after
  // the guard, so that Ctrl-C there is answered like any other.
  switch (training_kind(vm)) {
    case WorkloadKind::shave:
      return run_train_shave(vm, args);
    case WorkloadKind::dma:
      return run_train_dma(vm, args);
    case WorkloadKind::dpu:
      break;
  }
  std::vector<std::filesystem::path> data_paths;
  for (const auto& d : split_list(vm["data"].as<std::string>(), "--data")) data_paths.push_back(d);
  std::vector<std::pair<std::string, std::filesystem::path>> files{{"--out", out}};
  for (const auto& d : data_paths) files.emplace_back("--data", d);
  for (const char* name : {"val", "init-from", "checkpoint"}) {
    if (vm.count(name)) files.emplace_back(std::string("--") + name, vm[name].as<std::string>());
  }
  const std::vector<std::string> teacher_files =
      vm.count("teachers") ? split_list(vm["teachers"].as<std::string>(), "--teachers")
                           : std::vector<std::string>{};
  for (const auto& t : teacher_files) files.emplace_back("--teachers", t);
  require_distinct_files(files);
  if (vm.count("val") && !vm["val-fraction"].defaulted()) {
    throw Error("give either --val or --val-fraction, not both");
  }
  if (vm.count("patience") && vm["patience"].as<int>() > 0 && !vm.count("val") &&
      vm["val-fraction"].as<double>() == 0.0) {
    throw Error(
        "--patience (early stopping) needs validation rows: --val FILE or --val-fraction > 0");
  }
  if (vm.count("renormalise") && !vm.count("init-from")) {
    throw Error("--renormalise only applies with --init-from");
  }
  if (vm.count("teachers") != vm.count("synthetic")) {
    throw Error("distillation needs both --teachers and --synthetic");
  }
  if (vm.count("synthetic") && vm["synthetic"].as<std::size_t>() > kMaxSyntheticRows) {
    throw Error("--synthetic " + std::to_string(vm["synthetic"].as<std::size_t>()) +
                " is more than " + std::to_string(kMaxSyntheticRows) + " workloads");
  }

  TrainOptions o = options_from(vm);
  std::optional<ModelParts> base;
  std::size_t inherited_features = kFeatureCount;
  if (vm.count("init-from")) {
    FineTuningStart start = load_model_for_fine_tuning(vm["init-from"].as<std::string>());
    base = std::move(start.parts);
    inherited_features = start.inherited_features;
    std::vector<Eigen::Index> shape;
    for (const auto& layer : base->mlp.layers()) shape.push_back(layer.weights.rows());
    shape.pop_back();  // the output neuron
    if (vm.count("hidden") && o.hidden != shape) {
      throw Error("--hidden " + join_widths(o.hidden) + " differs from the --init-from model's " +
                  join_widths(shape) +
                  " (fine-tuning keeps the network's shape; leave out --hidden)");
    }
    if (vm.count("activation") && o.activation != base->mlp.activation()) {
      throw Error("--activation " + std::string(to_string(o.activation)) +
                  " differs from the --init-from model's " +
                  std::string(to_string(base->mlp.activation())));
    }
    o.hidden = shape;
    o.activation = base->mlp.activation();
    if (!vm.count("lr")) o.learning_rate = kFineTuneLearningRate;
  }
  check_options(o);

  // Data: one device; validation from --val or a seeded split of --data.
  const Dataset data = load_datasets(data_paths);
  const Device device = single_device(data, "training data");
  std::optional<Dataset> val_data;
  RowSplit split;
  if (vm.count("val")) {
    val_data = load_dataset(vm["val"].as<std::string>());
    const Device val_device = single_device(*val_data, "validation data");
    if (val_device != device) {
      throw Error("validation data " + val_data->source + " is for " +
                  std::string(to_string(val_device)) + " but the training data is for " +
                  std::string(to_string(device)));
    }
    split.train.resize(data.size());
    for (std::size_t i = 0; i < data.size(); ++i) split.train[i] = i;
  } else {
    split = split_for_validation(data, vm["val-fraction"].as<double>(), o.seed);
  }
  EncodedRows train_rows = encode_rows(data, split.train);
  std::size_t synthetic_rows = 0;
  if (!teacher_files.empty()) {
    std::vector<CostModel> teachers;
    for (const auto& t : teacher_files) teachers.push_back(load_model(t));
    const Dataset synthetic = label_with_teachers(
        synthesize_workloads(data, split.train, vm["synthetic"].as<std::size_t>(), o.seed),
        teachers, "synthetic");
    synthetic_rows = synthetic.size();
    train_rows = concatenate(std::move(train_rows), encode_all(synthetic));
  }
  TrainingProblem problem;
  problem.device = device;
  if (base && !vm.count("renormalise")) {
    // Few rows estimate the statistics poorly, and the network's weights are
    // tuned to the source model's scaling: keep it.
    problem.normalisation = Normalisation::of(*base);
    problem.initial_network = base->mlp;
    if (inherited_features < kFeatureCount) {
      // A widened model: its new features have zero weight, so any scaling
      // keeps its predictions; the data's own lets training move them.
      const Normalisation fitted = fit_normalisation(train_rows);
      const auto added = static_cast<Eigen::Index>(kFeatureCount - inherited_features);
      problem.normalisation.feature_mean.tail(added) = fitted.feature_mean.tail(added);
      problem.normalisation.feature_std.tail(added) = fitted.feature_std.tail(added);
    }
  } else {
    problem.normalisation = fit_normalisation(train_rows);
    if (base) {
      problem.initial_network =
          renormalise(base->mlp, Normalisation::of(*base), problem.normalisation);
    }
  }
  problem.train = standardise(train_rows, problem.normalisation);
  if (val_data) {
    problem.validation = standardise(encode_all(*val_data), problem.normalisation);
  } else if (!split.validation.empty()) {
    problem.validation = standardise(encode_rows(data, split.validation), problem.normalisation);
  }
  const std::size_t val_rows = problem.validation ? problem.validation->size() : 0;

  spdlog::logger log("train", std::make_shared<spdlog::sinks::stderr_sink_st>());
  log.set_pattern("%v");
  const bool quiet = vm.count("quiet") > 0;
  if (!quiet) {
    log.info("training {} model {} on {} rows ({} validation) of {}{}{}, {} epochs, {} thread(s)",
             to_string(device), std::to_string(kFeatureCount) + "," + join_widths(o.hidden) + ",1",
             problem.train.size() - synthetic_rows, val_rows, data.source,
             synthetic_rows ? " and " + std::to_string(synthetic_rows) + " teacher-labelled"
                            : std::string(),
             base ? " from " + vm["init-from"].as<std::string>() : std::string(), o.epochs,
             o.threads);
  }
  // From the first epoch on, a signal stops the run after the current epoch,
  // whose checkpoint (with --checkpoint) is written first.
  interrupts.check_from_here();
  const EpochObserver observer = [&](const EpochReport& r) {
    if (!quiet) {
      if (val_rows > 0) {
        log.info(
            "epoch {:>4}/{}  loss {:.5f}  val MAPE {:>7}  within10 {:>7}  lr {:.2e}  {:>7}  "
            "ETA {}{}",
            r.epoch, r.epochs, r.train_loss, percent(r.val_mape), percent(r.val_within_10, 1),
            r.learning_rate, duration(r.elapsed_seconds), duration(r.eta_seconds),
            r.improved ? "  *" : "");
      } else {
        log.info("epoch {:>4}/{}  loss {:.5f}  lr {:.2e}  {:>7}  ETA {}", r.epoch, r.epochs,
                 r.train_loss, r.learning_rate, duration(r.elapsed_seconds),
                 duration(r.eta_seconds));
      }
    }
    return !InterruptGuard::interrupted();
  };
  TrainResult result = train_model(problem, o, observer);
  if (result.interrupted) {
    // train_model writes the checkpoint before it returns interrupted, so
    // with --checkpoint there is always one to resume from.
    std::cerr << "vpucost train: interrupted after epoch " << result.history.back().epoch << "; "
              << (o.checkpoint.empty()
                      ? "no --checkpoint was given, so nothing was saved and " + out.string() +
                            " was not written"
                      : "continue with the same command plus --resume " + o.checkpoint.string() +
                            "; " + out.string() + " was not written")
              << "\n";
    return 130;
  }

  ModelParts& model = result.model;
  model.training.dataset =
      data.source + (val_data ? " (validation: " + val_data->source + ")" : "");
  model.training.command = train_command_line(args);
  model.training.created = utc_now();
  model.training.notes["validation"] =
      val_data ? val_data->source
               : (val_rows ? "fraction " + std::to_string(vm["val-fraction"].as<double>()) +
                                 " of " + data.source
                           : "none");
  if (synthetic_rows) {
    model.training.notes["teachers"] = vm["teachers"].as<std::string>();
    model.training.notes["synthetic_rows"] = std::to_string(synthetic_rows);
  }
  // Rows padded on one side only (from layer recordings) teach the model the
  // halo pieces of a layer split over tiles (CostModel::learnt_one_sided_padding).
  std::size_t one_sided = 0;
  for (const std::size_t i : split.train) one_sided += one_sided_padding(data.workloads[i]);
  if (one_sided) model.training.notes["one_sided_rows"] = std::to_string(one_sided);
  if (base) {
    model.training.notes["init_from"] = vm["init-from"].as<std::string>();
    model.training.notes["init_from_device"] = std::string(to_string(base->device));
    model.training.notes["normalisation"] = vm.count("renormalise") ? "refit" : "kept from init";
  }
  save_model(model, out);

  const auto& t = model.training;
  const auto epochs_run = result.history.empty() ? 0 : result.history.back().epoch;
  if (vm.count("json")) {
    nlohmann::json j;
    j["model"] = out.string();
    j["device"] = std::string(to_string(device));
    j["network"] = t.notes.at("network");
    j["parameters"] = model.mlp.parameter_count();
    j["train_rows"] = problem.train.size();
    j["validation_rows"] = val_rows;
    j["epochs_run"] = epochs_run;
    j["best_epoch"] = result.best_epoch;
    j["early_stopped"] = result.early_stopped;
    j["train_seconds"] = t.train_seconds;
    j["metrics"] = t.metrics;
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "model:      " << out.string() << " (" << to_string(device) << ", "
            << t.notes.at("network") << " " << to_string(o.activation) << ", "
            << model.mlp.parameter_count() << " parameters)\n"
            << "rows:       " << problem.train.size() << " train, " << val_rows << " validation\n"
            << "epochs:     " << epochs_run << " of " << o.epochs
            << (result.early_stopped ? " (stopped early)" : "") << ", kept epoch "
            << result.best_epoch << "\n";
  if (result.validation) {
    const auto& v = *result.validation;
    std::cout << "validation: MAPE " << percent(v.mape) << ", median APE " << percent(v.median_ape)
              << ", within 10% " << percent(v.within_10, 1) << ", within 25% "
              << percent(v.within_25, 1) << "\n";
  }
  const auto& tr = result.train_errors;
  std::cout << "train:      MAPE " << percent(tr.mape) << ", within 10% "
            << percent(tr.within_10, 1) << "\n"
            << "time:       " << duration(t.train_seconds) << " ("
            << duration(t.train_seconds / std::max(1, epochs_run)) << "/epoch, " << o.threads
            << " thread" << (o.threads > 1 ? "s" : "") << ")\n";
  return 0;
}

}  // namespace vpucost::cli
