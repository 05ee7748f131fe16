#pragma once
// For the targets whose readers take a path (HDF5 models, datasets,
// checkpoints): each input is written to a scratch file named after the
// target and the process, so parallel runs do not collide. scripts/fuzz.sh
// points TMPDIR at tmpfs.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace vpucost::fuzz {

/// A finding: stops the run with the input saved.
inline void check(bool ok) {
  if (!ok) __builtin_trap();
}

inline std::filesystem::path scratch_file(const std::string& target, const std::string& suffix) {
  return std::filesystem::temp_directory_path() /
         ("vpucost-fuzz-" + target + "-" + std::to_string(getpid()) + suffix);
}

/// Writes the input to the target's scratch file and returns its path.
inline std::filesystem::path write_input(const std::string& target, const std::uint8_t* data,
                                         std::size_t size) {
  const auto path = scratch_file(target, ".h5");
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

}  // namespace vpucost::fuzz
