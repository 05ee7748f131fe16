#include "vpucost/lut_report.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "vpucost/error.hpp"

namespace vpucost {
namespace {

using std::to_string;

BlockSensitivity sensitivity(const SearchSpace& space, const LatencyTable& table, int position,
                             const std::vector<std::int64_t>& sizes) {
  const Position& p = space.positions[static_cast<std::size_t>(position)];
  BlockSensitivity s;
  s.stage = p.stage;
  s.position = position;
  s.in_channels = p.in_channels;
  s.out_channels = p.out_channels;
  s.stride = p.stride;
  s.in_size = sizes[static_cast<std::size_t>(position)];
  s.out_size = sizes[static_cast<std::size_t>(position) + 1];
  std::set<int> kernels;
  std::set<int> expands;
  for (const Candidate& c : p.candidates) {
    if (c.zero) continue;
    kernels.insert(c.kernel);
    expands.insert(c.expand_ratio);
  }
  s.kernels.assign(kernels.begin(), kernels.end());
  s.expands.assign(expands.begin(), expands.end());
  s.ms.assign(s.kernels.size() * s.expands.size(), -1.0);
  for (std::size_t c = 0; c < p.candidates.size(); ++c) {
    const Candidate& cand = p.candidates[c];
    if (cand.zero) continue;
    const auto k =
        std::lower_bound(s.kernels.begin(), s.kernels.end(), cand.kernel) - s.kernels.begin();
    const auto e =
        std::lower_bound(s.expands.begin(), s.expands.end(), cand.expand_ratio) - s.expands.begin();
    s.ms[static_cast<std::size_t>(e) * s.kernels.size() + static_cast<std::size_t>(k)] =
        table.blocks[static_cast<std::size_t>(position)][c].ms;
  }
  return s;
}

// Steps of 4 from just above the multiple of 16 below `width` to just past
// the multiple of 16 at or above it (24 -> 20 24 28 32 36).
std::vector<int> sweep_widths(int width) {
  const int padded = (width + 15) / 16 * 16;
  std::set<int> widths{width};
  for (int w = padded - 12; w <= padded + 4; w += 4) {
    if (w >= 4 && w <= kMaxSpaceChannels) widths.insert(w);
  }
  return {widths.begin(), widths.end()};
}

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.insert(0, width - s.size(), ' ');
  return s;
}

std::string percent(double value, double base) {
  const double change = 100.0 * (value / base - 1.0);
  return (change >= 0 ? "+" : "") + fixed(change, 0) + "%";
}

}  // namespace

DesignReport design_report(const SearchSpace& space, const LatencyTable& table,
                           const NetworkCoster& coster) {
  if (table.blocks.size() != space.positions.size()) {
    throw Error("design report: the table was not built from search space '" + space.name + "'");
  }
  if (space.family == SpaceFamily::Hurricane || space.family == SpaceFamily::SuperResolution) {
    throw Error("design report: it compares MBConv kernel x expand grids; search space '" +
                space.name + "' has other operators (see vpucost nas-space --json)");
  }
  const auto sizes = feature_sizes(space, table.resolution);
  DesignReport report{space.name, table.resolution, table.device, table.dtype, table.source, {},
                      {}};
  std::vector<Layer> sweep_layers;
  std::vector<std::pair<std::size_t, std::size_t>> sweep_ranges;  // per sweep point
  for (std::size_t i = 0; i < space.positions.size(); ++i) {
    const Position& p = space.positions[i];
    const bool first_of_stage = i == 0 || space.positions[i - 1].stage != p.stage;
    const bool second_of_stage = i > 0 && space.positions[i - 1].stage == p.stage &&
                                 (i == 1 || space.positions[i - 2].stage != p.stage);
    if (first_of_stage || second_of_stage) {
      report.blocks.push_back(sensitivity(space, table, static_cast<int>(i), sizes));
    }
    // The channel sweep uses the stage's last position (repeated when the
    // stage has several blocks) at the stage's output size.
    const bool last_of_stage =
        i + 1 == space.positions.size() || space.positions[i + 1].stage != p.stage;
    if (!last_of_stage) continue;
    ChannelSweep sweep;
    sweep.stage = p.stage;
    sweep.width = p.out_channels;
    sweep.size = sizes[i + 1];
    for (const Candidate& c : p.candidates) {
      if (!c.zero) sweep.expand_ratio = std::max(sweep.expand_ratio, c.expand_ratio);
    }
    sweep.widths = sweep_widths(p.out_channels);
    for (const int w : sweep.widths) {
      std::vector<Layer> layers{conv_layer("conv_1x1", sweep.size, w, w, 1, 1)};
      const auto block =
          mbconv_layers({sweep.size, w, w, sweep.kernel, 1, sweep.expand_ratio, 0, true});
      layers.insert(layers.end(), block.begin(), block.end());
      sweep_ranges.emplace_back(sweep_layers.size(), layers.size());
      sweep_layers.insert(sweep_layers.end(), layers.begin(), layers.end());
    }
    report.channels.push_back(std::move(sweep));
  }
  const auto costs = coster.cost(sweep_layers);
  std::size_t point = 0;
  for (ChannelSweep& sweep : report.channels) {
    for (std::size_t w = 0; w < sweep.widths.size(); ++w, ++point) {
      const auto [first, count] = sweep_ranges[point];
      double block_cycles = 0.0;
      for (std::size_t l = first + 1; l < first + count; ++l) block_cycles += costs[l].cost.cycles;
      sweep.conv_ms.push_back(coster.milliseconds(costs[first].cost.cycles));
      sweep.block_ms.push_back(coster.milliseconds(block_cycles));
    }
  }
  return report;
}

std::string format_design_report(const DesignReport& r) {
  std::string out = "Design-rule report: space " + r.space + " at " + to_string(r.resolution) +
                    ", " + std::string(to_string(r.device)) + " " +
                    std::string(to_string(r.dtype)) + ", cycles from " + r.source + "\n\n";
  out +=
      "Kernel size and expand ratio: one block's latency in ms, and the change against kernel 3\n"
      "at the same expand ratio. Large kernels are nearly free where the depthwise layer is a\n"
      "small part of the block (small feature maps, wide 1x1 convolutions).\n\n";
  for (const BlockSensitivity& b : r.blocks) {
    out += "stage " + to_string(b.stage) + ", position " + to_string(b.position) + ": " +
           to_string(b.in_channels) + "->" + to_string(b.out_channels) + " stride " +
           to_string(b.stride) + ", map " + to_string(b.in_size) + "->" + to_string(b.out_size) +
           "\n  expand";
    for (const int k : b.kernels) out += pad("k" + to_string(k), 18);
    out += "\n";
    for (std::size_t e = 0; e < b.expands.size(); ++e) {
      out += pad("e" + to_string(b.expands[e]), 8);
      const double base = b.ms[e * b.kernels.size()];
      for (std::size_t k = 0; k < b.kernels.size(); ++k) {
        const double ms = b.ms[e * b.kernels.size() + k];
        std::string cell = ms < 0 ? "-" : fixed(ms, 4);
        if (ms >= 0 && k > 0 && base > 0) cell += " (" + percent(ms, base) + ")";
        out += pad(cell, 18);
      }
      out += "\n";
    }
  }
  out +=
      "\nChannel counts: the DPU computes channels in groups of 16, so a width that is not a\n"
      "multiple of 16 costs what the next multiple costs. Per stage, at its output size: a 1x1\n"
      "convolution width -> width, and a repeated block (stride 1, kernel 3, the stage's\n"
      "largest expand ratio) of that width; us/ch = block microseconds per channel.\n\n";
  out += "  stage   size   width  padded   1x1 conv ms   block ms    us/ch\n";
  for (const ChannelSweep& s : r.channels) {
    for (std::size_t i = 0; i < s.widths.size(); ++i) {
      const int w = s.widths[i];
      out += pad(to_string(s.stage), 7) + pad(to_string(s.size), 7) + pad(to_string(w), 8) +
             pad(to_string((w + 15) / 16 * 16), 8) + pad(fixed(s.conv_ms[i], 4), 14) +
             pad(fixed(s.block_ms[i], 4), 11) + pad(fixed(1000.0 * s.block_ms[i] / w, 3), 9) +
             (w == s.width ? "  <- stage width" : "") + "\n";
    }
  }
  return out;
}

}  // namespace vpucost
