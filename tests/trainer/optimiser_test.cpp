// AdamW, learning-rate schedules and losses against hand-computed values.
#include <gtest/gtest.h>

#include <cmath>

#include "vpucost/adam.hpp"
#include "vpucost/error.hpp"
#include "vpucost/loss.hpp"
#include "vpucost/lr_schedule.hpp"

namespace vpucost {
namespace {

TEST(AdamW, FirstStepsMatchTheFormula) {
  AdamW adam({0.9, 0.999, 1e-8, 0.1}, {1.0f, 0.0f});
  std::vector<float> p{1.0f, 2.0f};
  const std::vector<float> g{0.5f, -0.25f};
  adam.step(p, g, 0.01);
  // Step 1: m/(1-b1) = g, v/(1-b2) = g^2, so the update is lr * sign(g)
  // (up to epsilon); the weight (mask 1) also decays by lr * wd * p.
  EXPECT_NEAR(p[0], 1.0f * (1 - 0.01f * 0.1f) - 0.01f, 1e-6f);
  EXPECT_NEAR(p[1], 2.0f + 0.01f, 1e-6f);
  adam.step(p, g, 0.01);
  EXPECT_EQ(adam.steps(), 2u);
  EXPECT_NEAR(adam.first_moment()[0], 0.9f * 0.05f + 0.1f * 0.5f, 1e-7f);
  EXPECT_NEAR(p[1], 2.02f, 1e-5f);
}

TEST(AdamW, RejectsBadSettingsAndSizes) {
  EXPECT_THROW(AdamW({1.0, 0.999, 1e-8, 0}, {1.0f}), Error);
  AdamW adam({}, {1.0f, 1.0f});
  std::vector<float> p{1.0f};
  std::vector<float> g{1.0f};
  EXPECT_THROW(adam.step(p, g, 0.1), Error);
}

TEST(AdamW, ClipsTheGlobalNorm) {
  std::vector<float> g{3.0f, 4.0f};
  EXPECT_DOUBLE_EQ(clip_gradient_norm(g, 1.0), 5.0);
  EXPECT_NEAR(g[0], 0.6f, 1e-6f);
  EXPECT_NEAR(g[1], 0.8f, 1e-6f);
}

TEST(LearningRateSchedule, CosineWarmsUpThenDecaysToTheFloor) {
  LearningRateSchedule s({ScheduleKind::Cosine, 1.0, 0.1, 10, 110, 0.5, 5});
  EXPECT_NEAR(s.at(0), 1.0 / 11.0, 1e-12);
  EXPECT_NEAR(s.at(9), 10.0 / 11.0, 1e-12);
  EXPECT_NEAR(s.at(10), 1.0, 1e-12);
  EXPECT_NEAR(s.at(60), 0.55, 1e-12);  // half way: (1 + 0.1) / 2
  EXPECT_NEAR(s.at(110), 0.1, 1e-12);
}

TEST(LearningRateSchedule, OneCycleAndConstant) {
  LearningRateSchedule one({ScheduleKind::OneCycle, 1.0, 0.0, 30, 100, 0.5, 5});
  EXPECT_NEAR(one.at(0), 1.0 / 25.0, 1e-12);
  EXPECT_NEAR(one.at(30), 1.0, 1e-12);
  EXPECT_NEAR(one.at(100), 0.0, 1e-12);
  LearningRateSchedule constant({ScheduleKind::Constant, 0.5, 0.0, 0, 100, 0.5, 5});
  EXPECT_EQ(constant.at(0), 0.5);
  EXPECT_EQ(constant.at(99), 0.5);
}

TEST(LearningRateSchedule, PlateauHalvesAfterPatienceDownToTheFloor) {
  LearningRateSchedule s({ScheduleKind::Plateau, 1.0, 0.3, 0, 100, 0.5, 2});
  s.end_epoch(1.0);
  s.end_epoch(0.9);
  EXPECT_EQ(s.at(5), 1.0);
  s.end_epoch(0.95);
  s.end_epoch(0.95);
  EXPECT_EQ(s.at(5), 0.5);
  s.end_epoch(0.95);
  s.end_epoch(0.95);
  EXPECT_EQ(s.at(5), 0.3);  // 0.25 is below the floor 1.0 * 0.3
  EXPECT_THROW(parse_schedule("linear"), Error);
  EXPECT_EQ(parse_schedule("onecycle"), ScheduleKind::OneCycle);
}

TEST(Loss, ValuesAndGradientsAreRelativeErrors) {
  const std::vector<float> y{1.0f, -0.5f};
  const std::vector<float> t{0.5f, -0.5f};
  std::vector<float> g(2);
  // scale 2: d = 2 * (y - t) = ln(pred / true) = {1, 0}.
  LossFunction mse{LossKind::MSE, 0.05};
  EXPECT_DOUBLE_EQ(mse.evaluate(y, t, 2.0f, 0.5f, g), 1.0);
  EXPECT_FLOAT_EQ(g[0], 2.0f * 1.0f * 2.0f * 0.5f);
  EXPECT_FLOAT_EQ(g[1], 0.0f);
  LossFunction mape{LossKind::MAPE, 0.05};
  EXPECT_NEAR(mape.evaluate(y, t, 2.0f, 1.0f, g), std::exp(1.0) - 1.0, 1e-6);
  EXPECT_NEAR(g[0], std::exp(1.0) * 2.0, 1e-5);
  LossFunction huber{LossKind::Huber, 0.5};
  EXPECT_NEAR(huber.evaluate(y, t, 2.0f, 1.0f, g), 1.0 - 0.25, 1e-7);
  EXPECT_FLOAT_EQ(g[0], 2.0f);
  LossFunction l1{LossKind::L1, 0.05};
  EXPECT_DOUBLE_EQ(l1.evaluate(y, t, 2.0f, 1.0f, g), 1.0);
  EXPECT_EQ(parse_loss("huber"), LossKind::Huber);
  EXPECT_THROW(parse_loss("mspe"), Error);
}

}  // namespace
}  // namespace vpucost
