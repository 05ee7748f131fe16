#pragma once
// Learning-rate schedules, evaluated per optimiser step:
//   constant  lr after warmup
//   cosine    linear warmup from ~0 to lr, then cosine decay to lr * min_ratio
//   onecycle  cosine rise from lr / 25 to lr over the warmup, then cosine
//             decay to lr * min_ratio (Smith's one-cycle policy, as PyTorch's
//             OneCycleLR with anneal_strategy='cos')
//   plateau   lr (after warmup) times a factor that halves (plateau_factor)
//             whenever validation has not improved for plateau_patience epochs,
//             down to lr * min_ratio
// Step-based schedules are pure functions of the step; plateau keeps a small
// state that checkpoints save (PlateauState).
#include <cstdint>
#include <string>
#include <string_view>

namespace vpucost {

enum class ScheduleKind : std::uint8_t { Constant, Cosine, OneCycle, Plateau };
std::string_view to_string(ScheduleKind kind);
ScheduleKind parse_schedule(
    std::string_view name);  ///< "constant", "cosine", "onecycle", "plateau"

struct ScheduleOptions {
  ScheduleKind kind = ScheduleKind::Cosine;
  double learning_rate = 1e-3;
  double min_ratio = 0.01;  ///< final (or lowest) lr as a fraction of learning_rate
  std::uint64_t warmup_steps = 0;
  std::uint64_t total_steps = 1;
  double plateau_factor = 0.5;
  int plateau_patience = 5;
};

struct PlateauState {
  double factor = 1.0;
  double best = 0.0;  ///< best validation metric seen
  bool has_best = false;
  int bad_epochs = 0;
};

class LearningRateSchedule {
 public:
  LearningRateSchedule() = default;
  explicit LearningRateSchedule(ScheduleOptions options);

  /// The learning rate of optimiser step `step` (0-based).
  double at(std::uint64_t step) const;

  /// Called after each epoch with the validation metric (lower is better).
  void end_epoch(double metric);

  const ScheduleOptions& options() const { return options_; }
  const PlateauState& plateau() const { return plateau_; }
  void restore(const PlateauState& state) { plateau_ = state; }

 private:
  ScheduleOptions options_;
  PlateauState plateau_;
};

}  // namespace vpucost
