#pragma once
// AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, updating a
// flat parameter buffer in one fused loop. The arithmetic follows
// torch.optim.AdamW step by step, so a PyTorch run with the same settings is
// the same algorithm (bench/compare_trainers relies on this).
#include <cstdint>
#include <span>
#include <vector>

namespace vpucost {

struct AdamOptions {
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
  double weight_decay = 0.0;  ///< decoupled: p -= lr * weight_decay * p, masked parameters only
};

class AdamW {
 public:
  AdamW() = default;
  /// `decay_mask[i]` is 1 where weight decay applies (weights), 0 elsewhere (biases).
  AdamW(AdamOptions options, std::vector<float> decay_mask);

  /// Makes weight decay pull toward `anchor` (same length) instead of toward
  /// zero: p -= lr * weight_decay * (p - anchor). Fine-tuning uses the
  /// initial weights ("L2-SP"), which keeps a small-data run close to what
  /// the source model knows.
  void set_decay_anchor(std::vector<float> anchor);

  /// One update with learning rate `lr`.
  void step(std::span<float> params, std::span<const float> grad, double lr);

  const AdamOptions& options() const { return options_; }
  /// Optimiser state, for checkpoints: step count and both moment estimates.
  std::uint64_t steps() const { return steps_; }
  const std::vector<float>& first_moment() const { return m_; }
  const std::vector<float>& second_moment() const { return v_; }
  void restore(std::uint64_t steps, std::vector<float> m, std::vector<float> v);

 private:
  AdamOptions options_;
  std::vector<float> decay_mask_;
  std::vector<float> anchor_;  ///< empty: decay toward zero
  std::vector<float> m_;
  std::vector<float> v_;
  std::uint64_t steps_ = 0;
};

/// Scales `grad` so that its Euclidean norm is at most `max_norm` (> 0);
/// returns the norm before scaling.
double clip_gradient_norm(std::span<float> grad, double max_norm);

}  // namespace vpucost
