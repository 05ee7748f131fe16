#include "vpucost/features.hpp"

#include <Eigen/Core>
#include <bit>
#include <cmath>

#include "vpucost/device.hpp"

namespace vpucost {
namespace {

// Keep this table, the encoder below and costmodel/README.md in step. The
// choice of features is the outcome of feature studies on the teacher
// datasets (models/README.md, "How the encoding was chosen").
constexpr std::size_t kFeatureCountV2 = 42;
constexpr std::size_t kFeatureCountV3 = 56;
constexpr std::array<std::string_view, kFeatureCount> kNames{
    // 0-4: executed operation (AVEPOOL runs as DW, small CONV as CM)
    "op_convolution", "op_dw_convolution", "op_eltwise", "op_maxpool", "op_cm_convolution",
    // 5-10: execution mode
    "mode_vector", "mode_matrix", "mode_vector_fp16", "mode_cuboid_16x16", "mode_cuboid_8x16",
    "mode_cuboid_4x16",
    // 11-12: dtypes
    "in_float16", "out_float16",
    // 13-27: geometry
    "log2_in_width", "log2_in_height", "log2_out_width", "log2_out_height", "log2_in_channels",
    "log2_in_channels_padded", "log2_out_channels", "log2_kernel_w", "log2_kernel_h", "stride_w",
    "stride_h", "pad_top", "pad_bottom", "pad_left", "pad_right",
    // 28-31: work and traffic
    "log2_macs", "log2_in_bytes", "log2_out_bytes", "log2_1p_weight_bytes",
    // 32-35: output blocks on the compiler's NTHW/NTK grid
    "log2_nt_tiles", "nt_util_w", "nt_util_h", "nt_util_c",
    // 36-37: spatial utilisation of the MPE grid
    "mpe_util_w", "mpe_util_h",
    // 38-41: linear sizes (the log sizes flatten the large-size end)
    "out_width", "out_height", "out_channels", "in_channels",
    // version 3 from here on
    // 42-43: the 8-bit float (NPU_5_0)
    "in_hf8", "out_hf8",
    // 44-45: activation fused into the output (NONE is all zero)
    "act_relu", "act_lrelu",
    // 46-51: sparsity rates, whether it is enabled, and log2 of the density
    "input_sparsity", "weight_sparsity", "input_sparse", "weight_sparse", "log2_in_density",
    "log2_weight_density",
    // 52-53: output write tiles
    "owt_broadcast", "log2_output_write_tiles",
    // 54-55: inter-slice strategy (CLUSTERING is all zero)
    "isi_split_over_h", "isi_split_over_k",
    // version 4 from here on
    // 56: input channels' use of a 64-channel grid
    "in_channels_util64"};
static_assert(kFeatureCountV2 < kFeatureCountV3 && kFeatureCountV3 < kFeatureCount);

// The 14 log-scaled features are staged here and take their log2 together:
// one vectorised Eigen log instead of 14 scalar calls (a tenth of a query).
class LogFeatures {
 public:
  void add(std::size_t index, double value) {
    index_[count_] = static_cast<std::uint8_t>(index);
    value_[count_++] = static_cast<float>(value);
  }
  void write_to(std::span<float, kFeatureCount> f) {
    Eigen::Map<Eigen::Array<float, kLanes, 1>> v(value_.data());
// GCC 12 reports its own AVX-512 intrinsics' undefined lanes (GCC bug 105593).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
    v = v.log() * kInvLn2;
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic pop
#endif
    for (std::size_t i = 0; i < count_; ++i) f[index_[i]] = value_[i];
  }

 private:
  static constexpr int kLanes = 16;
  static constexpr float kInvLn2 = 1.4426950408889634f;
  alignas(64) std::array<float, kLanes> value_{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  std::array<std::uint8_t, kLanes> index_;  // the first count_ are set
  std::size_t count_ = 0;
};
// The grids below are powers of two: a shift instead of a 64-bit division
// (eight of them were a quarter of a query's encoding). Same result.
inline std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
  if (std::has_single_bit(static_cast<std::uint64_t>(b))) {
    return (a + b - 1) >> std::countr_zero(static_cast<std::uint64_t>(b));
  }
  return (a + b - 1) / b;
}

// Output cuboid one MPE array computes per step, (W, H, C) per mode: VPU_2_0
// modes from VPUNN's mpe_mode_to_grid; 2.7/4.0 cuboids as the compiler's
// NTHW/NTK settings (16x16 -> 4x4x4, 8x16 -> 4x2x8, 4x16 -> 4x1x16).
ModeGrid mpe_grid(ExecutionMode m) {
  switch (m) {
    case ExecutionMode::VECTOR:
      return {16, 1, 16};
    case ExecutionMode::MATRIX:
      return {4, 4, 16};
    case ExecutionMode::VECTOR_FP16:
      return {4, 1, 16};
    case ExecutionMode::CUBOID_16x16:
      return {4, 4, 4};
    case ExecutionMode::CUBOID_8x16:
      return {4, 2, 8};
    case ExecutionMode::CUBOID_4x16:
      return {4, 1, 16};
  }
  return {1, 1, 16};
}

// Share of the computed blocks' extent that is real output along one axis.
inline float util(std::int64_t size, int grid) {
  return static_cast<float>(double(size) / double(ceil_div(size, grid) * grid));
}

// The features the execution mode changes, and only those: 5-10 (the mode,
// one-hot) and 32-37 (output blocks and MPE utilisation). `oc` is the
// executed (padded) output channel count. Shared by encode_features and
// encode_mode_change, so that a workload re-encoded for another mode gets
// the very bits a full encoding would.
void add_mode_features(const Workload& w, std::int64_t oc, std::span<float, kFeatureCount> f,
                       LogFeatures& logs) {
  for (std::size_t i = 5; i <= 10; ++i) f[i] = 0.0f;
  f[5 + static_cast<std::size_t>(w.mode)] = 1.0f;
  const std::int64_t ow = w.output.width;
  const std::int64_t oh = w.output.height;
  // 32-35: output blocks on the compiler's NTHW/NTK grid of the mode.
  const ModeGrid nt = mode_grid(w.mode);
  const std::int64_t tiles =
      ceil_div(ow, nt.grid_w) * ceil_div(oh, nt.grid_h) * ceil_div(oc, nt.grid_c);
  logs.add(32, double(tiles));
  f[33] = util(ow, nt.grid_w);
  f[34] = util(oh, nt.grid_h);
  f[35] = util(oc, nt.grid_c);
  // 36-37: spatial utilisation of the MPE grid.
  const ModeGrid mpe = mpe_grid(w.mode);
  f[36] = util(ow, mpe.grid_w);
  f[37] = util(oh, mpe.grid_h);
}

}  // namespace

bool is_supported_feature_version(int version) {
  return version >= kOldestFeatureEncodingVersion && version <= kFeatureEncodingVersion;
}

std::size_t feature_count(int version) {
  return version == 2 ? kFeatureCountV2 : version == 3 ? kFeatureCountV3 : kFeatureCount;
}

std::span<const std::string_view> feature_names(int version) {
  return std::span<const std::string_view>(kNames).first(feature_count(version));
}

std::optional<std::string> unencodable_field(const Workload& w, int version) {
  if (version >= 3) return std::nullopt;
  const auto name = [](auto e) { return std::string(to_string(e)); };
  if (w.input.dtype == DType::HF8) return "input dtype HF8";
  if (w.output.dtype == DType::HF8) return "output dtype HF8";
  if (w.activation != ActivationFunction::NONE) return "activation " + name(w.activation);
  if (w.input_sparsity != 0.0) return std::string("input sparsity");
  if (w.weight_sparsity != 0.0) return std::string("weight sparsity");
  if (w.output_write_tiles != 1) {
    return "output_write_tiles " + std::to_string(w.output_write_tiles);
  }
  if (w.isi_strategy != IsiStrategy::CLUSTERING) return "isi_strategy " + name(w.isi_strategy);
  return std::nullopt;
}

void encode_features(const Workload& w, std::span<float, kFeatureCount> f) noexcept {
  // The workload as executed (as_executed), without copying it: the
  // executed operation and the channel counts below.
  const Operation op = executed_operation(w);
  // Eigen's packet stores: GCC turns a plain zeroing loop into `rep stos`,
  // whose start-up cost was a sixth of this function in a batch (perf).
  Eigen::Map<Eigen::Array<float, kFeatureCount, 1>>(f.data()).setZero();
  LogFeatures logs;
  switch (op) {
    case Operation::CONVOLUTION:
      f[0] = 1.0f;
      break;
    case Operation::DW_CONVOLUTION:
    case Operation::AVEPOOL:  // as_executed already maps it; kept for safety
      f[1] = 1.0f;
      break;
    case Operation::ELTWISE:
      f[2] = 1.0f;
      break;
    case Operation::MAXPOOL:
      f[3] = 1.0f;
      break;
    case Operation::CM_CONVOLUTION:
      f[4] = 1.0f;
      break;
  }
  f[11] = w.input.dtype == DType::FLOAT16 ? 1.0f : 0.0f;
  f[12] = w.output.dtype == DType::FLOAT16 ? 1.0f : 0.0f;

  // Executed channel counts: padded to 16, except a CM convolution's input,
  // which the DPU reads unpadded. The padded input count is what the MAC
  // array spends its cycles on in every case.
  const std::int64_t ic =
      op == Operation::CM_CONVOLUTION ? w.input.channels : padded_channels(w.input.channels);
  const std::int64_t icp = padded_channels(ic);
  const std::int64_t oc = padded_channels(w.output.channels);
  const std::int64_t ow = w.output.width;
  const std::int64_t oh = w.output.height;
  logs.add(13, double(w.input.width));
  logs.add(14, double(w.input.height));
  logs.add(15, double(ow));
  logs.add(16, double(oh));
  logs.add(17, double(ic));
  logs.add(18, double(icp));
  logs.add(19, double(oc));
  logs.add(20, double(w.kernel_w));
  logs.add(21, double(w.kernel_h));
  f[22] = static_cast<float>(w.stride_w);
  f[23] = static_cast<float>(w.stride_h);
  f[24] = static_cast<float>(w.padding.top);
  f[25] = static_cast<float>(w.padding.bottom);
  f[26] = static_cast<float>(w.padding.left);
  f[27] = static_cast<float>(w.padding.right);

  // Work per output element and the bytes moved, counted on padded channels.
  const bool conv_like = op == Operation::CONVOLUTION || op == Operation::CM_CONVOLUTION;
  const bool depthwise = op == Operation::DW_CONVOLUTION;
  const bool eltwise = op == Operation::ELTWISE;
  const double kernel_area = double(w.kernel_w) * double(w.kernel_h);
  const double in_bytes_per = bytes_per_element(w.input.dtype);
  const double out_bytes_per = bytes_per_element(w.output.dtype);
  const double outputs = double(ow) * double(oh) * double(oc);
  const double per_output = conv_like ? kernel_area * double(icp) : eltwise ? 1.0 : kernel_area;
  const double in_elems = double(w.input.width) * double(w.input.height) * double(icp);
  // ELTWISE's second operand is counted as its "weights".
  const double weight_elems = conv_like   ? double(oc) * kernel_area * double(icp)
                              : depthwise ? double(oc) * kernel_area
                              : eltwise   ? in_elems
                                          : 0.0;
  logs.add(28, outputs * per_output);
  logs.add(29, in_elems * in_bytes_per);
  logs.add(30, outputs * out_bytes_per);
  logs.add(31, 1.0 + weight_elems * in_bytes_per);

  add_mode_features(w, oc, f, logs);
  logs.write_to(f);

  f[38] = static_cast<float>(ow);
  f[39] = static_cast<float>(oh);
  f[40] = static_cast<float>(oc);
  f[41] = static_cast<float>(ic);
  // Version 4. The recordings of VPU_2_7, VPU_4_0 and NPU_5_0 price 8-bit
  // convolutions as if input channels were read in groups of 64: 64 channels
  // cost less and 80 more than the 16-channel padding predicts, and a model
  // without this feature keeps that bias on its own training rows (VPU_4_0:
  // +2.0 % at 64, -3.4 % at 80; models/README.md, "Why encoding 4"). Real
  // networks are mostly made of 64-multiples.
  f[56] = util(ic, 64);

  // Version 3: all zero (as set above) for a default-field, non-HF8 workload,
  // which most queries are.
  f[42] = w.input.dtype == DType::HF8 ? 1.0f : 0.0f;
  f[43] = w.output.dtype == DType::HF8 ? 1.0f : 0.0f;
  if (has_default_compiler_fields(w)) return;
  f[44] = w.activation == ActivationFunction::RELU ? 1.0f : 0.0f;
  f[45] = w.activation == ActivationFunction::LRELU ? 1.0f : 0.0f;
  f[46] = static_cast<float>(w.input_sparsity);
  f[47] = static_cast<float>(w.weight_sparsity);
  f[48] = w.input_sparsity > 0.0 ? 1.0f : 0.0f;
  f[49] = w.weight_sparsity > 0.0 ? 1.0f : 0.0f;
  // Density = 1 - rate: the share of activations / weights the DPU reads
  // when sparsity is enabled (its log is 0 for a dense tensor).
  f[50] = w.input_sparsity > 0.0 ? static_cast<float>(std::log2(1.0 - w.input_sparsity)) : 0.0f;
  f[51] = w.weight_sparsity > 0.0 ? static_cast<float>(std::log2(1.0 - w.weight_sparsity)) : 0.0f;
  // VPUNN's networks see only whether the output is broadcast (every value
  // from 2 up labels like 2), the log keeps the count for other recordings.
  f[52] = w.output_write_tiles > 1 ? 1.0f : 0.0f;
  f[53] =
      w.output_write_tiles > 1 ? static_cast<float>(std::log2(double(w.output_write_tiles))) : 0.0f;
  f[54] = w.isi_strategy == IsiStrategy::SPLIT_OVER_H ? 1.0f : 0.0f;
  f[55] = w.isi_strategy == IsiStrategy::SPLIT_OVER_K ? 1.0f : 0.0f;
}

void encode_mode_change(const Workload& w, std::span<float, kFeatureCount> f) noexcept {
  LogFeatures logs;
  add_mode_features(w, padded_channels(w.output.channels), f, logs);
  logs.write_to(f);
}

}  // namespace vpucost
