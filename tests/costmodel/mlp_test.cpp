#include "vpucost/mlp.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "vpucost/error.hpp"

namespace vpucost {
namespace {

// 2 -> 2 (ReLU) -> 1, small enough to compute by hand.
Mlp hand_network(Activation a = Activation::ReLU) {
  DenseLayer l1{Eigen::MatrixXf(2, 2), Eigen::VectorXf(2)};
  l1.weights << 1.0f, -1.0f, 2.0f, 0.5f;
  l1.bias << 0.5f, -1.0f;
  DenseLayer l2{Eigen::MatrixXf(1, 2), Eigen::VectorXf(1)};
  l2.weights << 1.0f, -2.0f;
  l2.bias << 0.25f;
  return Mlp({l1, l2}, a);
}

TEST(Mlp, ForwardMatchesHandComputation) {
  const Mlp mlp = hand_network();
  // x = (2, 1): hidden = (2 - 1 + 0.5, 4 + 0.5 - 1) = (1.5, 3.5); out = 1.5 - 7 + 0.25
  const float x1[] = {2.0f, 1.0f};
  EXPECT_FLOAT_EQ(mlp.forward(x1), -5.25f);
  // x = (-1, 3): hidden pre-activation (-3.5, -1.5) -> ReLU zeros -> bias only
  const float x2[] = {-1.0f, 3.0f};
  EXPECT_FLOAT_EQ(mlp.forward(x2), 0.25f);
  EXPECT_EQ(mlp.parameter_count(), 9u);
  EXPECT_EQ(mlp.input_size(), 2);
}

TEST(Mlp, OtherActivationsMatchTheirFormulas) {
  const float x[] = {2.0f, 1.0f};
  const float h0 = 1.5f, h1 = 3.5f;
  const auto silu = [](float v) { return v / (1.0f + std::exp(-v)); };
  EXPECT_NEAR(hand_network(Activation::SiLU).forward(x), silu(h0) - 2 * silu(h1) + 0.25f, 1e-5);
  EXPECT_NEAR(hand_network(Activation::Tanh).forward(x), std::tanh(h0) - 2 * std::tanh(h1) + 0.25f,
              1e-5);
  const auto gelu = [](float v) {
    return 0.5f * v * (1.0f + std::tanh(0.7978845608f * (v + 0.044715f * v * v * v)));
  };
  EXPECT_NEAR(hand_network(Activation::GELU).forward(x), gelu(h0) - 2 * gelu(h1) + 0.25f, 1e-5);
}

TEST(Mlp, BatchEqualsSingle) {
  const Mlp mlp = hand_network();
  Eigen::MatrixXf x(2, 3);
  x << 2.0f, -1.0f, 0.3f, 1.0f, 3.0f, -0.7f;
  Eigen::VectorXf y(3);
  MlpWorkspace ws;
  mlp.forward_batch(x, y, ws);
  for (int j = 0; j < 3; ++j) {
    const float col[] = {x(0, j), x(1, j)};
    EXPECT_FLOAT_EQ(y[j], mlp.forward(col));
  }
  // A reused workspace gives the same answer for a smaller batch.
  Eigen::VectorXf y1(1);
  mlp.forward_batch(x.leftCols(1), y1, ws);
  EXPECT_FLOAT_EQ(y1[0], y[0]);
}

// Widths that exercise every row-blocking path of the single-query kernel
// (128-, 64- and 16-row register blocks and a scalar remainder).
TEST(Mlp, ForwardMatchesPlainEigenForAwkwardWidths) {
  std::vector<DenseLayer> layers;
  Eigen::Index in = 37;
  for (Eigen::Index out : {211, 83, 1}) {
    layers.push_back({Eigen::MatrixXf::Random(out, in) * 0.2f, Eigen::VectorXf::Random(out)});
    in = out;
  }
  const Mlp mlp(layers, Activation::ReLU);
  const Eigen::VectorXf x = Eigen::VectorXf::Random(37);
  Eigen::VectorXf h = x;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    h = layers[l].weights * h + layers[l].bias;
    if (l + 1 < layers.size()) h = h.cwiseMax(0.0f);
  }
  EXPECT_NEAR(mlp.forward(std::span<const float>(x.data(), 37)), h[0],
              1e-4f * (1 + std::abs(h[0])));
}

// Widths and a batch size that exercise every tile of the batched kernel
// (64-row bands, 48/32/16-row bands with partial last vectors, full column
// tiles and single-column remainders), read from a strided view.
TEST(Mlp, BatchMatchesSingleForAwkwardWidthsAndStrides) {
  std::vector<DenseLayer> layers;
  Eigen::Index in = 37;
  for (Eigen::Index out : {211, 83, 48, 40, 7, 1}) {
    layers.push_back({Eigen::MatrixXf::Random(out, in) * 0.3f, Eigen::VectorXf::Random(out)});
    in = out;
  }
  const Mlp mlp(layers, Activation::SiLU);
  const Eigen::MatrixXf storage = Eigen::MatrixXf::Random(50, 30);
  const auto x = storage.topRows(37).leftCols(23);  // columns 50 floats apart
  Eigen::VectorXf y(23);
  MlpWorkspace ws;
  mlp.forward_batch(x, y, ws);
  for (Eigen::Index j = 0; j < 23; ++j) {
    const Eigen::VectorXf column = x.col(j);
    Eigen::VectorXf h = column;
    for (std::size_t l = 0; l < layers.size(); ++l) {
      h = layers[l].weights * h + layers[l].bias;
      if (l + 1 < layers.size()) h = h.array() / (1.0f + (-h.array()).exp());
    }
    const float single = mlp.forward(std::span<const float>(column.data(), 37));
    EXPECT_NEAR(y[j], single, 1e-6f * (1 + std::abs(single))) << "column " << j;
    EXPECT_NEAR(y[j], h[0], 1e-3f * (1 + std::abs(h[0]))) << "column " << j;
  }
}

TEST(Mlp, RejectsInconsistentLayers) {
  DenseLayer a{Eigen::MatrixXf::Ones(4, 3), Eigen::VectorXf::Zero(4)};
  DenseLayer b{Eigen::MatrixXf::Ones(1, 5), Eigen::VectorXf::Zero(1)};
  try {
    Mlp({a, b}, Activation::ReLU);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "layer 1 takes 5 inputs but the previous layer gives 4");
  }
  DenseLayer bad_bias{Eigen::MatrixXf::Ones(1, 4), Eigen::VectorXf::Zero(2)};
  EXPECT_THROW(Mlp({a, bad_bias}, Activation::ReLU), Error);
  DenseLayer two_out{Eigen::MatrixXf::Ones(2, 4), Eigen::VectorXf::Zero(2)};
  EXPECT_THROW(Mlp({a, two_out}, Activation::ReLU), Error);
  DenseLayer nan_layer{Eigen::MatrixXf::Constant(1, 4, NAN), Eigen::VectorXf::Zero(1)};
  EXPECT_THROW(Mlp({a, nan_layer}, Activation::ReLU), Error);
  EXPECT_THROW(Mlp({}, Activation::ReLU), Error);
}

TEST(Mlp, ActivationNames) {
  EXPECT_EQ(parse_activation("silu"), Activation::SiLU);
  EXPECT_THROW(parse_activation("sigmoid"), Error);
}

}  // namespace
}  // namespace vpucost
