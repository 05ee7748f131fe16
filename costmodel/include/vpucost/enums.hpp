#pragma once
// The categorical fields of a workload. Names are spelled exactly as in the
// recording CSV files (VPUNN's spelling), and every enum can be converted to
// and from that name. The numeric values are stable: datasets and model files
// store them, so append new members at the end only.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace vpucost {

enum class Device : std::uint8_t { VPU_2_0, VPU_2_7, VPU_4_0, NPU_5_0 };
enum class Operation : std::uint8_t {
  CONVOLUTION,
  DW_CONVOLUTION,
  CM_CONVOLUTION,
  ELTWISE,
  MAXPOOL,
  AVEPOOL,
};
/// HF8 is an 8-bit float (NPU_5_0 only).
enum class DType : std::uint8_t { UINT8, FLOAT16, HF8 };
enum class ExecutionMode : std::uint8_t {
  VECTOR,
  MATRIX,
  VECTOR_FP16,
  CUBOID_16x16,
  CUBOID_8x16,
  CUBOID_4x16,
};
/// The activation the DPU's post-processing applies to a workload's output.
enum class ActivationFunction : std::uint8_t { NONE, RELU, LRELU };
/// Inter-slice strategy: how the layer a workload belongs to is split over
/// tiles (VPUNN's ISIStrategy).
enum class IsiStrategy : std::uint8_t { CLUSTERING, SPLIT_OVER_H, SPLIT_OVER_K };

/// The three kinds of work a layer puts on the device, each costed by its own
/// kind of model: DPU workloads, SHAVE (DSP) operations, DMA transfers.
enum class WorkloadKind : std::uint8_t { dpu, shave, dma };
/// SHAVE operations, spelled as the v2 teacher data spells them.
enum class ShaveOp : std::uint8_t {
  sigmoid,
  hswish,
  hsigmoid,
  swish,
  gelu,
  tanh,
  elu,
  mish,
  clamp,
  relu,
  prelu,
  add,
  mul,
  softmax,
  mvn,
  depth_to_space,
  interpolate,
};
/// Which way a DMA transfer moves a tensor: into a tile's memory or out of it.
enum class DmaDirection : std::uint8_t { DDR_TO_CMX, CMX_TO_DDR };
/// How a layer is spread over the device's tiles (layer_strategy.hpp).
enum class TilingStrategy : std::uint8_t { CLUSTERING, SOHO, SOK, SOW, SOHO_K_SWITCH };
/// How a DMA model's curves were made (dma_model.hpp).
enum class DmaMethod : std::uint8_t { fitted, roofline };

/// Name table of an enum: `names[i]` is the spelling of the member with value i.
template <class E>
struct EnumInfo;

template <>
struct EnumInfo<Device> {
  static constexpr std::string_view kind = "device";
  static constexpr std::array<std::string_view, 4> names{"VPU_2_0", "VPU_2_7", "VPU_4_0",
                                                         "NPU_5_0"};
};
template <>
struct EnumInfo<Operation> {
  static constexpr std::string_view kind = "operation";
  static constexpr std::array<std::string_view, 6> names{
      "CONVOLUTION", "DW_CONVOLUTION", "CM_CONVOLUTION", "ELTWISE", "MAXPOOL", "AVEPOOL"};
};
template <>
struct EnumInfo<DType> {
  static constexpr std::string_view kind = "dtype";
  static constexpr std::array<std::string_view, 3> names{"UINT8", "FLOAT16", "HF8"};
};
template <>
struct EnumInfo<ExecutionMode> {
  static constexpr std::string_view kind = "execution mode";
  static constexpr std::array<std::string_view, 6> names{
      "VECTOR", "MATRIX", "VECTOR_FP16", "CUBOID_16x16", "CUBOID_8x16", "CUBOID_4x16"};
};
template <>
struct EnumInfo<ActivationFunction> {
  static constexpr std::string_view kind = "activation function";
  static constexpr std::array<std::string_view, 3> names{"NONE", "RELU", "LRELU"};
};
template <>
struct EnumInfo<IsiStrategy> {
  static constexpr std::string_view kind = "ISI strategy";
  static constexpr std::array<std::string_view, 3> names{"CLUSTERING", "SPLIT_OVER_H",
                                                         "SPLIT_OVER_K"};
};

template <>
struct EnumInfo<WorkloadKind> {
  static constexpr std::string_view kind = "workload kind";
  static constexpr std::array<std::string_view, 3> names{"dpu", "shave", "dma"};
};
template <>
struct EnumInfo<ShaveOp> {
  static constexpr std::string_view kind = "SHAVE operation";
  static constexpr std::array<std::string_view, 17> names{
      "sigmoid", "hswish",  "hsigmoid", "swish",          "gelu",       "tanh",
      "elu",     "mish",    "clamp",    "relu",           "prelu",      "add",
      "mul",     "softmax", "mvn",      "depth_to_space", "interpolate"};
};
template <>
struct EnumInfo<DmaDirection> {
  static constexpr std::string_view kind = "DMA direction";
  static constexpr std::array<std::string_view, 2> names{"DDR_TO_CMX", "CMX_TO_DDR"};
};
template <>
struct EnumInfo<TilingStrategy> {
  static constexpr std::string_view kind = "tiling strategy";
  static constexpr std::array<std::string_view, 5> names{"CLUSTERING", "SOHO", "SOK", "SOW",
                                                         "SOHO_K_SWITCH"};
};
template <>
struct EnumInfo<DmaMethod> {
  static constexpr std::string_view kind = "DMA model method";
  static constexpr std::array<std::string_view, 2> names{"fitted", "roofline"};
};

template <class E>
constexpr std::size_t enum_count() {
  return EnumInfo<E>::names.size();
}

template <class E>
constexpr std::string_view to_string(E value) {
  const auto i = static_cast<std::size_t>(value);
  return i < EnumInfo<E>::names.size() ? EnumInfo<E>::names[i] : std::string_view{"<invalid>"};
}

/// Exact, case-sensitive match of a name; std::nullopt when unknown.
template <class E>
constexpr std::optional<E> try_parse(std::string_view name) {
  for (std::size_t i = 0; i < EnumInfo<E>::names.size(); ++i) {
    if (EnumInfo<E>::names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

/// Like try_parse, but throws vpucost::Error listing the accepted names.
template <class E>
E parse(std::string_view name);

/// "a, b or c" list of all accepted names, for error messages and --help.
template <class E>
std::string names_list();

/// Whether a stored small integer is a valid member (files carry raw values).
template <class E>
constexpr bool is_valid_enum_value(std::int64_t value) {
  return value >= 0 && value < static_cast<std::int64_t>(EnumInfo<E>::names.size());
}

}  // namespace vpucost
