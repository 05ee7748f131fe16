// The training loop on synthetic data: convergence, determinism, resume,
// early stopping and starting from an existing network.
#include "vpucost/trainer.hpp"

#include <gtest/gtest.h>

#include "../support/test_workloads.hpp"
#include "synthetic.hpp"
#include "vpucost/error.hpp"
#include "vpucost/trainable_mlp.hpp"

namespace vpucost {
namespace {

TrainingProblem make_problem(std::size_t rows, unsigned seed, double val_fraction = 0.2) {
  const Dataset d = test::synthetic_dataset(rows, seed);
  const RowSplit split = split_for_validation(d, val_fraction, seed);
  const EncodedRows train = encode_rows(d, split.train);
  TrainingProblem p;
  p.device = Device::VPU_2_7;
  p.normalisation = fit_normalisation(train);
  p.train = standardise(train, p.normalisation);
  if (!split.validation.empty()) {
    p.validation = standardise(encode_rows(d, split.validation), p.normalisation);
  }
  return p;
}

TrainOptions small_options() {
  TrainOptions o;
  o.hidden = {24, 16};
  o.epochs = 8;
  o.batch_size = 64;
  o.learning_rate = 3e-3;
  o.warmup_epochs = 1;
  o.patience = 0;
  return o;
}

ParameterVector weights_of(const TrainResult& r) {
  return flatten(r.model.mlp);
}

TEST(Trainer, ConvergesOnAKnownFunction) {
  const TrainingProblem p = make_problem(3000, 1);
  TrainOptions o = small_options();
  o.hidden = {32, 32};
  o.activation = Activation::SiLU;  // the function is smooth
  o.epochs = 80;
  o.batch_size = 32;
  o.learning_rate = 5e-3;
  o.patience = 20;
  const TrainResult r = train_model(p, o);
  ASSERT_TRUE(r.validation);
  // Seen: 1.05% and 100% within 10% (0.2 s).
  EXPECT_LT(r.validation->mape, 0.025);
  EXPECT_GT(r.validation->within_10, 0.97);
  EXPECT_LT(r.history.back().train_loss, r.history.front().train_loss / 10);
  // The model predicts through CostModel what training measured.
  EXPECT_NEAR(r.model.training.metrics.at("val_mape"), r.validation->mape, 1e-12);
  const CostModel model(r.model);
  const auto w = test::conv3x3(Device::VPU_2_7, 32);
  EXPECT_NEAR(model.predict_cycles(w) / test::synthetic_cycles(w), 1.0, 0.15);
}

// Rows with both sparsities are labelled with the cheaper single-sparsity
// cost; the trainer learns that minimum, and its validation metric is what
// the saved model, which predicts the minimum of two queries, scores.
TEST(Trainer, LearnsTheMinimumOfDualSparsityRowsAsTheModelPredictsIt) {
  const Dataset d = test::sparse_synthetic_dataset(4000, 11);
  const RowSplit split = split_for_validation(d, 0.2, 11);
  const EncodedRows train = encode_rows(d, split.train);
  ASSERT_GT(train.dual.size(), 300u);
  TrainingProblem p;
  p.device = Device::VPU_4_0;
  p.normalisation = fit_normalisation(train);
  p.train = standardise(train, p.normalisation);
  p.validation = standardise(encode_rows(d, split.validation), p.normalisation);
  TrainOptions o = small_options();
  o.hidden = {48, 32};
  o.epochs = 150;
  o.activation = Activation::SiLU;
  const TrainResult r = train_model(p, o);
  ASSERT_TRUE(r.validation.has_value());
  const CostModel model(r.model);
  double ape_sum = 0.0;
  double dual_sum = 0.0;
  std::size_t duals = 0;
  for (const std::size_t row : split.validation) {
    const double ape = std::abs(model.predict_cycles(d.workloads[row]) / d.cycles[row] - 1.0);
    ape_sum += ape;
    if (dual_sparsity_variants(d.workloads[row])) {
      dual_sum += ape;
      ++duals;
    }
  }
  EXPECT_NEAR(r.validation->mape, ape_sum / double(split.validation.size()), 1e-5);
  ASSERT_GT(duals, 50u);
  EXPECT_LT(dual_sum / double(duals), 0.05);  // 2.9 % in the Release build
  EXPECT_LT(r.validation->mape, 0.04);        // 2.0 %
}

TEST(Trainer, SameSeedAndThreadsGiveIdenticalWeights) {
  const TrainingProblem p = make_problem(600, 2);
  for (const int threads : {1, 2}) {
    TrainOptions o = small_options();
    o.threads = threads;
    const auto a = weights_of(train_model(p, o));
    const auto b = weights_of(train_model(p, o));
    EXPECT_EQ(a, b) << threads << " threads";
    o.seed = 2;
    EXPECT_NE(a, weights_of(train_model(p, o))) << threads << " threads";
  }
}

TEST(Trainer, TwoThreadsLearnAsWellAsOne) {
  const TrainingProblem p = make_problem(1500, 3);
  TrainOptions o = small_options();
  o.epochs = 25;
  const double one = train_model(p, o).validation->mape;
  o.threads = 2;
  const double two = train_model(p, o).validation->mape;
  EXPECT_NEAR(two, one, 0.3 * one + 0.005);
}

struct ResumeCase {
  ScheduleKind schedule;
  int threads;
  int patience;
};

class Resume : public ::testing::TestWithParam<ResumeCase> {};

TEST_P(Resume, EndsBitIdenticalToAnUninterruptedRun) {
  const auto [schedule, threads, patience] = GetParam();
  const TrainingProblem p = make_problem(500, 4);
  test::TempDir dir;
  TrainOptions o = small_options();
  o.epochs = 10;
  o.schedule = schedule;
  o.plateau_patience = 1;
  o.patience = patience;
  o.threads = threads;
  o.checkpoint = dir / "full.ckpt";
  const TrainResult full = train_model(p, o);

  o.checkpoint = dir / "part.ckpt";
  // Stopped after epoch 2: early stopping (patience 2) cannot end a run
  // before epoch 3, so the interruption always comes first.
  const TrainResult part = train_model(p, o, [](const EpochReport& r) { return r.epoch < 2; });
  EXPECT_TRUE(part.interrupted);
  EXPECT_EQ(part.history.size(), 2u);

  o.resume = dir / "part.ckpt";
  const TrainResult resumed = train_model(p, o);
  EXPECT_FALSE(resumed.interrupted);
  EXPECT_EQ(weights_of(resumed), weights_of(full));
  EXPECT_EQ(resumed.best_epoch, full.best_epoch);
  EXPECT_EQ(resumed.early_stopped, full.early_stopped);
  ASSERT_EQ(resumed.history.size(), full.history.size());
  for (std::size_t i = 0; i < full.history.size(); ++i) {
    EXPECT_EQ(resumed.history[i].train_loss, full.history[i].train_loss) << "epoch " << i + 1;
    EXPECT_EQ(resumed.history[i].val_mape, full.history[i].val_mape) << "epoch " << i + 1;
  }

  // A finished run resumes to the same result without training again.
  o.resume = dir / "full.ckpt";
  o.checkpoint.clear();
  int epochs_seen = 0;
  const TrainResult again =
      train_model(p, o, [&](const EpochReport&) { return ++epochs_seen, true; });
  EXPECT_EQ(epochs_seen, 0);
  EXPECT_EQ(weights_of(again), weights_of(full));
}

INSTANTIATE_TEST_SUITE_P(Schedules, Resume,
                         ::testing::Values(ResumeCase{ScheduleKind::Cosine, 1, 0},
                                           ResumeCase{ScheduleKind::Plateau, 1, 2},
                                           ResumeCase{ScheduleKind::OneCycle, 2, 0}));

TEST(Trainer, ResumeRefusesOtherOptionsOrData) {
  const TrainingProblem p = make_problem(300, 5);
  test::TempDir dir;
  TrainOptions o = small_options();
  o.epochs = 2;
  o.checkpoint = dir / "c.ckpt";
  train_model(p, o);
  o.checkpoint.clear();
  o.resume = dir / "c.ckpt";
  o.learning_rate = 1e-2;
  try {
    train_model(p, o);
    FAIL() << "resumed with another learning rate";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("lr = 0.003 but this run has lr = 0.01"),
              std::string::npos)
        << e.what();
  }
  o.learning_rate = small_options().learning_rate;
  EXPECT_THROW(train_model(make_problem(300, 6), o), Error);  // other data
  EXPECT_NO_THROW(train_model(p, o));
}

TEST(Trainer, EarlyStoppingKeepsTheBestEpoch) {
  const TrainingProblem p = make_problem(400, 7);
  TrainOptions o = small_options();
  o.epochs = 60;
  o.learning_rate = 2e-2;  // noisy enough that validation stops improving
  o.schedule = ScheduleKind::Constant;
  o.patience = 3;
  const TrainResult r = train_model(p, o);
  EXPECT_TRUE(r.early_stopped);
  EXPECT_LT(r.history.size(), 60u);
  EXPECT_EQ(static_cast<int>(r.history.size()), r.best_epoch + 3);
  double best = 1e9;
  for (const auto& e : r.history) best = std::min(best, e.val_mape);
  EXPECT_EQ(r.history[static_cast<std::size_t>(r.best_epoch - 1)].val_mape, best);
  EXPECT_NEAR(r.validation->mape, best, 1e-12);
  EXPECT_EQ(r.model.training.notes.at("early_stopped"), "yes");
}

TEST(Trainer, WithoutValidationKeepsTheLastEpoch) {
  const TrainingProblem p = make_problem(300, 8, 0.0);
  ASSERT_FALSE(p.validation);
  TrainOptions o = small_options();
  o.epochs = 3;
  const TrainResult r = train_model(p, o);
  EXPECT_EQ(r.best_epoch, 3);
  EXPECT_FALSE(r.validation);
  EXPECT_TRUE(std::isnan(r.history.back().val_mape));
  EXPECT_EQ(r.model.training.metrics.count("val_mape"), 0u);
  EXPECT_EQ(r.model.training.metrics.count("train_mape"), 1u);
}

TEST(Trainer, StartsFromAnInitialNetwork) {
  const TrainingProblem p = make_problem(300, 9);
  TrainOptions o = small_options();
  o.epochs = 6;
  const TrainResult base = train_model(p, o);
  TrainingProblem fine = p;
  fine.initial_network = base.model.mlp;
  o.epochs = 1;
  o.learning_rate = 1e-7;
  o.warmup_epochs = 0;
  const TrainResult tuned = train_model(fine, o);
  // One epoch at a tiny rate barely moves the weights.
  const auto a = weights_of(base);
  const auto b = weights_of(tuned);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-4f);
  EXPECT_NEAR(tuned.validation->mape, base.validation->mape, 0.01);

  o.hidden = {24, 8};
  EXPECT_THROW(train_model(fine, o), Error);
}

TEST(Trainer, FrozenLayersKeepTheirWeights) {
  const TrainingProblem p = make_problem(300, 11);
  TrainOptions o = small_options();
  o.epochs = 3;
  TrainingProblem fine = p;
  fine.initial_network = train_model(p, o).model.mlp;
  o.frozen_layers = 2;
  o.decay_to_initial = true;
  o.learning_rate = 1e-2;
  const TrainResult r = train_model(fine, o);
  const auto& before = fine.initial_network->layers();
  const auto& after = r.model.mlp.layers();
  for (std::size_t l = 0; l < 2; ++l) {
    EXPECT_EQ(after[l].weights, before[l].weights) << l;
    EXPECT_EQ(after[l].bias, before[l].bias) << l;
  }
  EXPECT_NE(after[2].weights, before[2].weights);
  EXPECT_EQ(r.model.training.notes.at("frozen_layers"), "2");

  o.frozen_layers = 3;  // the output layer always trains
  EXPECT_THROW(train_model(fine, o), Error);
  o.frozen_layers = 1;
  EXPECT_THROW(train_model(p, o), Error);  // nothing to fine-tune from
}

TEST(Trainer, RejectsBadOptions) {
  const TrainingProblem p = make_problem(100, 10);
  for (auto change : std::vector<std::function<void(TrainOptions&)>>{
           [](TrainOptions& o) { o.epochs = 0; }, [](TrainOptions& o) { o.batch_size = 0; },
           [](TrainOptions& o) { o.learning_rate = -1; }, [](TrainOptions& o) { o.hidden = {}; },
           [](TrainOptions& o) { o.threads = 0; }, [](TrainOptions& o) { o.warmup_epochs = 99; }}) {
    TrainOptions o = small_options();
    change(o);
    EXPECT_THROW(train_model(p, o), Error);
  }
}

}  // namespace
}  // namespace vpucost
