#pragma once
// Random draws whose results are fixed by the seed on every platform: the
// standard distributions and std::shuffle are implementation-defined, so a
// model trained with libstdc++ and one trained with libc++ would differ.
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace vpucost::detail {

/// A generator for one purpose (initialisation, split, epoch e's shuffle):
/// streams for different purposes do not overlap, and none depends on how
/// many numbers another one drew, so resuming at epoch e needs no saved state.
inline std::mt19937_64 stream(std::uint64_t seed, std::uint64_t purpose, std::uint64_t index = 0) {
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(purpose), static_cast<std::uint32_t>(index),
                    static_cast<std::uint32_t>(index >> 32)};
  return std::mt19937_64(seq);
}

/// Uniform in [0, 1) with 53 random bits.
inline double uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

/// Fisher-Yates shuffle (the modulo bias is below 2^-40 for any real size).
template <class T>
void shuffle(std::vector<T>& v, std::mt19937_64& rng) {
  for (std::size_t i = v.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(rng() % i);
    std::swap(v[i - 1], v[j]);
  }
}

enum Purpose : std::uint64_t {
  kInitialisation = 1,
  kValidationSplit = 2,
  kEpochShuffle = 3,
  kSyntheticWorkloads = 4
};

}  // namespace vpucost::detail
