#pragma once
// The vectorised math of the runtime and the trainer, compiled once per
// instruction-set path and chosen when the process first needs it.
//
// Why: an installed vpucost must run on any x86-64, yet the MLP runs at the
// FMA limit only with the widest vectors the CPU has. So nothing is built
// with -march=native; instead costmodel/src/isa/math_kernels.cpp is compiled
// three times (generic x86-64 = SSE2, avx2 = AVX2+FMA+BMI2, avx512 = AVX-512
// F/BW/DQ/VL/CD on top), each copy with its own private Eigen namespace so
// that no inline function compiled for a wider path can be picked by the
// linker for a narrower one (tests/costmodel/isa_symbols_test.sh checks).
//
// The path: the widest one this CPU (and its OS) supports, unless the
// environment variable VPUCOST_CPU=generic|avx2|avx512|auto says otherwise.
// Every path computes the same sums; they may differ in the last bits (a
// fused multiply-add rounds once, SSE2's multiply then add twice; sums of
// different vector widths are ordered differently).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "vpucost/activation.hpp"

namespace vpucost {

enum class CpuPath : unsigned char { Generic, Avx2, Avx512 };
std::string_view to_string(CpuPath p);  ///< "generic", "avx2", "avx512"
/// "generic", "avx2", "avx512"; throws vpucost::Error naming the choices.
CpuPath parse_cpu_path(std::string_view name);

/// Every path, narrowest first.
std::span<const CpuPath> all_cpu_paths();
/// Whether this CPU and OS can run the path (cpuid and the OS's saved
/// vector state, as the compiler runtime reports them).
bool cpu_supports(CpuPath p);
/// The widest path cpu_supports.
CpuPath widest_cpu_path();
/// The path a VPUCOST_CPU value asks for on a CPU whose widest path is
/// `widest`: that one if the CPU has it, `widest` for "" or "auto"; throws
/// vpucost::Error naming the value and what is wrong otherwise.
CpuPath cpu_path_for_setting(std::string_view setting, CpuPath widest);
/// The process's path: VPUCOST_CPU if set (and not "auto"), else the widest.
/// Decided once; throws vpucost::Error if VPUCOST_CPU names no path or one
/// this CPU lacks (every call throws the same, so no caller misses it).
CpuPath selected_cpu_path();

using Index = std::ptrdiff_t;

/// One path's kernels. Matrices are column-major; ld* is the distance
/// between columns. Every kernel is safe to call from many threads at once.
struct MathKernels {
  CpuPath path;
  /// y[rows] = W x + b for one x (W: rows x cols). With sparse_input the
  /// columns whose x is zero are skipped (exact: they add nothing).
  void (*dense_single)(const float* w, Index rows, Index cols, const float* b, const float* x,
                       float* y, bool sparse_input) noexcept;
  /// dense_single from weights stored as bfloat16 pairs (`packed`: element
  /// p * rows + i = row i's weights of columns 2p and 2p + 1, low half
  /// first), `w` being the same weights as floats; null on a path without
  /// such a kernel (the caller then runs dense_single on `w`).
  void (*dense_single_bf16)(const std::uint32_t* packed, const float* w, Index rows, Index cols,
                            const float* b, const float* x, float* y) noexcept;
  /// dense_single_bf16 by the CPU's bfloat16 dot products, for an x whose
  /// values are bfloat16 already (a bf16 MLP's hidden inputs); null on a
  /// path or CPU without them.
  void (*dense_single_bf16_dot)(const std::uint32_t* packed, const float* w, Index rows, Index cols,
                                const float* b, const float* x, float* y) noexcept;
  /// Y(:, j) = W X(:, j) + b for j < columns. With sparse_input the inputs
  /// that are zero in every column are skipped (exact, as dense_single).
  void (*dense_batch)(const float* w, Index rows, Index cols, const float* b, const float* x,
                      Index ldx, float* y, Index ldy, Index columns, bool sparse_input) noexcept;
  /// dense_batch with W and X as bfloat16 pairs (W as dense_single_bf16;
  /// X(:, j) as `pairs` words from x + j * ldx, inputs 2p and 2p + 1 in word
  /// p), by the CPU's bfloat16 dot products; null on a path or CPU without
  /// them (the caller then runs dense_batch on the same values as floats).
  void (*dense_batch_bf16)(const std::uint32_t* w, Index rows, Index pairs, const float* b,
                           const std::uint32_t* x, Index ldx, float* y, Index ldy,
                           Index columns) noexcept;
  /// The first k values of each of `columns` columns of x as bfloat16 pairs
  /// for dense_batch_bf16 (out + j * ld_out); set with dense_batch_bf16.
  void (*pack_bf16_pairs)(const float* x, Index k, Index ldx, Index columns, std::uint32_t* out,
                          Index ld_out) noexcept;
  /// Rounds a rows x cols block to the nearest bfloat16 (ties to even), in
  /// place: the inputs of a bf16 MLP's hidden layers.
  void (*round_to_bf16)(float* v, Index rows, Index cols, Index ld) noexcept;
  /// The hidden activation in place on a rows x cols block.
  void (*activate)(Activation a, float* v, Index rows, Index cols, Index ld) noexcept;
  /// delta *= activation'(pre) (post = activation(pre), used by tanh).
  void (*activation_derivative)(Activation a, const float* pre, Index ld_pre, const float* post,
                                Index ld_post, float* delta, Index ld_delta, Index rows,
                                Index cols) noexcept;
  /// C (m x n) = op(A) op(B), op = transpose where asked; A is m x k after
  /// op, B is k x n after op. May allocate (blocking buffers of large sizes).
  void (*gemm)(bool transpose_a, bool transpose_b, Index m, Index n, Index k, const float* a,
               Index lda, const float* b, Index ldb, float* c, Index ldc);
  /// One AdamW update of n parameters in place (the trainer's AdamW::step,
  /// trainer/src/adam.cpp, which documents the coefficients): m and v are the
  /// moment estimates; p is first multiplied by `decay` where mask != 0.
  void (*adam_update)(float* p, const float* g, float* m, float* v, const float* mask,
                      std::size_t n, float b1, float b2, float decay, float step_size,
                      float inv_sqrt_bc2, float eps) noexcept;
};

/// The kernels of a path; throws vpucost::Error if this CPU cannot run it.
const MathKernels& math_kernels(CpuPath p);
/// The kernels of selected_cpu_path().
const MathKernels& math_kernels();

}  // namespace vpucost
