// The NAS consumer from Python: the expected latency of a differentiable
// search (softmax over architecture parameters) with its gradient -- the
// package wraps it as a torch.autograd.Function -- and the constrained
// evolutionary search with a Python callable (or the MAC proxy) as evaluator.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "vpucost/error.hpp"
#include "vpucost/evaluator.hpp"
#include "vpucost/evolution.hpp"
#include "vpucost/expected_latency.hpp"
#include "vpucost/flat_latency.hpp"

namespace py = pybind11;

namespace vpucost::python {
namespace {

/// Scores an architecture with a Python callable (arch: list of candidate
/// indices, context: dict) -> float. The search runs with the GIL held: the
/// callable is the evaluator, nothing else runs meanwhile. A Python exception
/// in it ends the search and reaches the caller unchanged.
class CallableEvaluator final : public nas::Evaluator {
 public:
  explicit CallableEvaluator(py::function fn) : fn_(std::move(fn)) {}
  double score(std::span<const int> arch, const nas::EvaluationContext& context) override {
    py::dict ctx;
    ctx["generation"] = context.generation;
    ctx["stage"] = context.stage;
    ctx["latency_ms"] = context.latency_ms;
    const py::object result = fn_(std::vector<int>(arch.begin(), arch.end()), ctx);
    const double score = result.cast<double>();
    if (!std::isfinite(score)) {
      throw Error("the evaluator returned " + std::to_string(score) +
                  " for an architecture: scores must be finite");
    }
    return score;
  }
  std::string description() const override { return "Python callable"; }

 private:
  py::function fn_;
};

py::dict evaluated_dict(const nas::EvaluatedArchitecture& a) {
  py::dict d;
  d["arch"] = a.arch;
  d["latency_ms"] = a.latency_ms;
  d["score"] = a.score;
  d["generation"] = a.generation;
  d["stage"] = a.stage;
  return d;
}

}  // namespace

void bind_nas(py::module_& m) {
  m.def(
      "_expected_latency",
      [](const LatencyTable& table, const nas::ArchParams& alpha) {
        const nas::ExpectedLatency e = nas::expected_latency(nas::FlatLatencyTable(table), alpha);
        return py::make_tuple(e.ms, e.grad, e.probabilities);
      },
      py::arg("table"), py::arg("alpha"));

  m.def(
      "evolutionary_search",
      [](const LatencyTable& table, const py::object& evaluator, double latency_limit_ms,
         int population, int top_k, int generations, int mutation_count, int crossover_count,
         double mutation_prob, std::uint64_t seed) {
        const nas::FlatLatencyTable flat(table);
        std::unique_ptr<nas::Evaluator> eval;
        if (evaluator.is_none()) {
          eval = std::make_unique<nas::ProxyEvaluator>(nas::ComplexityTable(table));
        } else if (py::isinstance<py::function>(evaluator)) {
          eval = std::make_unique<CallableEvaluator>(evaluator.cast<py::function>());
        } else {
          throw Error(
              "evaluator= must be a callable (arch, context) -> score, or None for the "
              "MAC proxy");
        }
        nas::EvolutionOptions o;
        o.latency_limit_ms = latency_limit_ms;
        o.population = population;
        o.top_k = top_k;
        o.generations = generations;
        o.mutation_count = mutation_count;
        o.crossover_count = crossover_count;
        o.mutation_prob = mutation_prob;
        o.seed = seed;
        const nas::SearchResult r = nas::evolutionary_search(flat, *eval, o);
        py::list top;
        for (const std::size_t i : r.top) top.append(evaluated_dict(r.evaluated[i]));
        py::dict d;
        d["best"] = evaluated_dict(r.best());
        d["top"] = top;
        d["evaluated"] = r.evaluated.size();
        d["min_latency_ms"] = r.min_latency_ms;
        d["evaluator"] = eval->description();
        return d;
      },
      py::arg("table"), py::arg("evaluator") = py::none(), py::arg("latency_limit_ms"),
      py::arg("population") = 50, py::arg("top_k") = 10, py::arg("generations") = 20,
      py::arg("mutation_count") = 25, py::arg("crossover_count") = 25,
      py::arg("mutation_prob") = 0.1, py::arg("seed") = 0,
      "Constrained evolutionary search over a latency table's space: the best architectures "
      "whose latency is within latency_limit_ms, scored by evaluator(arch, context) -> float "
      "(higher is better; None: the MAC proxy).");
}

}  // namespace vpucost::python
