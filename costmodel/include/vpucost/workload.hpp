#pragma once
// The workload descriptor: one DPU operation with its tensors, as recorded by
// profilers and as VPUNN describes it, plus the fields the compiler sets
// (activation, sparsity, output write tiles, inter-slice strategy). A
// Workload is a plain value; validate() checks that it describes something a
// DPU could execute, and as_executed() gives the form the hardware actually
// runs (channels padded to 16, ...).
#include <cstdint>
#include <optional>
#include <string>

#include "vpucost/enums.hpp"

namespace vpucost {

struct Tensor {
  std::int64_t width = 1;
  std::int64_t height = 1;
  std::int64_t channels = 1;
  DType dtype = DType::UINT8;
  bool operator==(const Tensor&) const = default;
};

struct Padding {
  std::int64_t top = 0;
  std::int64_t bottom = 0;
  std::int64_t left = 0;
  std::int64_t right = 0;
  bool operator==(const Padding&) const = default;
};

struct Workload {
  Device device = Device::VPU_2_7;
  Operation operation = Operation::CONVOLUTION;
  Tensor input;
  Tensor output;
  std::int64_t kernel_w = 1;
  std::int64_t kernel_h = 1;
  std::int64_t stride_w = 1;
  std::int64_t stride_h = 1;
  Padding padding;
  ExecutionMode mode = ExecutionMode::CUBOID_16x16;

  // The compiler's fields. Their defaults are VPUNN's, and a workload with
  // all of them at the default is exactly a v1 workload (recordings and
  // models from before these fields existed describe such workloads).
  ActivationFunction activation = ActivationFunction::NONE;  ///< applied to the output
  double input_sparsity = 0.0;          ///< activation sparsity rate in [0, 1); 0 = dense
  double weight_sparsity = 0.0;         ///< weight sparsity rate in [0, 1); ELTWISE: second operand
  std::int64_t output_write_tiles = 1;  ///< tiles the output is written to (> 1: broadcast)
  IsiStrategy isi_strategy = IsiStrategy::CLUSTERING;

  bool operator==(const Workload&) const = default;
};

/// Padded unequally on opposite sides: a halo piece of a layer split over
/// rows or columns (padding only at the tensor border). No DPU recording is
/// (the profiled workloads are padded alike on both sides); rows made from
/// layer recordings (layer_training_rows.hpp) are.
constexpr bool one_sided_padding(const Workload& w) {
  return w.padding.top != w.padding.bottom || w.padding.left != w.padding.right;
}

/// Whether every compiler field of `w` is at its default (a v1 workload).
constexpr bool has_default_compiler_fields(const Workload& w) {
  return w.activation == ActivationFunction::NONE && w.input_sparsity == 0.0 &&
         w.weight_sparsity == 0.0 && w.output_write_tiles == 1 &&
         w.isi_strategy == IsiStrategy::CLUSTERING;
}

/// Whether `op` (as given, before as_executed) may carry sparsity: VPUNN
/// takes it on CONVOLUTION with at least 16 input channels and on ELTWISE.
constexpr bool takes_sparsity(Operation op, std::int64_t input_channels) {
  return op == Operation::ELTWISE || (op == Operation::CONVOLUTION && input_channels >= 16);
}

/// Largest accepted width, height, channel count, kernel or stride. Far above
/// any real DPU workload; it keeps every derived size far from overflow.
inline constexpr std::int64_t kMaxDimension = std::int64_t{1} << 20;

/// The DPU computes channels in groups of 16: 1->16, 16->16, 17->32, 65->80.
constexpr std::int64_t padded_channels(std::int64_t channels) {
  return (channels + 15) / 16 * 16;
}

/// floor((in + pad_a + pad_b - kernel) / stride) + 1, or 0 when the kernel
/// does not fit into the padded input.
constexpr std::int64_t expected_output_size(std::int64_t in, std::int64_t pad_a, std::int64_t pad_b,
                                            std::int64_t kernel, std::int64_t stride) {
  const std::int64_t span = in + pad_a + pad_b - kernel;
  return span < 0 || stride <= 0 ? 0 : span / stride + 1;
}

/// True for operations whose output channels equal their input channels and
/// that have one weight (or none) per channel.
constexpr bool is_channelwise(Operation op) {
  return op == Operation::DW_CONVOLUTION || op == Operation::MAXPOOL || op == Operation::AVEPOOL ||
         op == Operation::ELTWISE;
}

/// The first thing wrong with `w`, as a message naming the field and the
/// values involved; std::nullopt when `w` is valid. Never allocates for a
/// valid workload, so it is cheap on the prediction path.
std::optional<std::string> find_problem(const Workload& w);

/// Throws vpucost::Error with find_problem's message when `w` is invalid.
void validate(const Workload& w);

/// The workload as the DPU runs it (`w` must be valid):
///  - channels padded to a multiple of 16 (the input channels of a
///    CM_CONVOLUTION stay as they are: channel-major input is not padded);
///  - AVEPOOL runs as a DW_CONVOLUTION with constant weights;
///  - on generations with small_conv_runs_as_cm, a CONVOLUTION with fewer
///    than 16 input channels runs as CM_CONVOLUTION.
/// Two workloads with the same executed form cost the same.
Workload as_executed(const Workload& w);
/// as_executed(w).operation, without copying the workload.
Operation executed_operation(const Workload& w);

/// VPUNN's dual-sparsity rule: the DPU exploits one sparsity at a time, so a
/// workload with both input and weight sparsity costs the cheaper of the
/// two workloads that keep only one of them. Those two (input sparsity only,
/// weight sparsity only), or std::nullopt unless both rates are > 0.
struct SparsityVariants {
  Workload input_only;
  Workload weight_only;
};
std::optional<SparsityVariants> dual_sparsity_variants(const Workload& w);

/// Work and traffic of a workload, computed on the form given (call it on
/// as_executed(w) to count what the hardware does).
struct WorkloadCounts {
  double macs;          ///< multiply-accumulates (ELTWISE: one per output element)
  double input_bytes;   ///< activations read (ELTWISE reads two inputs)
  double output_bytes;  ///< activations written
  double weight_bytes;  ///< weights read (pooling and ELTWISE have none)
};
WorkloadCounts count_work(const Workload& w);

/// One-line human description, e.g.
/// "VPU_2_7 CONVOLUTION 56x56x64 -> 56x56x64 k3x3 s1x1 p1,1,1,1 UINT8->UINT8 CUBOID_16x16";
/// compiler fields follow only where they are not at their default
/// (" RELU isp0.5 wsp0.25 owt2 SPLIT_OVER_K").
std::string describe(const Workload& w);

}  // namespace vpucost
