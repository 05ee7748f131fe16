// CommandEvaluator: the external-command protocol (evaluator.hpp).
#include <cstdio>
#include <cstring>
#include <string>

#include "subprocess.hpp"
#include "vpucost/error.hpp"
#include "vpucost/evaluator.hpp"
#include "vpucost/net_config.hpp"

namespace vpucost::nas {
namespace {

std::string seconds_text(std::chrono::milliseconds ms) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g s", double(ms.count()) / 1000.0);
  return buffer;
}

// The end of the command's stderr on one line, for the error message.
std::string stderr_tail(const std::string& err) {
  std::string flat;
  for (const char c : err) {
    if (c == '\n') {
      if (!flat.empty() && flat.back() != ' ') flat += " | ";
    } else if (c != '\r') {
      flat += (static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
    }
  }
  while (!flat.empty() && (flat.back() == ' ' || flat.back() == '|')) flat.pop_back();
  if (flat.empty()) return "; stderr was empty";
  constexpr std::size_t kMax = 400;
  if (flat.size() > kMax) flat = "..." + flat.substr(flat.size() - kMax);
  return "; stderr: " + flat;
}

std::string join_indices(std::span<const int> arch) {
  std::string s;
  for (const int c : arch) s += (s.empty() ? "" : ",") + std::to_string(c);
  return s;
}

}  // namespace

CommandEvaluator::CommandEvaluator(SearchSpace space, std::string command,
                                   CommandEvaluatorOptions options)
    : space_(std::move(space)), command_(std::move(command)), options_(options) {
  validate(space_);
  if (command_.find_first_not_of(" \t\n") == std::string::npos) {
    throw Error("evaluator command is empty");
  }
  if (options_.timeout.count() <= 0) throw Error("evaluator timeout must be positive");
}

std::string CommandEvaluator::description() const {
  return "command `" + command_ + "`";
}

double CommandEvaluator::score(std::span<const int> arch, const EvaluationContext& context) {
  const NetConfig config = net_config_from_architecture(space_, arch, options_.resolution);
  const std::string input = net_config_json(config);
  char latency[32];
  std::snprintf(latency, sizeof latency, "%.17g", context.latency_ms);
  const std::vector<std::string> env = {
      "VPUCOST_ARCH=" + join_indices(arch),
      "VPUCOST_ARCH_NAMES=" +
          [&] {
            std::string names = architecture_names(space_, arch);
            for (char& c : names) c = c == ' ' ? ',' : c;
            return names;
          }(),
      "VPUCOST_GENERATION=" + std::to_string(context.generation),
      "VPUCOST_STAGE=" + std::to_string(context.stage),
      "VPUCOST_LATENCY_MS=" + std::string(latency),
      "VPUCOST_RESOLUTION=" + std::to_string(options_.resolution),
  };
  detail::ProcessLimits limits;
  limits.timeout = options_.timeout;
  const detail::ProcessResult r = detail::run_shell_command(command_, input, env, limits);

  const std::string where = "evaluator `" + command_ + "` on architecture [" +
                            architecture_names(space_, arch) + "] (generation " +
                            std::to_string(context.generation) + ", stage " +
                            std::to_string(context.stage) + ")";
  if (r.interrupted_by != 0) {
    throw Error(where + ": interrupted by signal " + std::to_string(r.interrupted_by) + " (" +
                strsignal(r.interrupted_by) + "); the command was stopped");
  }
  if (r.timed_out) {
    throw Error(where + ": timed out after " + seconds_text(options_.timeout) +
                " (its process group was killed; see --evaluator-timeout)" + stderr_tail(r.err));
  }
  if (r.signal != 0) {
    throw Error(where + ": killed by signal " + std::to_string(r.signal) + " (" +
                strsignal(r.signal) + ")" + stderr_tail(r.err));
  }
  if (r.exit_code != 0) {
    throw Error(where + ": exited with code " + std::to_string(r.exit_code) + stderr_tail(r.err));
  }
  try {
    return parse_score(r.out);
  } catch (const Error& e) {
    throw Error(where + ": " + e.what() + stderr_tail(r.err));
  }
}

}  // namespace vpucost::nas
