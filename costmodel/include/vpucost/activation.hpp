#pragma once
// The hidden activation of an MLP, shared by the runtime, the per-CPU kernels
// and the trainer. No Eigen here: the kernels of each instruction set are
// compiled against their own private copy of Eigen (cpu_kernels.hpp).
#include <cstdint>
#include <string_view>

namespace vpucost {

enum class Activation : std::uint8_t { ReLU, SiLU, Tanh, GELU };
std::string_view to_string(Activation a);
Activation parse_activation(std::string_view name);  ///< "relu", "silu", "tanh", "gelu"

}  // namespace vpucost
