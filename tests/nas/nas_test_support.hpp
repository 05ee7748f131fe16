#pragma once
// Shared fixtures of the NAS tests: latency tables of the built-in spaces
// with the roofline (fast, deterministic) and random architectures.
#include <random>
#include <vector>

#include "vpucost/lut.hpp"
#include "vpucost/roofline.hpp"
#include "vpucost/search_space.hpp"

namespace vpucost::nas::test {

inline LatencyTable roofline_table(const SearchSpace& space, Device device = Device::VPU_2_7,
                                   int resolution = 224) {
  static const RooflineModel roofline;
  const NetworkCoster coster(roofline, device, DType::UINT8);
  return build_latency_table(space, resolution, coster);
}

/// The proxyless space's table on VPU_2_7 at 224, built once.
inline const LatencyTable& proxyless_table() {
  static const LatencyTable table = roofline_table(proxyless_space());
  return table;
}

inline Architecture random_architecture(const SearchSpace& space, std::mt19937_64& rng) {
  Architecture a(space.positions.size());
  for (std::size_t p = 0; p < a.size(); ++p) {
    a[p] = int(rng() % space.positions[p].candidates.size());
  }
  return a;
}

}  // namespace vpucost::nas::test
