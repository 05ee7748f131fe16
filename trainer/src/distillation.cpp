#include "vpucost/distillation.hpp"

#include <array>
#include <cmath>
#include <map>

#include "random.hpp"
#include "vpucost/device.hpp"
#include "vpucost/error.hpp"
#include "vpucost/workload_limits.hpp"

namespace vpucost {
namespace {

// What a synthetic workload takes from its donor row. Kernel, stride and
// padding travel together: they were chosen together (e.g. "same" padding
// for the kernel), and mixing them would make shapes no network has.
enum Factor : unsigned {
  kSpatial,
  kInputChannels,
  kOutputChannels,
  kWindow,
  kDataTypes,
  kMode,
  kCompilerFields,
  kFactorCount
};

void take(Workload& w, const Workload& donor, Factor f) {
  switch (f) {
    case kSpatial:
      w.input.width = donor.input.width;
      w.input.height = donor.input.height;
      break;
    case kInputChannels:
      w.input.channels = donor.input.channels;
      break;
    case kOutputChannels:
      w.output.channels = donor.output.channels;
      break;
    case kWindow:
      w.kernel_w = donor.kernel_w;
      w.kernel_h = donor.kernel_h;
      w.stride_w = donor.stride_w;
      w.stride_h = donor.stride_h;
      w.padding = donor.padding;
      break;
    case kDataTypes:
      w.input.dtype = donor.input.dtype;
      w.output.dtype = donor.output.dtype;
      break;
    case kMode:
      w.mode = donor.mode;
      break;
    case kCompilerFields:
      // Activation, sparsity, output write tiles and ISI strategy were set
      // together by the compiler (e.g. SPLIT_OVER_K with a broadcast).
      w.activation = donor.activation;
      w.input_sparsity = donor.input_sparsity;
      w.weight_sparsity = donor.weight_sparsity;
      w.output_write_tiles = donor.output_write_tiles;
      w.isi_strategy = donor.isi_strategy;
      break;
    case kFactorCount:
      break;
  }
}

std::size_t below(std::mt19937_64& rng, std::size_t n) {
  return static_cast<std::size_t>(rng() % n);
}

}  // namespace

std::vector<Workload> synthesize_workloads(const Dataset& data, std::span<const std::size_t> rows,
                                           std::size_t count, std::uint64_t seed) {
  if (rows.empty()) throw Error("no training rows to make synthetic workloads from");
  std::map<Operation, std::vector<std::size_t>> by_operation;
  for (const std::size_t r : rows) by_operation[data.workloads.at(r).operation].push_back(r);

  auto rng = detail::stream(seed, detail::kSyntheticWorkloads);
  std::vector<Workload> out;
  out.reserve(count);
  const std::size_t max_draws = 100 * count + 1000;
  for (std::size_t draw = 0; out.size() < count; ++draw) {
    if (draw == max_draws) {
      throw Error("only " + std::to_string(out.size()) + " of " + std::to_string(count) +
                  " synthetic workloads made in " + std::to_string(draw) + " draws from " +
                  data.source + ": mixes of its rows are rarely valid workloads that fit in the " +
                  "tile memory");
    }
    Workload w = data.workloads[rows[below(rng, rows.size())]];
    const auto& same_op = by_operation[w.operation];
    // Choose 1-3 distinct factors: a partial Fisher-Yates over all of them.
    std::array<unsigned, kFactorCount> factors{};
    for (unsigned i = 0; i < kFactorCount; ++i) factors[i] = i;
    const std::size_t replaced = 1 + below(rng, 3);
    for (std::size_t i = 0; i < replaced; ++i) {
      std::swap(factors[i], factors[i + below(rng, kFactorCount - i)]);
      take(w, data.workloads[same_op[below(rng, same_op.size())]], Factor(factors[i]));
    }
    if (is_channelwise(w.operation)) {
      if (rng() & 1) {
        w.output.channels = w.input.channels;
      } else {
        w.input.channels = w.output.channels;
      }
    }
    w.output.width = expected_output_size(w.input.width, w.padding.left, w.padding.right,
                                          w.kernel_w, w.stride_w);
    w.output.height = expected_output_size(w.input.height, w.padding.top, w.padding.bottom,
                                           w.kernel_h, w.stride_h);
    // A recorded DPU workload always fits in the tile memory; a mix that
    // does not is outside what the teachers learnt from, and fitting their
    // guesses there would spend the student's capacity where no query goes.
    if (!find_problem(w) && fits_in_cmx(w)) out.push_back(w);
  }
  return out;
}

Dataset label_with_teachers(std::vector<Workload> workloads, std::span<const CostModel> teachers,
                            std::string source) {
  if (teachers.empty()) throw Error("distillation needs at least one teacher model");
  Dataset d;
  d.source = std::move(source);
  d.cycles.assign(workloads.size(), 0.0);
  std::vector<double> predicted(workloads.size());
  for (std::size_t t = 0; t < teachers.size(); ++t) {
    for (const Workload& w : workloads) {
      if (w.device != teachers[t].device()) {
        throw Error("teacher " + std::to_string(t + 1) + " is a " +
                    std::string(to_string(teachers[t].device())) + " model, the data is for " +
                    std::string(to_string(w.device)));
      }
    }
    teachers[t].predict_cycles(workloads, predicted);
    for (std::size_t i = 0; i < workloads.size(); ++i) d.cycles[i] += std::log(predicted[i]);
  }
  for (double& c : d.cycles) c = std::exp(c / static_cast<double>(teachers.size()));
  d.workloads = std::move(workloads);
  return d;
}

}  // namespace vpucost
