#pragma once
// Network layers and how they become DPU workloads.
//
// A Layer is one operator of a small network description (convolution,
// depthwise convolution, pooling, eltwise add, fully connected, global
// average pool) with its logical sizes: channel counts as the network
// defines them (24, 40, 1000), not yet padded. layer_workload() turns it into
// the DPU workload that is costed: channels padded to a multiple of 16, a
// convolution over a few input channels (the RGB stem) as CM_CONVOLUTION.
// A workload that exceeds what one DPU workload may hold is split later
// (workload_split.hpp); network_cost.hpp costs and sums.
//
// mbconv_layers() expands the inverted-residual block of MobileNetV2,
// ProxylessNAS and once-for-all into its layers.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vpucost/workload.hpp"

namespace vpucost {

enum class LayerKind : std::uint8_t {
  Convolution,           ///< k x k convolution (1x1 = pointwise)
  DepthwiseConvolution,  ///< one k x k filter per channel
  MaxPool,
  AvgPool,
  EltwiseAdd,      ///< residual addition of two tensors of the same shape
  FullyConnected,  ///< runs as a 1x1 convolution on a 1x1 map
  GlobalAvgPool,   ///< average over the whole map: an AVEPOOL with the map as kernel
};
std::string_view to_string(LayerKind kind);

/// One network operator, sizes as the network defines them. The output size
/// follows from input, kernel, stride and padding (see out_width()).
struct Layer {
  std::string name;  ///< e.g. "expand", "depthwise", "first_conv"
  LayerKind kind = LayerKind::Convolution;
  std::int64_t in_width = 1;
  std::int64_t in_height = 1;
  std::int64_t in_channels = 1;
  std::int64_t out_channels = 1;  ///< equals in_channels for channel-wise kinds
  std::int64_t kernel_w = 1;
  std::int64_t kernel_h = 1;
  std::int64_t stride = 1;  ///< same in both directions
  Padding padding;
  /// Fused into the layer's output (an imported network's ReLU after a conv);
  /// NONE in the built-in spaces, as their LUT keys have no activation.
  ActivationFunction activation = ActivationFunction::NONE;

  std::int64_t out_width() const;
  std::int64_t out_height() const;
  bool operator==(const Layer&) const = default;
};

/// Largest width, height or channel count a network layer may have. Far above
/// any real network (a 224 input, 1280 channels), low enough that every
/// derived count stays exact.
inline constexpr std::int64_t kMaxLayerDimension = 16384;

/// 'same' padding of an odd kernel: k/2 on every side, so that the output is
/// ceil(input / stride) (what ProxylessNAS and once-for-all compute).
Layer conv_layer(std::string name, std::int64_t size, std::int64_t in_channels,
                 std::int64_t out_channels, std::int64_t kernel, std::int64_t stride);
Layer depthwise_layer(std::string name, std::int64_t size, std::int64_t channels,
                      std::int64_t kernel, std::int64_t stride);
/// `kind` is MaxPool or AvgPool; 'same' padding like conv_layer.
Layer pool_layer(std::string name, LayerKind kind, std::int64_t size, std::int64_t channels,
                 std::int64_t kernel, std::int64_t stride);
Layer eltwise_add_layer(std::string name, std::int64_t size, std::int64_t channels);
Layer fully_connected_layer(std::string name, std::int64_t in_features, std::int64_t out_features);
Layer global_avg_pool_layer(std::string name, std::int64_t size, std::int64_t channels);

/// The first thing wrong with `layer` (naming the layer), or an empty string.
std::string find_layer_problem(const Layer& layer);
/// Throws vpucost::Error with find_layer_problem's message.
void validate(const Layer& layer);

/// The DPU workload of a valid layer on `device` with activations of `dtype`,
/// in its costed form: channels padded to a multiple of 16, except the input
/// of a convolution with fewer than 16 input channels that the device can run
/// channel-major (up to DeviceSpec::max_cm_input_channels), which becomes a
/// CM_CONVOLUTION (the RGB stem). The mode is the device's first mode; the
/// costing code picks the fastest.
Workload layer_workload(const Layer& layer, Device device, DType dtype);

/// An inverted-residual (MBConv) block on a square feature map.
struct MBConv {
  std::int64_t size = 1;  ///< input width = height
  std::int64_t in_channels = 1;
  std::int64_t out_channels = 1;
  std::int64_t kernel = 3;
  std::int64_t stride = 1;
  std::int64_t expand_ratio = 1;
  /// Expanded width; 0 means in_channels * expand_ratio (what ProxylessNAS
  /// and once-for-all use when a config leaves mid_channels null).
  std::int64_t mid_channels = 0;
  /// Identity shortcut: only valid with stride 1 and in == out channels.
  bool residual = false;

  std::int64_t mid() const { return mid_channels > 0 ? mid_channels : in_channels * expand_ratio; }
  std::int64_t out_size() const { return (size - 1) / stride + 1; }
};

/// Whether a block with this stride and these channels can (and in the
/// built-in spaces does) have an identity shortcut.
constexpr bool residual_possible(std::int64_t stride, std::int64_t in_channels,
                                 std::int64_t out_channels) {
  return stride == 1 && in_channels == out_channels;
}

/// The layers of an MBConv block, in execution order: "expand" (1x1 conv,
/// absent when the expand ratio is 1), "depthwise" (k x k, 'same' padding,
/// the block's stride), "project" (1x1 conv) and "residual_add" (eltwise add,
/// when the block has its shortcut). Throws vpucost::Error naming the field
/// if the block is invalid (e.g. a shortcut with stride 2).
std::vector<Layer> mbconv_layers(const MBConv& block);

}  // namespace vpucost
