#include "vpucost/design_advice.hpp"

#include <cmath>
#include <cstdio>

#include "vpucost/device.hpp"

namespace vpucost {
namespace {

std::string shape(std::int64_t size, std::int64_t channels) {
  return std::to_string(size) + "x" + std::to_string(size) + "x" + std::to_string(channels);
}

std::string number(double value, const char* spec = "%.2f") {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, spec, value);
  return buffer;
}

AdviceMeasurement measure(std::string where, NetPart a, NetPart b, const NetworkCoster& coster) {
  AdviceMeasurement m{std::move(where), std::move(a), std::move(b), 0, 0, 0};
  m.a_cycles = parts_cycles(std::span<const NetPart>(&m.a, 1), coster);
  m.b_cycles = parts_cycles(std::span<const NetPart>(&m.b, 1), coster);
  return m;
}

double geometric_mean(const std::vector<AdviceMeasurement>& ms) {
  double log_sum = 0;
  for (const AdviceMeasurement& m : ms) log_sum += std::log(m.ratio());
  return std::exp(log_sum / double(ms.size()));
}

// MobileNetV3 blocks of once-for-all's MobileNetV3 stage shapes (k3, stride 1), so
// that each version of a block is an entry of the ofa-mbv3 table where one exists.
Mbv3Block mbv3_block(std::int64_t size, std::int64_t channels, std::int64_t expand) {
  Mbv3Block b;
  b.conv = {size, channels, channels, 3, 1, expand, channels * expand, true};
  return b;
}

NetPart single(PartKind kind, std::vector<Layer> layers) {
  return {kind, {}, {}, std::move(layers), {}, {}};
}

AdviceRule shave_rule(const NetworkCoster& c, bool se) {
  AdviceRule r;
  r.id = se ? "se_block" : "shave_activation";
  r.statement = se ? "Avoid squeeze-and-excitation blocks: their pool, gate and multiply are dear"
                   : "Avoid activations the DPU cannot fuse (h-swish runs on SHAVE; ReLU is free)";
  r.ratio_of = se ? "with SE / without (ReLU both)" : "h-swish / ReLU (no SE)";
  r.summary_of = "geometric mean";
  if (!c.has_shave_model()) {
    r.measured = false;
    r.verdict = "not measured: needs a SHAVE model (--shave-model)";
    return r;
  }
  for (const auto& [size, channels, expand] : {std::tuple{56, 32, 3}, std::tuple{28, 48, 3},
                                               std::tuple{14, 96, 6}, std::tuple{7, 192, 6}}) {
    Mbv3Block plain = mbv3_block(size, channels, expand);
    Mbv3Block warned = plain;
    (se ? warned.se : warned.hswish) = true;
    r.measurements.push_back(measure(shape(size, channels) + " e" + std::to_string(expand),
                                     mbv3_block_part(warned), mbv3_block_part(plain), c));
  }
  r.summary = geometric_mean(r.measurements);
  r.holds = r.summary >= 1.2;
  r.verdict = std::string(r.holds ? "holds" : "does not hold") + ": " +
              (se ? "an SE block costs " : "h-swish costs ") + number(r.summary) +
              "x the plain block (" + number(r.measurements.front().ratio()) + "x at " +
              r.measurements.front().where + ", " + number(r.measurements.back().ratio()) +
              "x at " + r.measurements.back().where + ")";
  return r;
}

AdviceRule channels_rule(const NetworkCoster& c) {
  AdviceRule r{"channels_16",
               "Use channel counts that are multiples of 16: the DPU pads to 16 and pays for it",
               "cycles(C) / cycles(C rounded up to 16), 1x1 conv C -> C at 28x28",
               {},
               0,
               "geometric mean",
               true,
               false,
               {}};
  for (const std::int64_t ch : {24, 40, 56, 72}) {
    const std::int64_t padded = (ch + 15) / 16 * 16;
    r.measurements.push_back(
        measure(shape(28, ch) + " vs " + std::to_string(padded),
                single(PartKind::Block, {conv_layer("conv1x1", 28, ch, ch, 1, 1)}),
                single(PartKind::Block, {conv_layer("conv1x1", 28, padded, padded, 1, 1)}), c));
  }
  r.summary = geometric_mean(r.measurements);
  r.holds = r.summary >= 0.9;
  r.verdict = std::string(r.holds ? "holds" : "does not hold") +
              ": a layer with C channels costs " + number(r.summary) +
              "x the one rounded up to 16 (" + number(r.measurements.front().ratio()) +
              "x for 24 vs 32), though it does " +
              number(100.0 * (24.0 * 24) / (32.0 * 32), "%.0f") + " % of the work at 24";
  return r;
}

AdviceRule kernel_rule(const NetworkCoster& compute, const NetworkCoster& ddr) {
  AdviceRule r{"large_kernel",
               "Large kernels are almost free on small maps",
               "kernel 7 / kernel 3, ProxylessNAS expand-6 blocks (stride 1, shortcut), ddr mode",
               {},
               0,
               "at 7x7x192",
               true,
               false,
               {}};
  for (const auto& [size, channels] : {std::pair{112, 16}, std::pair{56, 24}, std::pair{28, 40},
                                       std::pair{14, 96}, std::pair{7, 192}}) {
    MBConv k3{size, channels, channels, 3, 1, 6, 0, true};
    MBConv k7 = k3;
    k7.kernel = 7;
    AdviceMeasurement m = measure(shape(size, channels), block_part(k7), block_part(k3), ddr);
    m.compute_ratio = measure(m.where, m.a, m.b, compute).ratio();
    r.measurements.push_back(std::move(m));
  }
  r.summary = r.measurements.back().ratio();
  const double largest_map = r.measurements.front().ratio();
  r.holds = r.summary <= 1.5 && r.summary < largest_map;
  r.verdict = std::string(r.holds ? "holds" : "does not hold") + ": kernel 7 costs " +
              number(r.summary) + "x kernel 3 on 7x7 maps against " + number(largest_map) +
              "x on 112x112 once weights and activations move through DDR (" +
              number(r.measurements.back().compute_ratio) + "x and " +
              number(r.measurements.front().compute_ratio) + "x with activations in CMX)";
  return r;
}

AdviceRule separable_rule(const NetworkCoster& compute, const NetworkCoster& ddr) {
  AdviceRule r{"separable_stream",
               "Depthwise + pointwise is DMA-bound at high resolution: once activations stream "
               "through DDR a normal convolution is about as fast",
               "(depthwise 3x3 + pointwise) / normal 3x3 conv, C -> C, ddr mode",
               {},
               0,
               "at 112x112x32",
               true,
               false,
               {}};
  for (const auto& [size, channels] : {std::pair{112, 32}, std::pair{56, 64}, std::pair{28, 128}}) {
    const NetPart separable =
        single(PartKind::Block, {depthwise_layer("depthwise", size, channels, 3, 1),
                                 conv_layer("pointwise", size, channels, channels, 1, 1)});
    const NetPart normal =
        single(PartKind::Block, {conv_layer("conv3x3", size, channels, channels, 3, 1)});
    AdviceMeasurement m = measure(shape(size, channels), separable, normal, ddr);
    m.compute_ratio = measure(m.where, separable, normal, compute).ratio();
    r.measurements.push_back(std::move(m));
  }
  r.summary = r.measurements.front().ratio();
  r.holds = r.summary >= 0.8;
  r.verdict = std::string(r.holds ? "holds" : "does not hold") + ": depthwise + pointwise costs " +
              number(r.summary) + "x a normal 3x3 convolution at 112x112x32 in ddr mode (" +
              number(r.measurements.front().compute_ratio) +
              "x with activations in CMX), though it does " +
              number(100.0 * (9.0 + 32) / (9.0 * 32), "%.0f") + " % of its MACs";
  return r;
}

}  // namespace

std::vector<AdviceRule> design_advice(const NetworkCoster& compute, const NetworkCoster& ddr) {
  return {shave_rule(compute, false), shave_rule(compute, true), channels_rule(compute),
          kernel_rule(compute, ddr), separable_rule(compute, ddr)};
}

std::string advice_markdown(const std::vector<AdviceRule>& rules, const NetworkCoster& coster) {
  std::string out = "# Design rules on " + std::string(to_string(coster.device())) + " (" +
                    std::string(to_string(coster.dtype())) + ", " +
                    std::string(coster.predictor().source()) + ")\n\n";
  out += "| rule | holds | ratio | " + std::string("measured on") + " |\n|---|---|---|---|\n";
  for (const AdviceRule& r : rules) {
    std::string on;
    for (const AdviceMeasurement& m : r.measurements) {
      on += (on.empty() ? "" : ", ") + m.where + ": " + number(m.ratio()) + "x";
    }
    out += "| " + r.statement + " | " + (r.measured ? (r.holds ? "yes" : "no") : "not measured") +
           " | " +
           (r.measured ? number(r.summary) + "x (" + r.summary_of + "; " + r.ratio_of + ")" : "-") +
           " | " + (on.empty() ? r.verdict : on) + " |\n";
  }
  out += "\n";
  for (const AdviceRule& r : rules) out += "- **" + r.id + "**: " + r.verdict + "\n";
  return out;
}

}  // namespace vpucost
