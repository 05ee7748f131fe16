#include "vpucost/trainable_mlp.hpp"

#include <gtest/gtest.h>

#include "vpucost/error.hpp"
#include "vpucost/loss.hpp"

namespace vpucost {
namespace {

struct Case {
  Activation activation;
  LossKind loss;
};

class GradientCheck : public ::testing::TestWithParam<Case> {};

// Sum of the per-sample losses of the network on x against t.
double total_loss(const ParameterLayout& layout, Activation act, const LossFunction& loss,
                  std::span<const float> params, const Eigen::MatrixXf& x,
                  const Eigen::RowVectorXf& t, PassWorkspace& ws) {
  forward_pass(layout, act, params, x, ws);
  const auto y = ws.outputs();
  std::vector<float> scratch(static_cast<std::size_t>(x.cols()));
  return loss.evaluate({y.data(), scratch.size()}, {t.data(), scratch.size()}, 1.3f, 1.0f, scratch);
}

TEST_P(GradientCheck, BackwardMatchesFiniteDifferences) {
  const auto [act, kind] = GetParam();
  const ParameterLayout layout({6, 5, 4, 1});
  std::mt19937_64 rng(11);
  ParameterVector params(layout.size());
  initialise_parameters(layout, act, params, rng);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (auto& p : params) p += 0.1f * normal(rng);  // non-zero biases too
  Eigen::MatrixXf x(6, 7);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = normal(rng);
  Eigen::RowVectorXf t(7);
  for (Eigen::Index i = 0; i < t.size(); ++i) t[i] = normal(rng);
  LossFunction loss{kind, 0.3};

  PassWorkspace ws(layout, 7);
  forward_pass(layout, act, params, x, ws);
  {
    const auto y = ws.outputs();
    loss.evaluate({y.data(), 7}, {t.data(), 7}, 1.3f, 1.0f, {ws.output_gradient.data(), 7});
  }
  ParameterVector grad(layout.size());
  backward_pass(layout, act, params, x, ws, grad);

  PassWorkspace probe(layout, 7);
  int checked = 0;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const float h = 1e-2f;
    ParameterVector plus = params;
    ParameterVector minus = params;
    plus[i] += h;
    minus[i] -= h;
    const double numeric = (total_loss(layout, act, loss, plus, x, t, probe) -
                            total_loss(layout, act, loss, minus, x, t, probe)) /
                           (2.0 * h);
    // A kink (ReLU at 0, |d| at 0) inside the probe interval makes the
    // difference quotient meaningless; such parameters are rare and skipped.
    const double one_sided = (total_loss(layout, act, loss, plus, x, t, probe) -
                              total_loss(layout, act, loss, params, x, t, probe)) /
                             h;
    if (std::abs(one_sided - numeric) > 0.05 * (1.0 + std::abs(numeric))) continue;
    EXPECT_NEAR(grad[i], numeric, 2e-2 * (1.0 + std::abs(numeric))) << "parameter " << i;
    ++checked;
  }
  EXPECT_GT(checked, static_cast<int>(params.size() * 8 / 10));
}

INSTANTIATE_TEST_SUITE_P(
    ActivationsAndLosses, GradientCheck,
    ::testing::Values(Case{Activation::ReLU, LossKind::MSE}, Case{Activation::SiLU, LossKind::MSE},
                      Case{Activation::Tanh, LossKind::MSE}, Case{Activation::GELU, LossKind::MSE},
                      Case{Activation::SiLU, LossKind::L1}, Case{Activation::Tanh, LossKind::Huber},
                      Case{Activation::GELU, LossKind::MAPE}),
    [](const auto& info) {
      return std::string(to_string(info.param.activation)) + "_" +
             std::string(to_string(info.param.loss));
    });

TEST(TrainableMlp, ForwardMatchesTheRuntimeMlp) {
  const ParameterLayout layout({34, 16, 8, 1});
  for (const auto act : {Activation::ReLU, Activation::SiLU, Activation::Tanh, Activation::GELU}) {
    std::mt19937_64 rng(3);
    ParameterVector params(layout.size());
    initialise_parameters(layout, act, params, rng);
    const Mlp mlp = unflatten(layout, act, params);
    Eigen::MatrixXf x = Eigen::MatrixXf::Random(34, 5);
    PassWorkspace ws(layout, 5);
    forward_pass(layout, act, params, x, ws);
    for (Eigen::Index j = 0; j < 5; ++j) {
      EXPECT_NEAR(ws.outputs()[j], mlp.forward({x.col(j).data(), 34}), 1e-5f);
    }
    EXPECT_EQ(flatten(mlp), params);
  }
}

TEST(TrainableMlp, LayoutAndInitialisation) {
  const ParameterLayout layout({34, 128, 128, 64, 1});
  EXPECT_EQ(layout.parameter_count(), 34u * 128 + 128 + 128 * 128 + 128 + 128 * 64 + 64 + 64 + 1);
  EXPECT_GE(layout.size(), layout.parameter_count());
  EXPECT_EQ(layout.describe(), "34,128,128,64,1");
  const auto mask = layout.weight_mask();
  EXPECT_EQ(mask[0], 1.0f);
  EXPECT_EQ(mask[34 * 128 - 1], 1.0f);
  EXPECT_EQ(mask[34 * 128], 0.0f);  // first bias (34 * 128 is a multiple of 16)
  std::mt19937_64 a(5);
  std::mt19937_64 b(5);
  ParameterVector pa(layout.size());
  ParameterVector pb(layout.size());
  initialise_parameters(layout, Activation::ReLU, pa, a);
  initialise_parameters(layout, Activation::ReLU, pb, b);
  EXPECT_EQ(pa, pb);
  EXPECT_THROW(ParameterLayout({34, 0, 1}), Error);
  EXPECT_THROW(ParameterLayout({34, 8, 2}), Error);
}

}  // namespace
}  // namespace vpucost
