// Which copy of isa/math_kernels.cpp this process runs (cpu_kernels.hpp).
#include <array>
#include <cstdlib>
#include <optional>
#include <string>

#include "vpucost/cpu_kernels.hpp"
#include "vpucost/error.hpp"

namespace vpucost {
namespace isa_generic {
const MathKernels& kernels();
}
namespace isa_avx2 {
const MathKernels& kernels();
}
namespace isa_avx512 {
const MathKernels& kernels();
}

namespace {

constexpr std::array kPaths{CpuPath::Generic, CpuPath::Avx2, CpuPath::Avx512};

// The features each path's copy is compiled with (costmodel/CMakeLists.txt,
// VPUCOST_ISA_FLAGS_*): all of them must be present.
bool has_avx2_features() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
         __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2");
}

bool has_avx512_features() {
  return has_avx2_features() && __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512cd");
}

// Whether the CPU has every feature the path's copy is compiled with.
bool has_features_of(CpuPath p) {
  switch (p) {
    case CpuPath::Generic:
      return true;  // x86-64's baseline (SSE2)
    case CpuPath::Avx2:
      return has_avx2_features();
    case CpuPath::Avx512:
      return has_avx512_features();
  }
  return false;
}

std::string cannot_run(CpuPath p, CpuPath widest) {
  return "this CPU cannot run the " + std::string(to_string(p)) +
         " path (widest it can: " + std::string(to_string(widest)) + ")";
}

}  // namespace

std::string_view to_string(CpuPath p) {
  switch (p) {
    case CpuPath::Generic:
      return "generic";
    case CpuPath::Avx2:
      return "avx2";
    case CpuPath::Avx512:
      return "avx512";
  }
  return "<invalid>";
}

CpuPath parse_cpu_path(std::string_view name) {
  for (CpuPath p : kPaths) {
    if (to_string(p) == name) return p;
  }
  throw Error("unknown CPU path '" + std::string(name) +
              "' (expected generic, avx2, avx512 or auto)");
}

std::span<const CpuPath> all_cpu_paths() {
  return kPaths;
}

// Each path's features include the narrower ones', so a CPU runs exactly the
// paths up to its widest; the features are asked for once.
bool cpu_supports(CpuPath p) {
  return static_cast<int>(p) <= static_cast<int>(widest_cpu_path());
}

CpuPath widest_cpu_path() {
  static const CpuPath widest = [] {
    CpuPath best = CpuPath::Generic;
    for (CpuPath p : kPaths) {
      if (has_features_of(p)) best = p;
    }
    return best;
  }();
  return widest;
}

CpuPath cpu_path_for_setting(std::string_view setting, CpuPath widest) {
  if (setting.empty() || setting == "auto") return widest;
  CpuPath p{};
  try {
    p = parse_cpu_path(setting);
  } catch (const Error& e) {
    throw Error("VPUCOST_CPU: " + std::string(e.what()));
  }
  if (static_cast<int>(p) > static_cast<int>(widest)) {
    throw Error("VPUCOST_CPU=" + std::string(setting) + " but " + cannot_run(p, widest));
  }
  return p;
}

CpuPath selected_cpu_path() {
  // Decided once; a bad setting is kept as its message, so every call throws it.
  struct Selection {
    std::optional<CpuPath> path;
    std::string problem;
  };
  static const Selection selection = [] {
    const char* setting = std::getenv("VPUCOST_CPU");
    try {
      return Selection{cpu_path_for_setting(setting ? setting : "", widest_cpu_path()), {}};
    } catch (const Error& e) {
      return Selection{std::nullopt, e.what()};
    }
  }();
  if (!selection.path) throw Error(selection.problem);
  return *selection.path;
}

const MathKernels& math_kernels(CpuPath p) {
  if (!cpu_supports(p)) throw Error(cannot_run(p, widest_cpu_path()));
  switch (p) {
    case CpuPath::Generic:
      return isa_generic::kernels();
    case CpuPath::Avx2:
      return isa_avx2::kernels();
    case CpuPath::Avx512:
      return isa_avx512::kernels();
  }
  throw Error("invalid CPU path value " + std::to_string(static_cast<int>(p)));
}

const MathKernels& math_kernels() {
  static const MathKernels* selected = &math_kernels(selected_cpu_path());
  return *selected;
}

}  // namespace vpucost
