#include "vpucost/network.hpp"

#include "vpucost/device.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace {

using std::to_string;

Padding same_padding(std::int64_t kernel) {
  const std::int64_t p = kernel / 2;
  return {p, p, p, p};
}

bool is_channelwise(LayerKind kind) {
  return kind == LayerKind::DepthwiseConvolution || kind == LayerKind::MaxPool ||
         kind == LayerKind::AvgPool || kind == LayerKind::EltwiseAdd ||
         kind == LayerKind::GlobalAvgPool;
}

Operation operation_of(LayerKind kind) {
  switch (kind) {
    case LayerKind::Convolution:
    case LayerKind::FullyConnected:
      return Operation::CONVOLUTION;
    case LayerKind::DepthwiseConvolution:
      return Operation::DW_CONVOLUTION;
    case LayerKind::MaxPool:
      return Operation::MAXPOOL;
    case LayerKind::AvgPool:
    case LayerKind::GlobalAvgPool:
      return Operation::AVEPOOL;
    case LayerKind::EltwiseAdd:
      return Operation::ELTWISE;
  }
  return Operation::CONVOLUTION;
}

}  // namespace

std::string_view to_string(LayerKind kind) {
  switch (kind) {
    case LayerKind::Convolution:
      return "conv";
    case LayerKind::DepthwiseConvolution:
      return "depthwise_conv";
    case LayerKind::MaxPool:
      return "max_pool";
    case LayerKind::AvgPool:
      return "avg_pool";
    case LayerKind::EltwiseAdd:
      return "eltwise_add";
    case LayerKind::FullyConnected:
      return "fully_connected";
    case LayerKind::GlobalAvgPool:
      return "global_avg_pool";
  }
  return "<invalid>";
}

std::int64_t Layer::out_width() const {
  return expected_output_size(in_width, padding.left, padding.right, kernel_w, stride);
}

std::int64_t Layer::out_height() const {
  return expected_output_size(in_height, padding.top, padding.bottom, kernel_h, stride);
}

Layer conv_layer(std::string name, std::int64_t size, std::int64_t in_channels,
                 std::int64_t out_channels, std::int64_t kernel, std::int64_t stride) {
  return {std::move(name), LayerKind::Convolution, size,   size,
          in_channels,     out_channels,           kernel, kernel,
          stride,          same_padding(kernel)};
}

Layer depthwise_layer(std::string name, std::int64_t size, std::int64_t channels,
                      std::int64_t kernel, std::int64_t stride) {
  return {std::move(name),
          LayerKind::DepthwiseConvolution,
          size,
          size,
          channels,
          channels,
          kernel,
          kernel,
          stride,
          same_padding(kernel)};
}

Layer pool_layer(std::string name, LayerKind kind, std::int64_t size, std::int64_t channels,
                 std::int64_t kernel, std::int64_t stride) {
  return {std::move(name), kind,   size,   size,   channels,
          channels,        kernel, kernel, stride, same_padding(kernel)};
}

Layer eltwise_add_layer(std::string name, std::int64_t size, std::int64_t channels) {
  return {std::move(name), LayerKind::EltwiseAdd, size, size, channels, channels, 1, 1, 1, {}};
}

Layer fully_connected_layer(std::string name, std::int64_t in_features, std::int64_t out_features) {
  return {std::move(name), LayerKind::FullyConnected, 1, 1, in_features, out_features, 1, 1, 1, {}};
}

Layer global_avg_pool_layer(std::string name, std::int64_t size, std::int64_t channels) {
  return {
      std::move(name), LayerKind::GlobalAvgPool, size, size, channels, channels, size, size, 1, {}};
}

std::string find_layer_problem(const Layer& l) {
  const std::string where = "layer '" + l.name + "' (" + std::string(to_string(l.kind)) + "): ";
  struct Field {
    const char* name;
    std::int64_t value;
  };
  const Field fields[] = {{"input width", l.in_width},
                          {"input height", l.in_height},
                          {"input channels", l.in_channels},
                          {"output channels", l.out_channels},
                          {"kernel width", l.kernel_w},
                          {"kernel height", l.kernel_h},
                          {"stride", l.stride}};
  for (const auto& f : fields) {
    if (f.value < 1 || f.value > kMaxLayerDimension) {
      return where + f.name + " must be in 1.." + to_string(kMaxLayerDimension) + " (got " +
             to_string(f.value) + ")";
    }
  }
  if (is_channelwise(l.kind) && l.in_channels != l.out_channels) {
    return where + "needs equal input and output channels (got " + to_string(l.in_channels) +
           " and " + to_string(l.out_channels) + ")";
  }
  if (l.kind == LayerKind::FullyConnected && (l.in_width != 1 || l.in_height != 1)) {
    return where + "runs on a 1x1 map (got " + to_string(l.in_width) + "x" +
           to_string(l.in_height) + ")";
  }
  Workload w;
  w.operation = operation_of(l.kind);
  w.input = {l.in_width, l.in_height, l.in_channels, DType::UINT8};
  w.output = {l.out_width(), l.out_height(), l.out_channels, DType::UINT8};
  w.kernel_w = l.kernel_w;
  w.kernel_h = l.kernel_h;
  w.stride_w = w.stride_h = l.stride;
  w.padding = l.padding;
  if (auto problem = find_problem(w)) return where + *problem;
  return {};
}

void validate(const Layer& layer) {
  if (std::string problem = find_layer_problem(layer); !problem.empty()) throw Error(problem);
}

Workload layer_workload(const Layer& l, Device device, DType dtype) {
  const DeviceSpec& spec = device_spec(device);
  Workload w;
  w.device = device;
  w.operation = operation_of(l.kind);
  w.input = {l.in_width, l.in_height, padded_channels(l.in_channels), dtype};
  w.output = {l.out_width(), l.out_height(), padded_channels(l.out_channels), dtype};
  // The RGB stem: channel-major input is not padded (VPUNN and the compiler
  // run it as CM_CONVOLUTION on every generation).
  if (w.operation == Operation::CONVOLUTION && l.in_channels < 16 &&
      l.in_channels <= spec.max_cm_input_channels) {
    w.operation = Operation::CM_CONVOLUTION;
    w.input.channels = l.in_channels;
  }
  w.kernel_w = l.kernel_w;
  w.kernel_h = l.kernel_h;
  w.stride_w = w.stride_h = l.stride;
  w.padding = l.padding;
  w.activation = l.activation;
  w.mode = operation_modes(device, w.operation).front();
  return w;
}

std::vector<Layer> mbconv_layers(const MBConv& b) {
  const auto fail = [](const std::string& message) { throw Error("MBConv block: " + message); };
  if (b.residual && !residual_possible(b.stride, b.in_channels, b.out_channels)) {
    fail("an identity shortcut needs stride 1 and equal input and output channels (got stride " +
         to_string(b.stride) + ", " + to_string(b.in_channels) + " -> " +
         to_string(b.out_channels) + " channels)");
  }
  if (b.expand_ratio < 1)
    fail("expand ratio must be at least 1 (got " + to_string(b.expand_ratio) + ")");
  if (b.expand_ratio == 1 && b.mid_channels > 0 && b.mid_channels != b.in_channels) {
    fail("expand ratio 1 has no expand conv, so mid channels must equal input channels (got " +
         to_string(b.mid_channels) + " and " + to_string(b.in_channels) + ")");
  }
  if (b.kernel % 2 == 0)
    fail("kernel must be odd for 'same' padding (got " + to_string(b.kernel) + ")");
  const std::int64_t mid = b.mid();
  std::vector<Layer> layers;
  if (b.expand_ratio != 1) layers.push_back(conv_layer("expand", b.size, b.in_channels, mid, 1, 1));
  layers.push_back(depthwise_layer("depthwise", b.size, mid, b.kernel, b.stride));
  layers.push_back(conv_layer("project", b.out_size(), mid, b.out_channels, 1, 1));
  if (b.residual) layers.push_back(eltwise_add_layer("residual_add", b.out_size(), b.out_channels));
  for (const Layer& l : layers) validate(l);
  return layers;
}

}  // namespace vpucost
