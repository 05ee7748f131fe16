#include "vpucost/lr_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "vpucost/error.hpp"

namespace vpucost {

std::string_view to_string(ScheduleKind kind) {
  switch (kind) {
    case ScheduleKind::Constant:
      return "constant";
    case ScheduleKind::Cosine:
      return "cosine";
    case ScheduleKind::OneCycle:
      return "onecycle";
    case ScheduleKind::Plateau:
      return "plateau";
  }
  return "<invalid>";
}

ScheduleKind parse_schedule(std::string_view name) {
  for (auto k : {ScheduleKind::Constant, ScheduleKind::Cosine, ScheduleKind::OneCycle,
                 ScheduleKind::Plateau}) {
    if (to_string(k) == name) return k;
  }
  throw Error("unknown learning-rate schedule '" + std::string(name) +
              "' (expected constant, cosine, onecycle or plateau)");
}

LearningRateSchedule::LearningRateSchedule(ScheduleOptions options) : options_(options) {
  if (!(options.learning_rate > 0) || !std::isfinite(options.learning_rate)) {
    throw Error("learning rate must be a positive number, got " +
                std::to_string(options.learning_rate));
  }
  if (!(options.min_ratio >= 0 && options.min_ratio <= 1)) {
    throw Error("minimum learning-rate ratio must be in [0, 1]");
  }
  if (!(options.plateau_factor > 0 && options.plateau_factor < 1) || options.plateau_patience < 1) {
    throw Error("plateau factor must be in (0, 1) and patience >= 1");
  }
  options_.total_steps = std::max<std::uint64_t>(options.total_steps, 1);
  options_.warmup_steps = std::min(options.warmup_steps, options_.total_steps - 1);
}

namespace {

// Cosine interpolation from `from` (progress 0) to `to` (progress 1).
double cosine(double from, double to, double progress) {
  progress = std::clamp(progress, 0.0, 1.0);
  return to + (from - to) * 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
}

}  // namespace

double LearningRateSchedule::at(std::uint64_t step) const {
  const double lr = options_.learning_rate;
  const double floor = lr * options_.min_ratio;
  const auto warmup = options_.warmup_steps;
  const auto s = static_cast<double>(step);
  const double decay_progress =
      (s - double(warmup)) / std::max(1.0, double(options_.total_steps - warmup));
  switch (options_.kind) {
    case ScheduleKind::OneCycle:
      if (step < warmup) return cosine(lr / 25.0, lr, s / double(warmup));
      return cosine(lr, floor, decay_progress);
    case ScheduleKind::Cosine:
      if (step < warmup) return lr * (s + 1.0) / double(warmup + 1);
      return cosine(lr, floor, decay_progress);
    case ScheduleKind::Constant:
      if (step < warmup) return lr * (s + 1.0) / double(warmup + 1);
      return lr;
    case ScheduleKind::Plateau: {
      const double base = std::max(lr * plateau_.factor, floor);
      if (step < warmup) return base * (s + 1.0) / double(warmup + 1);
      return base;
    }
  }
  return lr;
}

void LearningRateSchedule::end_epoch(double metric) {
  if (options_.kind != ScheduleKind::Plateau) return;
  if (!plateau_.has_best || metric < plateau_.best) {
    plateau_.best = metric;
    plateau_.has_best = true;
    plateau_.bad_epochs = 0;
    return;
  }
  if (++plateau_.bad_epochs >= options_.plateau_patience) {
    plateau_.factor *= options_.plateau_factor;
    plateau_.bad_epochs = 0;
  }
}

}  // namespace vpucost
