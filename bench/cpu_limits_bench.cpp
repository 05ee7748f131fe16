// The physical limits of this core that the MLP kernels run against (issue
// #20 item 4): the multiply-add throughput of each vector width, and how fast
// one core reads from L1 and from L2. bench/README.md sets the prediction
// paths' figures next to these.
//
// Each loop is written with intrinsics in a function compiled for its
// instruction set (target attributes; the binary stays portable), and is
// skipped on a CPU without it.
#include <benchmark/benchmark.h>
#include <immintrin.h>

#include <cstddef>
#include <cstdlib>
#include <memory>

#include "vpucost/cpu_kernels.hpp"

namespace {

using vpucost::cpu_supports;
using vpucost::CpuPath;

constexpr int kFmaSteps = 1 << 12;

// 12 independent accumulators hide the FMA latency (4-5 cycles) behind two
// units: the loop is bound by FMA throughput alone.
#define VPUCOST_FMA_LOOP(VEC, SET1, FMA, REDUCE)                                           \
  VEC a0 = SET1(1.0f), a1 = SET1(1.1f), a2 = SET1(1.2f), a3 = SET1(1.3f), a4 = SET1(1.4f); \
  VEC a5 = SET1(1.5f), a6 = SET1(1.6f), a7 = SET1(1.7f), a8 = SET1(1.8f), a9 = SET1(1.9f); \
  VEC a10 = SET1(2.0f), a11 = SET1(2.1f);                                                  \
  const VEC m = SET1(mul), c = SET1(add);                                                  \
  for (int i = 0; i < kFmaSteps; ++i) {                                                    \
    a0 = FMA(a0, m, c);                                                                    \
    a1 = FMA(a1, m, c);                                                                    \
    a2 = FMA(a2, m, c);                                                                    \
    a3 = FMA(a3, m, c);                                                                    \
    a4 = FMA(a4, m, c);                                                                    \
    a5 = FMA(a5, m, c);                                                                    \
    a6 = FMA(a6, m, c);                                                                    \
    a7 = FMA(a7, m, c);                                                                    \
    a8 = FMA(a8, m, c);                                                                    \
    a9 = FMA(a9, m, c);                                                                    \
    a10 = FMA(a10, m, c);                                                                  \
    a11 = FMA(a11, m, c);                                                                  \
  }                                                                                        \
  return REDUCE(a0) + REDUCE(a1) + REDUCE(a2) + REDUCE(a3) + REDUCE(a4) + REDUCE(a5) +     \
         REDUCE(a6) + REDUCE(a7) + REDUCE(a8) + REDUCE(a9) + REDUCE(a10) + REDUCE(a11);

// (Not _mm512_reduce_add_ps: GCC 12 warns falsely inside it, bug 105593.)
__attribute__((target("avx512f"))) float first_of_512(__m512 v) {
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, v);
  return lanes[0];
}
__attribute__((target("avx512f"))) float fma_loop_avx512(float mul, float add) {
  VPUCOST_FMA_LOOP(__m512, _mm512_set1_ps, _mm512_fmadd_ps, first_of_512)
}

__attribute__((target("avx2,fma"))) float first_of(__m256 v) {
  return _mm256_cvtss_f32(v);
}
__attribute__((target("avx2,fma"))) float fma_loop_avx2(float mul, float add) {
  VPUCOST_FMA_LOOP(__m256, _mm256_set1_ps, _mm256_fmadd_ps, first_of)
}

// SSE2 has no fused multiply-add: a multiply and an add per step.
float first_of_sse(__m128 v) {
  return _mm_cvtss_f32(v);
}
__m128 mul_add_sse(__m128 a, __m128 b, __m128 c) {
  return _mm_add_ps(_mm_mul_ps(a, b), c);
}
float fma_loop_generic(float mul, float add) {
  VPUCOST_FMA_LOOP(__m128, _mm_set1_ps, mul_add_sse, first_of_sse)
}
#undef VPUCOST_FMA_LOOP

template <float (*Loop)(float, float), int kLanes, CpuPath path>
void multiply_add_peak(benchmark::State& state) {
  if (!cpu_supports(path)) {
    state.SkipWithError("this CPU lacks the instruction set");
    return;
  }
  // Operands the compiler cannot see in every round, or it would compute
  // the loop once (or at compile time) instead of timing it.
  float mul = 0.999f, add = 0.001f;
  for (auto _ : state) {
    benchmark::DoNotOptimize(mul);
    benchmark::DoNotOptimize(add);
    benchmark::DoNotOptimize(Loop(mul, add));
  }
  // multiply-adds per second (one FMA = kLanes of them)
  state.counters["madds_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kFmaSteps * 12 * kLanes,
                         benchmark::Counter::kIsRate);
}
void BM_MultiplyAddPeak_avx512(benchmark::State& s) {
  multiply_add_peak<fma_loop_avx512, 16, CpuPath::Avx512>(s);
}
void BM_MultiplyAddPeak_avx2(benchmark::State& s) {
  multiply_add_peak<fma_loop_avx2, 8, CpuPath::Avx2>(s);
}
void BM_MultiplyAddPeak_generic(benchmark::State& s) {
  multiply_add_peak<fma_loop_generic, 4, CpuPath::Generic>(s);
}
BENCHMARK(BM_MultiplyAddPeak_avx512);
BENCHMARK(BM_MultiplyAddPeak_avx2);
BENCHMARK(BM_MultiplyAddPeak_generic);

// Reads `bytes` of a buffer with 64-byte loads into 8 accumulators (adds,
// not FMAs: two loads and two adds per cycle fit the ports), over and over.
__attribute__((target("avx512f"))) float read_avx512(const float* p, std::size_t bytes) {
  __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
  for (std::size_t i = 0; i < bytes / sizeof(float); i += 128) {
    s0 = _mm512_add_ps(s0, _mm512_load_ps(p + i));
    s1 = _mm512_add_ps(s1, _mm512_load_ps(p + i + 16));
    s2 = _mm512_add_ps(s2, _mm512_load_ps(p + i + 32));
    s3 = _mm512_add_ps(s3, _mm512_load_ps(p + i + 48));
    s4 = _mm512_add_ps(s4, _mm512_load_ps(p + i + 64));
    s5 = _mm512_add_ps(s5, _mm512_load_ps(p + i + 80));
    s6 = _mm512_add_ps(s6, _mm512_load_ps(p + i + 96));
    s7 = _mm512_add_ps(s7, _mm512_load_ps(p + i + 112));
  }
  const __m512 s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)),
                                 _mm512_add_ps(_mm512_add_ps(s4, s5), _mm512_add_ps(s6, s7)));
  return first_of_512(s);
}

// bytes: 16 KiB stays in the 32-48 KiB L1 of current cores; 512 KiB is past
// every L1 and inside every L2 of 1 MiB or more (the shipped model's 117 KiB
// of weights are between the two).
void BM_ReadBandwidth(benchmark::State& state) {
  if (!cpu_supports(CpuPath::Avx512)) {
    state.SkipWithError("this CPU lacks AVX-512");
    return;
  }
  const auto bytes = static_cast<std::size_t>(state.range(0));
  std::unique_ptr<float[], decltype(&std::free)> buffer(
      static_cast<float*>(std::aligned_alloc(64, bytes)), &std::free);
  for (std::size_t i = 0; i < bytes / sizeof(float); ++i) buffer[i] = 1e-3f;
  for (auto _ : state) {
    benchmark::ClobberMemory();  // the buffer may have changed: read it again
    benchmark::DoNotOptimize(read_avx512(buffer.get(), bytes));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_ReadBandwidth)->Arg(16 << 10)->Arg(512 << 10);

}  // namespace

BENCHMARK_MAIN();
