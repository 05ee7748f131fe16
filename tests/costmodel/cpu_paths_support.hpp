#pragma once
// What the tests of the per-CPU kernels share: the paths this CPU runs and
// reproducible random inputs.
#include <cstddef>
#include <random>
#include <vector>

#include "vpucost/cpu_kernels.hpp"

namespace vpucost::test {

/// Every CPU path this machine can run (generic always among them).
inline std::vector<CpuPath> runnable_paths() {
  std::vector<CpuPath> paths;
  for (CpuPath p : all_cpu_paths()) {
    if (cpu_supports(p)) paths.push_back(p);
  }
  return paths;
}

/// n standard-normal floats for a seed, each zero with probability zero_share.
inline std::vector<float> random_values(std::size_t n, unsigned seed, double zero_share = 0.0) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng) < zero_share ? 0.0f : normal(rng);
  return v;
}

}  // namespace vpucost::test
