#include "vpucost/features.hpp"

#include <cmath>

#include "vpucost/device.hpp"

namespace vpucost {
namespace {

// Keep this table, the encoder below and costmodel/README.md in step.
constexpr std::array<std::string_view, kFeatureCount> kNames{
    "op_convolution",   "op_dw_convolution", "op_cm_convolution", "op_eltwise",
    "op_maxpool",       "op_avepool",        "in_uint8",          "in_float16",
    "out_uint8",        "out_float16",       "mode_vector",       "mode_matrix",
    "mode_vector_fp16", "mode_cuboid_16x16", "mode_cuboid_8x16",  "mode_cuboid_4x16",
    "log2_in_width",    "log2_in_height",    "log2_in_channels",  "log2_out_width",
    "log2_out_height",  "log2_out_channels", "log2_kernel_w",     "log2_kernel_h",
    "log2_stride_w",    "log2_stride_h",     "pad_h_total",       "pad_w_total",
    "log2_macs",        "log2_in_bytes",     "log2_out_bytes",    "log2_1p_weight_bytes",
    "log2_mode_tiles",  "mode_utilisation",
};

inline float lg(double x) { return static_cast<float>(std::log2(x)); }
inline std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

}  // namespace

std::span<const std::string_view> feature_names() { return kNames; }

void encode_features(const Workload& raw, std::span<float, kFeatureCount> f) noexcept {
  const Workload w = as_executed(raw);
  for (auto& x : f) x = 0.0f;
  f[static_cast<std::size_t>(w.operation)] = 1.0f;
  f[6 + static_cast<std::size_t>(w.input.dtype)] = 1.0f;
  f[8 + static_cast<std::size_t>(w.output.dtype)] = 1.0f;
  f[10 + static_cast<std::size_t>(w.mode)] = 1.0f;

  f[16] = lg(double(w.input.width));
  f[17] = lg(double(w.input.height));
  f[18] = lg(double(w.input.channels));
  f[19] = lg(double(w.output.width));
  f[20] = lg(double(w.output.height));
  f[21] = lg(double(w.output.channels));
  f[22] = lg(double(w.kernel_w));
  f[23] = lg(double(w.kernel_h));
  f[24] = lg(double(w.stride_w));
  f[25] = lg(double(w.stride_h));
  f[26] = static_cast<float>(w.padding.top + w.padding.bottom);
  f[27] = static_cast<float>(w.padding.left + w.padding.right);

  const WorkloadCounts c = count_work(w);
  f[28] = lg(c.macs);
  f[29] = lg(c.input_bytes);
  f[30] = lg(c.output_bytes);
  f[31] = lg(1.0 + c.weight_bytes);

  // How the output maps onto the mode's grid: number of grid blocks and the
  // share of the computed block area that is real output.
  const ModeGrid g = mode_grid(w.mode);
  const std::int64_t tiles_w = ceil_div(w.output.width, g.grid_w);
  const std::int64_t tiles_h = ceil_div(w.output.height, g.grid_h);
  const std::int64_t tiles_c = ceil_div(w.output.channels, 16);
  f[32] = lg(double(tiles_w) * double(tiles_h) * double(tiles_c));
  f[33] = static_cast<float>(double(w.output.width) * double(w.output.height) /
                             (double(tiles_w * g.grid_w) * double(tiles_h * g.grid_h)));
}

}  // namespace vpucost
