#include "vpucost/lut.hpp"

#include <algorithm>

#include "run_order.hpp"
#include "vpucost/error.hpp"
#include "vpucost/hurricane_space.hpp"
#include "vpucost/sr_network.hpp"

namespace vpucost {
namespace {

// A part whose layers are costed together with every other part of the
// table, then filled into its entry.
struct PendingEntry {
  LutEntry* entry;
  std::size_t first_layer;
  std::size_t layer_count;
  std::vector<ShaveStep> shave;
  std::vector<DmaStep> dma;
};

void add_part(const NetPart& part, LutEntry& entry, std::vector<Layer>& layers,
              std::vector<PendingEntry>& pending) {
  entry.kind = part.kind;
  entry.key = part.key;
  pending.push_back({&entry, layers.size(), part.layers.size(), part.shave, part.dma});
  layers.insert(layers.end(), part.layers.begin(), part.layers.end());
}

// Device mode in a table (network_cost.hpp, LatencyMode::device): one DMA
// engine fetches each layer's weights while the node before it computes --
// a DPU layer or a SHAVE step; a DMA copy keeps the engine busy and hides
// nothing -- and the layer waits for the part that is not hidden: the rule
// of a network in order (network_nodes.cpp). An entry does not know the
// block before it, so its first layer's fetch hides behind the entry's own
// last node -- the steady state of a stage of like blocks. The nodes are in
// the order a network runs them (run_order.hpp).
void add_unhidden_weight_fetches(LutEntry& e) {
  // node(computing, layer or null): what each node keeps computing while
  // the next one's weights arrive, in run order.
  const auto visit = [&](auto&& node) {
    detail::visit_in_run_order(
        e.layers.size(), e.shave.size(),
        [&](std::size_t k) { return e.shave[k].step.after_layers; }, e.dma.size(),
        [&](std::size_t k) { return e.dma[k].step.after_layers; },
        [&](std::size_t k) { node(e.shave[k].cycles, nullptr); },
        [&](std::size_t) { node(0.0, nullptr); },
        [&](std::size_t i) { node(e.layers[i].cost.cycles, &e.layers[i]); });
  };
  double previous = 0.0;
  visit([&](double computing, LayerCost*) { previous = computing; });  // the last node's
  visit([&](double computing, LayerCost* layer) {
    if (layer) layer->cost.cycles += std::max(0.0, layer->weight_fetch - previous);
    previous = computing;
  });
}
}  // namespace

double LatencyTable::fixed_ms() const {
  double ms = stem.ms + feature_mix.ms + logits.ms;
  for (const LutEntry& e : pooled_head) ms += e.ms;
  return ms;
}

double LatencyTable::latency_ms(std::span<const int> arch) const {
  if (arch.size() != blocks.size()) {
    throw Error("architecture has " + std::to_string(arch.size()) + " choices; the table of '" +
                space + "' has " + std::to_string(blocks.size()) + " positions");
  }
  double ms = fixed_ms();
  for (std::size_t p = 0; p < arch.size(); ++p) {
    if (arch[p] < 0 || static_cast<std::size_t>(arch[p]) >= blocks[p].size()) {
      throw Error("architecture: position " + std::to_string(p) + " has no candidate " +
                  std::to_string(arch[p]));
    }
    ms += blocks[p][static_cast<std::size_t>(arch[p])].ms;
  }
  return ms;
}

std::vector<const LutEntry*> LatencyTable::entries() const {
  std::vector<const LutEntry*> out{&stem};
  for (const auto& position : blocks) {
    for (const LutEntry& e : position) out.push_back(&e);
  }
  // An SR table has no feature mix and no logits (their entries stay keyless).
  if (!feature_mix.key.empty()) out.push_back(&feature_mix);
  for (const LutEntry& e : pooled_head) out.push_back(&e);
  if (!logits.key.empty()) out.push_back(&logits);
  return out;
}

NetPart candidate_part(const SearchSpace& space, int resolution, int position, int candidate) {
  if (space.family == SpaceFamily::SuperResolution) {
    validate(space);
    if (position < 0 || static_cast<std::size_t>(position) >= space.positions.size() ||
        candidate < 0 ||
        static_cast<std::size_t>(candidate) >=
            space.positions[static_cast<std::size_t>(position)].candidates.size()) {
      throw Error("search space '" + space.name + "' has no candidate " +
                  std::to_string(candidate) + " at position " + std::to_string(position));
    }
    if (space.positions[std::size_t(position)].candidates[std::size_t(candidate)].zero) {
      throw Error("the zero op has no layers");
    }
    return sr_candidate_part(space, resolution, position, candidate);
  }
  const auto sizes = feature_sizes(space, resolution);
  if (position < 0 || static_cast<std::size_t>(position) >= space.positions.size()) {
    throw Error("search space '" + space.name + "' has no position " + std::to_string(position));
  }
  const Position& p = space.positions[static_cast<std::size_t>(position)];
  if (candidate < 0 || static_cast<std::size_t>(candidate) >= p.candidates.size()) {
    throw Error("position " + std::to_string(position) + " has no candidate " +
                std::to_string(candidate));
  }
  const Candidate& c = p.candidates[static_cast<std::size_t>(candidate)];
  if (c.zero) throw Error("the zero op has no layers");
  if (space.family == SpaceFamily::Hurricane) {
    return hurricane_block_part({c.op, sizes[static_cast<std::size_t>(position)], p.in_channels,
                                 p.out_channels, c.kernel, p.stride, c.expand_ratio, c.se});
  }
  if (space.family == SpaceFamily::MobileNetV3) {
    Mbv3Block b;
    b.conv.size = sizes[static_cast<std::size_t>(position)];
    b.conv.in_channels = p.in_channels;
    b.conv.out_channels = p.out_channels;
    b.conv.kernel = c.kernel;
    b.conv.stride = p.stride;
    b.conv.expand_ratio = c.expand_ratio;
    b.conv.mid_channels = middle_channels(space, p, c);
    b.conv.residual = p.residual();
    b.se = p.se;
    b.hswish = p.hswish;
    return mbv3_block_part(b);
  }
  MBConv block;
  block.size = sizes[static_cast<std::size_t>(position)];
  block.in_channels = p.in_channels;
  block.out_channels = p.out_channels;
  block.kernel = c.kernel;
  block.stride = p.stride;
  block.expand_ratio = c.expand_ratio;
  block.residual = p.residual();
  return block_part(block);
}

std::vector<DroppedCandidate> drop_candidates_without_kernel(SearchSpace& space, int resolution,
                                                             const NetworkCoster& coster) {
  validate(space);
  std::vector<DroppedCandidate> dropped;
  for (std::size_t p = 0; p < space.positions.size(); ++p) {
    std::vector<Candidate> kept;
    for (std::size_t c = 0; c < space.positions[p].candidates.size(); ++c) {
      const Candidate& cand = space.positions[p].candidates[c];
      std::optional<std::string> why;
      if (!cand.zero) {
        const NetPart part = candidate_part(space, resolution, int(p), int(c));
        for (const ShaveStep& step : part.shave) {
          if ((why = coster.find_unanswerable(step))) break;
        }
      }
      if (why) {
        dropped.push_back({static_cast<int>(p), cand.name(), *why});
      } else {
        kept.push_back(cand);
      }
    }
    if (kept.empty()) {
      throw Error("search space '" + space.name + "', position " + std::to_string(p) +
                  ": no candidate can be costed on " + std::string(to_string(coster.device())) +
                  " (" + dropped.back().name + ": " + dropped.back().why + ")");
    }
    space.positions[p].candidates = std::move(kept);
  }
  return dropped;
}

LatencyTable build_latency_table(const SearchSpace& space, int resolution,
                                 const NetworkCoster& coster) {
  validate(space);
  const auto sizes = feature_sizes(space, resolution);
  LatencyTable table;
  table.space = space.name;
  table.device = coster.device();
  table.dtype = coster.dtype();
  table.resolution = resolution;
  table.source = std::string(coster.predictor().source());

  const bool mbv3 = space.family == SpaceFamily::MobileNetV3;
  const bool sr = space.family == SpaceFamily::SuperResolution;
  if (runs_on_shave(space) && !coster.has_shave_model()) {
    throw Error("search space '" + space.name + "' runs " +
                (sr ? "PReLU and upsamplers" : "h-swish and SE") +
                " on the SHAVE cores: its table needs a SHAVE model of " +
                std::string(to_string(coster.device())) + " (--shave-model)");
  }
  std::vector<Layer> layers;
  std::vector<PendingEntry> pending;
  if (sr) {
    add_part(sr_head_part(sr_base_net(space, resolution)), table.stem, layers, pending);
  } else {
    add_part(mbv3 ? mbv3_stem_part(resolution, space.stem_channels)
                  : stem_part(resolution, 3, space.stem_channels),
             table.stem, layers, pending);
  }
  table.blocks.resize(space.positions.size());
  for (std::size_t p = 0; p < space.positions.size(); ++p) {
    const Position& position = space.positions[p];
    table.blocks[p].resize(position.candidates.size());
    for (std::size_t c = 0; c < position.candidates.size(); ++c) {
      LutEntry& entry = table.blocks[p][c];
      entry.position = static_cast<int>(p);
      entry.candidate = static_cast<int>(c);
      entry.stage = position.stage;
      entry.candidate_name = position.candidates[c].name();
      if (position.candidates[c].zero) continue;  // no key, no layers, no cost
      add_part(candidate_part(space, resolution, static_cast<int>(p), static_cast<int>(c)), entry,
               layers, pending);
    }
  }
  const std::int64_t last = sizes.back();
  const int last_channels = space.positions.back().out_channels;
  if (sr) {
    // The tail position holds the rest of the net: no fixed head parts.
  } else if (mbv3) {
    const int expanded = space.final_expand_channels;
    add_part(mbv3_final_expand_part(last, last_channels, expanded), table.feature_mix, layers,
             pending);
    table.pooled_head.resize(2);
    add_part(mbv3_pool_part(last, expanded), table.pooled_head[0], layers, pending);
    add_part(mbv3_pooled_mix_part(expanded, space.feature_mix_channels), table.pooled_head[1],
             layers, pending);
    add_part(mbv3_logits_part(space.feature_mix_channels, space.num_classes), table.logits, layers,
             pending);
  } else {
    add_part(feature_mix_part(last, last_channels, space.feature_mix_channels), table.feature_mix,
             layers, pending);
    add_part(logits_part(last, space.feature_mix_channels, space.num_classes), table.logits, layers,
             pending);
  }

  const std::vector<LayerCost> costs = coster.cost(layers);
  for (const PendingEntry& p : pending) {
    LutEntry& e = *p.entry;
    e.layers.assign(costs.begin() + static_cast<std::ptrdiff_t>(p.first_layer),
                    costs.begin() + static_cast<std::ptrdiff_t>(p.first_layer + p.layer_count));
    for (const ShaveStep& step : p.shave) e.shave.push_back(coster.cost(step));
    for (const DmaStep& step : p.dma) e.dma.push_back(coster.cost(step));
    if (coster.mode() == LatencyMode::device) add_unhidden_weight_fetches(e);
    e.cycles = total_cycles(e.layers);
    for (const ShaveCost& c : e.shave) e.cycles += c.cycles;
    for (const DmaCost& c : e.dma) e.cycles += c.cycles;
    e.ms = coster.milliseconds(e.cycles);
  }
  return table;
}

std::vector<LatencyTable> build_latency_tables(const SearchSpace& space,
                                               std::span<const int> resolutions,
                                               const NetworkCoster& coster,
                                               const LutProgress& progress) {
  for (const int r : resolutions) check_resolution(r);
  std::vector<LatencyTable> tables;
  for (const int r : resolutions) {
    tables.push_back(build_latency_table(space, r, coster));
    if (progress) progress(tables.size(), resolutions.size(), r);
  }
  return tables;
}

}  // namespace vpucost
