#include "vpucost/arch_export.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "vpucost/error.hpp"
#include "vpucost/evaluator.hpp"
#include "vpucost/net_config.hpp"

namespace vpucost::nas {
namespace {

// %.17g: reads back exactly, and CSV readers take it as is.
std::string exact(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}

}  // namespace

std::string architecture_net_config_json(const SearchSpace& space, std::span<const int> arch,
                                         int resolution) {
  return net_config_json(net_config_from_architecture(space, arch, resolution));
}

std::string nas_lut_json(const SearchSpace& space, const LatencyTable& table,
                         const ArchParams* alpha, double network_terms_ms) {
  bool same = table.blocks.size() == space.positions.size();
  for (std::size_t p = 0; same && p < space.positions.size(); ++p) {
    same = table.blocks[p].size() == space.positions[p].candidates.size();
  }
  if (!same) throw Error("the latency table does not belong to space '" + space.name + "'");
  const FlatLatencyTable flat(table, network_terms_ms);
  nlohmann::ordered_json j;
  j["format"] = "vpucost-nas-lut";
  j["version"] = 1;
  j["space"] = space.name;
  j["device"] = std::string(to_string(table.device));
  j["dtype"] = std::string(to_string(table.dtype));
  j["resolution"] = table.resolution;
  j["source"] = table.source;
  j["unit"] = "ms";
  j["fixed_ms"] = flat.fixed_ms();
  j["fixed"] = {{"stem", table.stem.ms}, {"feature_mix", table.feature_mix.ms}};
  for (const LutEntry& e : table.pooled_head) j["fixed"][std::string(to_string(e.kind))] = e.ms;
  j["fixed"]["logits"] = table.logits.ms;
  if (network_terms_ms > 0) j["fixed"]["network"] = network_terms_ms;
  j["min_latency_ms"] = flat.min_latency_ms();
  j["max_latency_ms"] = flat.max_latency_ms();
  auto& positions = j["positions"] = nlohmann::ordered_json::array();
  for (std::size_t p = 0; p < space.positions.size(); ++p) {
    const Position& pos = space.positions[p];
    nlohmann::ordered_json names = nlohmann::ordered_json::array();
    nlohmann::ordered_json ms = nlohmann::ordered_json::array();
    for (std::size_t c = 0; c < pos.candidates.size(); ++c) {
      names.push_back(pos.candidates[c].name());
      ms.push_back(table.blocks[p][c].ms);
    }
    positions.push_back({{"position", p},
                         {"stage", pos.stage},
                         {"in_channels", pos.in_channels},
                         {"out_channels", pos.out_channels},
                         {"stride", pos.stride},
                         {"candidates", std::move(names)},
                         {"ms", std::move(ms)}});
  }
  if (alpha) {
    const ExpectedLatency e = expected_latency(flat, *alpha);
    j["expected"] = {
        {"latency_ms", e.ms}, {"probabilities", e.probabilities}, {"grad_alpha", e.grad}};
  }
  return j.dump(1) + "\n";
}

std::string pareto_csv(const SearchSpace& space, std::span<const EvaluatedArchitecture> archs) {
  const std::vector<bool> front = pareto_optimal(archs);
  std::string out = "latency_ms,score,pareto,generation,stage,architecture\n";
  for (std::size_t i = 0; i < archs.size(); ++i) {
    const EvaluatedArchitecture& a = archs[i];
    out += exact(a.latency_ms) + "," + exact(a.score) + "," + (front[i] ? "1" : "0") + "," +
           std::to_string(a.generation) + "," + std::to_string(a.stage) + "," +
           architecture_names(space, a.arch) + "\n";
  }
  return out;
}

}  // namespace vpucost::nas
