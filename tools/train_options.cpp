// The options of `vpucost train`: their descriptions (--help) and how they
// become the trainer's TrainOptions.
#include "train_options.hpp"

#include <string>

#include "vpucost/error.hpp"

namespace vpucost::cli {

std::vector<std::string> split_list(const std::string& text, const std::string& option) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    items.push_back(text.substr(start, comma - start));
    if (items.back().empty()) {
      throw Error(option + " '" + text + "': an empty item (expected items separated by commas)");
    }
    start = comma + 1;
  }
  return items;
}

namespace {

std::vector<Eigen::Index> parse_hidden(const std::string& text) {
  std::vector<Eigen::Index> widths;
  for (const std::string& item : split_list(text, "--hidden")) {
    std::size_t used = 0;
    long long w = 0;
    try {
      w = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || w < 1) {
      throw Error("--hidden '" + text +
                  "': expected positive widths separated by commas, e.g. "
                  "128,128,64");
    }
    widths.push_back(w);
  }
  return widths;
}

template <class T>
void set_if(const po::variables_map& vm, const char* name, T& target) {
  if (vm.count(name)) target = vm[name].as<T>();
}

}  // namespace

std::string join_widths(const std::vector<Eigen::Index>& widths) {
  std::string s;
  for (const auto w : widths) s += (s.empty() ? "" : ",") + std::to_string(w);
  return s;
}

TrainOptions options_from(const po::variables_map& vm) {
  TrainOptions o;
  if (vm.count("hidden")) o.hidden = parse_hidden(vm["hidden"].as<std::string>());
  if (vm.count("activation")) o.activation = parse_activation(vm["activation"].as<std::string>());
  set_if(vm, "epochs", o.epochs);
  set_if(vm, "batch", o.batch_size);
  set_if(vm, "lr", o.learning_rate);
  if (vm.count("schedule")) o.schedule = parse_schedule(vm["schedule"].as<std::string>());
  set_if(vm, "min-lr-ratio", o.min_lr_ratio);
  set_if(vm, "warmup", o.warmup_epochs);
  set_if(vm, "plateau-factor", o.plateau_factor);
  set_if(vm, "plateau-patience", o.plateau_patience);
  set_if(vm, "weight-decay", o.adam.weight_decay);
  set_if(vm, "beta1", o.adam.beta1);
  set_if(vm, "beta2", o.adam.beta2);
  set_if(vm, "clip-norm", o.clip_norm);
  if (vm.count("loss")) o.loss.kind = parse_loss(vm["loss"].as<std::string>());
  set_if(vm, "huber-delta", o.loss.huber_delta);
  set_if(vm, "patience", o.patience);
  set_if(vm, "freeze-layers", o.frozen_layers);
  o.decay_to_initial = vm.count("decay-to-init") > 0;
  set_if(vm, "seed", o.seed);
  set_if(vm, "threads", o.threads);
  if (vm.count("checkpoint")) o.checkpoint = vm["checkpoint"].as<std::string>();
  set_if(vm, "checkpoint-every", o.checkpoint_every);
  if (vm.count("resume")) o.resume = vm["resume"].as<std::string>();
  // An option of a schedule, loss or checkpoint not chosen would be ignored.
  for (const char* plateau : {"plateau-factor", "plateau-patience"}) {
    if (vm.count(plateau) && o.schedule != ScheduleKind::Plateau) {
      throw Error(std::string("--") + plateau + " applies to --schedule plateau only");
    }
  }
  if (vm.count("min-lr-ratio") && o.schedule == ScheduleKind::Constant) {
    throw Error("--min-lr-ratio does not apply to --schedule constant (the rate never decays)");
  }
  if (vm.count("huber-delta") && o.loss.kind != LossKind::Huber) {
    throw Error("--huber-delta applies to --loss huber only");
  }
  if (vm.count("checkpoint-every") && !vm.count("checkpoint") && !vm.count("resume")) {
    throw Error("--checkpoint-every needs --checkpoint FILE (or --resume)");
  }
  return o;
}

po::options_description describe_train_options() {
  // clang-format off
  po::options_description data("data");
  data.add_options()
      ("data", po::value<std::string>(),
       "training data: dataset (.h5) or recording CSV; several, comma-separated, are trained on "
       "together (one device)")
      ("val", po::value<std::string>(), "validation data (default: --val-fraction of --data)")
      ("val-fraction", po::value<double>()->default_value(0.1, "0.1"),
       "share of --data held out for validation (identical workloads kept together; 0: none, "
       "then the last epoch is kept)")
      ("out", po::value<std::string>()->required(), "model file to write (.h5), at the end only")
      ("kind", po::value<std::string>(), "dpu, shave or dma: what the data records (default: "
       "from the CSV's header; SHAVE formulas and DMA curves are fitted by least squares and "
       "take no network or optimisation options)")
      ("roofline", po::value<std::string>(), "DEVICE: write the roofline DMA model of DEVICE "
       "(bytes / DDR bandwidth; no --data): VPUNN's DMA cost where it has no DMA network (VPU_2_0)")
      ("init-from", po::value<std::string>(), "fine-tune: start from this model's weights, shape "
       "and normalisation (same feature encoding; may be another device)")
      ("renormalise", "with --init-from: re-fit the normalisation on the new data (the network "
       "is rewritten to compute the same function) instead of keeping the model's")
      ("freeze-layers", po::value<int>(), "with --init-from: keep the first N layers' weights "
       "(default 0)")
      ("decay-to-init", "with --init-from: weight decay pulls toward the initial weights (L2-SP) "
       "instead of toward zero")
      ("teachers", po::value<std::string>(), "distillation: comma-separated models of the same "
       "device whose mean log-prediction labels --synthetic extra workloads")
      ("synthetic", po::value<std::size_t>(), "with --teachers: this many workloads mixed from "
       "the training rows (never from validation rows) are added to training");
  po::options_description net("network and optimisation");
  net.add_options()
      ("hidden", po::value<std::string>(), "hidden widths (default 128,128,64; with --init-from "
       "the model's)")
      ("activation", po::value<std::string>(), "relu (default), silu, tanh or gelu")
      ("epochs", po::value<int>(), "epochs (default 200)")
      ("batch", po::value<int>(), "mini-batch size (default 256)")
      ("lr", po::value<double>(), "peak learning rate (default 0.001; 0.0003 with --init-from)")
      ("schedule", po::value<std::string>(), "cosine (default), onecycle, constant or plateau")
      ("min-lr-ratio", po::value<double>(), "final lr / peak lr (default 0.01)")
      ("warmup", po::value<double>(), "warmup epochs, may be fractional (default 1)")
      ("plateau-factor", po::value<double>(), "plateau schedule: lr factor (default 0.5)")
      ("plateau-patience", po::value<int>(), "plateau schedule: epochs without progress "
       "(default 5)")
      ("weight-decay", po::value<double>(), "AdamW decoupled weight decay on weights "
       "(default 1e-4)")
      ("beta1", po::value<double>(), "Adam beta1 (default 0.9)")
      ("beta2", po::value<double>(), "Adam beta2 (default 0.999)")
      ("clip-norm", po::value<double>(), "clip the gradient norm to this (default 0: off)")
      ("loss", po::value<std::string>(), "mse (on log-cycles, default), l1, huber or mape")
      ("huber-delta", po::value<double>(), "Huber threshold in log-ratio units (default 0.05)")
      ("patience", po::value<int>(), "early stopping: epochs without a better validation MAPE "
       "(default 30; 0: off)")
      ("seed", po::value<std::uint64_t>(), "random seed: initialisation, split, shuffling "
       "(default 1)")
      ("threads", po::value<int>(), "threads (default 1); the same seed and thread count give "
       "identical models");
  po::options_description run("run");
  run.add_options()
      ("checkpoint", po::value<std::string>(), "write a checkpoint (atomically) to this file")
      ("checkpoint-every", po::value<int>(), "epochs between checkpoints (default 1)")
      ("resume", po::value<std::string>(), "continue from a checkpoint of the same command; ends "
       "exactly where an uninterrupted run would")
      ("quiet", "no per-epoch progress")
      ("json", "print the final summary as one JSON object");
  // clang-format on
  po::options_description all("train options");
  all.add(data).add(net).add(run);
  return all;
}

}  // namespace vpucost::cli
