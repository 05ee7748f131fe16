#pragma once
// Fitness of an architecture for the evolutionary search: higher is better.
//
//  - CommandEvaluator: runs a user command (through /bin/sh -c) with the
//    architecture's net-config JSON on stdin and reads its score from the
//    last non-empty line of stdout. This is where a real search plugs in its
//    supernet's validation accuracy.
//  - ProxyEvaluator: ln(MACs * params) of the whole network. A PROXY for
//    demos and tests: it rewards capacity and knows nothing about accuracy.
#include <chrono>
#include <span>
#include <string>
#include <string_view>

#include "vpucost/arch_complexity.hpp"
#include "vpucost/search_space.hpp"

namespace vpucost::nas {

/// What the search knows about the architecture being scored, for messages
/// and for the command's environment.
struct EvaluationContext {
  int generation = 0;
  int stage = 1;
  double latency_ms = 0.0;
};

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  /// The architecture's score (finite; higher is better). Throws
  /// vpucost::Error when it cannot be scored.
  virtual double score(std::span<const int> arch, const EvaluationContext& context) = 0;
  /// One line saying what the score is, for reports.
  virtual std::string description() const = 0;
};

class ProxyEvaluator final : public Evaluator {
 public:
  explicit ProxyEvaluator(ComplexityTable complexity) : complexity_(std::move(complexity)) {}
  /// ln(MACs) + ln(params) of the whole network.
  double score(std::span<const int> arch, const EvaluationContext& context) override;
  std::string description() const override;

 private:
  ComplexityTable complexity_;
};

/// The score in a command's output: the last non-empty line, surrounding
/// white space ignored, must be one finite decimal number (e.g. "0.7431",
/// "74.3", "-1e-3"). Throws vpucost::Error quoting the line otherwise.
double parse_score(std::string_view output);

struct CommandEvaluatorOptions {
  std::chrono::milliseconds timeout{600'000};  ///< per architecture
  int resolution = 224;                        ///< passed as VPUCOST_RESOLUTION
};

/// Runs `/bin/sh -c <command>` once per architecture with:
///  - stdin: the net-config JSON (net_config_json) of the architecture;
///  - environment: VPUCOST_ARCH (candidate indices, "0,3,6,..."),
///    VPUCOST_ARCH_NAMES ("k3_e1,k5_e3,zero,..."), VPUCOST_GENERATION,
///    VPUCOST_STAGE, VPUCOST_LATENCY_MS, VPUCOST_RESOLUTION, on top of the
///    caller's environment.
/// A non-zero exit, death by a signal, a timeout (the command's whole
/// process group is killed), or output without a score is a vpucost::Error
/// naming the architecture, the generation, the command and the tail of its
/// stderr. Never waits beyond the timeout and leaves no zombie process.
/// SIGINT / SIGTERM / SIGHUP received while the command runs are passed on
/// to its process group (Ctrl-C stops the evaluation too), then handled as
/// they would have been without us.
class CommandEvaluator final : public Evaluator {
 public:
  CommandEvaluator(SearchSpace space, std::string command, CommandEvaluatorOptions options = {});
  double score(std::span<const int> arch, const EvaluationContext& context) override;
  std::string description() const override;

 private:
  SearchSpace space_;
  std::string command_;
  CommandEvaluatorOptions options_;
};

/// "k3_e1 k5_e3 zero ..." -- the candidates' names in position order.
std::string architecture_names(const SearchSpace& space, std::span<const int> arch);

}  // namespace vpucost::nas
