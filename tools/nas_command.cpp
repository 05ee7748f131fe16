// vpucost nas: latency-constrained evolutionary architecture search (SPOS,
// with HURRICANE's two-stage option) through the search space's latency
// table, with an external evaluator command or the built-in capacity proxy.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "nas_cli.hpp"
#include "vpucost/arch_complexity.hpp"
#include "vpucost/arch_export.hpp"
#include "vpucost/atomic_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/evaluator.hpp"
#include "vpucost/evolution.hpp"
#include "vpucost/net_config.hpp"
#include "vpucost/space_reduction.hpp"

namespace vpucost::cli {
namespace {

using namespace vpucost::nas;

// The latency limit: --latency-ms, or the latency of a net config.
double latency_limit(const po::variables_map& vm, const NasSetup& setup) {
  if (vm.count("latency-ms") == vm.count("latency-of")) {
    throw Error("give the latency limit as --latency-ms T or --latency-of net.json (one of them)");
  }
  if (vm.count("latency-ms")) {
    const double t = vm["latency-ms"].as<double>();
    if (!std::isfinite(t) || t <= 0) throw Error("--latency-ms must be a positive number");
    return t;
  }
  return net_latency_ms(load_net_config(vm["latency-of"].as<std::string>()), setup);
}

// The best architecture whose net config `vpucost net` also costs within the
// limit. The search sums per-block table entries; `net` sums the cycles of
// all layers first, which can differ in the last bit, so an architecture
// right at the limit is checked the way `net` will see it. In device mode a
// whole network also differs from its entries by where each block's first
// weight fetch hides (behind the block before it, not its own last node: a
// fraction of a per cent, network/NETWORK.md section 12), so when no
// architecture of the final archive fits, every other one evaluated is
// tried, best score first: the winner is always one the search evaluated and
// `net` costs within the limit. `checked` counts the architectures costed as
// whole networks.
std::size_t checked_winner(const SearchResult& result, const SearchSpace& space,
                           const NasSetup& setup, double limit, double& net_ms,
                           std::size_t& checked) {
  // The archive's ranking continues past its top_k: in device mode every
  // architecture evaluated, else the archive only.
  std::vector<std::size_t> order = result.top;
  if (setup.costing.mode == LatencyMode::device) order = result.ranked();
  checked = 0;
  for (const std::size_t i : order) {
    ++checked;
    net_ms = net_latency_ms(
        net_config_from_architecture(space, result.evaluated[i].arch, setup.resolution), setup);
    if (net_ms <= limit) return i;
  }
  if (setup.costing.mode == LatencyMode::device) {
    throw Error("none of the " + std::to_string(result.evaluated.size()) +
                " architectures evaluated costs at most " + fixed_text(limit, 6) +
                " ms as a whole network in device mode (the search's table sums fall short of "
                "the networks' in-order weight fetches); raise --latency-ms");
  }
  throw Error("no architecture of the final archive costs at most " + fixed_text(limit, 6) +
              " ms as a whole network (rounding at the limit); raise --latency-ms slightly");
}

int positive(const po::variables_map& vm, const char* name, int min) {
  const int v = vm[name].as<int>();
  if (v < min) {
    throw Error(std::string("--") + name + " must be at least " + std::to_string(min) + ", got " +
                std::to_string(v));
  }
  return v;
}

int depth(const SearchSpace& space, const Architecture& arch) {
  int n = 0;
  for (std::size_t p = 0; p < arch.size(); ++p) {
    const Candidate& c = space.positions[p].candidates[std::size_t(arch[p])];
    n += !c.zero && c.op != BlockOp::SrUpsample;  // an SR net's tail is not a block
  }
  return n;
}

nlohmann::ordered_json arch_json(const SearchSpace& space, const ComplexityTable& complexity,
                                 const EvaluatedArchitecture& a) {
  nlohmann::ordered_json names = nlohmann::ordered_json::array();
  for (std::size_t p = 0; p < a.arch.size(); ++p) {
    names.push_back(space.positions[p].candidates[std::size_t(a.arch[p])].name());
  }
  const Complexity c = complexity.architecture(a.arch);
  return {{"latency_ms", a.latency_ms},
          {"score", a.score},
          {"depth", depth(space, a.arch)},
          {"macs", c.macs},
          {"params", c.params},
          {"generation", a.generation},
          {"stage", a.stage},
          {"architecture", names},
          {"indices", a.arch}};
}

}  // namespace

int run_nas(const std::vector<std::string>& args) {
  po::options_description options("nas options");
  add_costing_options(options);
  add_space_options(options);
  const EvolutionOptions defaults;
  // clang-format off
  options.add_options()
      ("latency-ms", po::value<double>(), "hard latency limit T in milliseconds")
      ("latency-of", po::value<std::string>(),
       "use the latency of this net config as the limit, e.g. nets/mobilenetv2.json")
      ("evaluator", po::value<std::string>(),
       "command that scores an architecture: gets its net-config JSON on stdin (sr-edsr: the SR "
       "config), prints the score (higher is better, e.g. accuracy or PSNR) as its last line; "
       "without it, the ln(MACs*params) proxy")
      ("evaluator-timeout", po::value<double>()->default_value(600),
       "seconds an evaluator run may take before it is killed")
      ("two-stage", po::value<int>()->default_value(0),
       "t > 0: search the later positions first with the first t fixed to their top-scored ops, "
       "then the first t")
      ("score-exponent", po::value<double>()->default_value(ReductionOptions{}.exponent),
       "a in HURRICANE's (MACs*params)^a / latency, for --two-stage's top-scored ops")
      ("seed", po::value<std::uint64_t>()->default_value(0), "random seed (same seed, same result)")
      ("population", po::value<int>()->default_value(defaults.population), "population size")
      ("top-k", po::value<int>()->default_value(defaults.top_k), "archive of parents")
      ("generations", po::value<int>()->default_value(defaults.generations),
       "generations after the first population (per stage)")
      ("mutations", po::value<int>()->default_value(defaults.mutation_count),
       "children by mutation per generation")
      ("crossovers", po::value<int>()->default_value(defaults.crossover_count),
       "children by crossover per generation")
      ("mutation-prob", po::value<double>()->default_value(defaults.mutation_prob),
       "probability that a mutation redraws each position")
      ("out", po::value<std::string>(), "write the best architecture here as net-config JSON")
      ("pareto", po::value<std::string>(),
       "write every evaluated architecture's latency and score as CSV (Pareto front marked)")
      ("show", po::value<int>()->default_value(5), "how many of the best to print")
      ("json", "print a JSON summary instead of the table")
      ("quiet", "no progress messages");
  // clang-format on
  po::variables_map vm;
  if (!parse_options("nas",
                     "[--model M.h5 | --device D] [--space proxyless] --latency-ms T "
                     "[--evaluator CMD] [--two-stage t] [--seed S] --out best.json "
                     "[--pareto front.csv] [--json]",
                     options, args, vm)) {
    return 0;
  }
  if (!vm.count("out")) throw Error("--out best.json is required");
  require_outputs_apart(vm, {"out", "pareto"});
  require_writable("--out", vm["out"].as<std::string>());
  if (vm.count("pareto")) require_writable("--pareto", vm["pareto"].as<std::string>());

  const NasSetup setup = nas_setup(vm);
  require_net_config_space(setup.space);
  const LatencyTable table = nas_table(setup);
  const double network_terms = network_terms_ms(setup, table);
  const FlatLatencyTable latency(table, network_terms);
  const ComplexityTable complexity(table);

  EvolutionOptions o;
  o.latency_limit_ms = latency_limit(vm, setup);
  o.population = positive(vm, "population", 1);
  o.top_k = positive(vm, "top-k", 1);
  o.generations = positive(vm, "generations", 0);
  o.mutation_count = positive(vm, "mutations", 0);
  o.crossover_count = positive(vm, "crossovers", 0);
  o.mutation_prob = vm["mutation-prob"].as<double>();
  o.seed = vm["seed"].as<std::uint64_t>();
  o.two_stage = positive(vm, "two-stage", 0);
  if (o.two_stage == 0 && !vm["score-exponent"].defaulted()) {
    throw Error("--score-exponent applies to --two-stage (its top-scored operators) only");
  }
  if (!vm.count("evaluator") && !vm["evaluator-timeout"].defaulted()) {
    throw Error("--evaluator-timeout applies to --evaluator only");
  }
  if (o.two_stage > 0) {
    o.stage1_fixed = top_scored_architecture(setup.space, table, vm["score-exponent"].as<double>());
  }
  const Architecture fastest = latency.fastest();
  if (latency.latency_ms(fastest) > o.latency_limit_ms) {
    throw Error("latency limit " + fixed_text(o.latency_limit_ms, 4) +
                " ms is below the fastest architecture of space '" + setup.space.name + "' (" +
                fixed_text(latency.latency_ms(fastest), 4) +
                " ms: " + architecture_names(setup.space, fastest) + ")");
  }

  std::unique_ptr<Evaluator> evaluator;
  if (vm.count("evaluator")) {
    const double timeout = vm["evaluator-timeout"].as<double>();
    if (!std::isfinite(timeout) || timeout <= 0 || timeout > 1e7) {
      throw Error("--evaluator-timeout must be a positive number of seconds");
    }
    CommandEvaluatorOptions eo;
    eo.timeout = std::chrono::milliseconds(std::llround(timeout * 1000.0));
    eo.resolution = setup.resolution;
    evaluator =
        std::make_unique<CommandEvaluator>(setup.space, vm["evaluator"].as<std::string>(), eo);
  } else {
    evaluator = std::make_unique<ProxyEvaluator>(complexity);
  }

  check_evolution_options(latency, o);  // before the summary line: one line if bad
  spdlog::logger log("nas", std::make_shared<spdlog::sinks::stderr_sink_st>());
  log.set_pattern("%v");
  const bool quiet = vm.count("quiet") > 0;
  if (!quiet) {
    log.info(
        "nas: space {} at {} on {} {} ({}, {} mode), limit {} ms, fastest {} ms{}; fitness: {}",
        setup.space.name, setup.resolution, to_string(setup.costing.device),
        to_string(setup.costing.dtype), setup.costing.loaded.description,
        to_string(setup.costing.mode), fixed_text(o.latency_limit_ms, 4),
        fixed_text(latency.latency_ms(fastest), 4),
        network_terms > 0 ? " (table entries + " + fixed_text(network_terms, 4) +
                                " ms of the network's own input, output and first fetch)"
                          : std::string(),
        evaluator->description());
  }
  const GenerationObserver progress = [&](const GenerationReport& r) {
    if (quiet) return;
    log.info("nas: {}generation {:>3}/{}  best score {:.6g} at {} ms  evaluated {} (+{})  {:.2f} s",
             r.stages > 1 ? "stage " + std::to_string(r.stage) + "/2 " : std::string(),
             r.generation, r.generations, r.best->score, fixed_text(r.best->latency_ms, 4),
             r.evaluated, r.new_candidates, r.elapsed_seconds);
  };
  const auto start = std::chrono::steady_clock::now();
  const SearchResult result = evolutionary_search(latency, *evaluator, o, progress);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  double best_net_ms = 0.0;
  std::size_t checked = 0;
  const std::size_t winner =
      checked_winner(result, setup.space, setup, o.latency_limit_ms, best_net_ms, checked);
  const EvaluatedArchitecture& best = result.evaluated[winner];
  const std::string out = vm["out"].as<std::string>();
  write_file_atomically(out,
                        architecture_net_config_json(setup.space, best.arch, setup.resolution));
  if (vm.count("pareto")) {
    write_file_atomically(vm["pareto"].as<std::string>(),
                          pareto_csv(setup.space, result.evaluated));
  }

  const std::size_t show = std::min(result.top.size(), std::size_t(positive(vm, "show", 0)));
  if (vm.count("json")) {
    nlohmann::ordered_json j{{"space", setup.space.name},
                             {"resolution", setup.resolution},
                             {"device", std::string(to_string(setup.costing.device))},
                             {"dtype", std::string(to_string(setup.costing.dtype))},
                             {"source", table.source},
                             {"mode", std::string(to_string(setup.costing.mode))},
                             {"network_terms_ms", network_terms},
                             {"latency_limit_ms", o.latency_limit_ms},
                             {"min_latency_ms", result.min_latency_ms},
                             {"evaluator", evaluator->description()},
                             {"seed", o.seed},
                             {"two_stage", o.two_stage},
                             {"evaluated", result.evaluated.size()},
                             {"seconds", seconds},
                             {"out", out},
                             {"best", arch_json(setup.space, complexity, best)},
                             {"best_net_latency_ms", best_net_ms},
                             {"checked_as_networks", checked},
                             {"top", nlohmann::ordered_json::array()}};
    for (std::size_t i = 0; i < show; ++i) {
      j["top"].push_back(arch_json(setup.space, complexity, result.evaluated[result.top[i]]));
    }
    std::cout << j.dump(1) << "\n";
  } else {
    std::cout << "best of " << result.evaluated.size() << " architectures evaluated under "
              << fixed_text(o.latency_limit_ms, 4) << " ms (space " << setup.space.name << ", "
              << to_string(setup.costing.device) << ", " << to_string(setup.costing.mode)
              << " mode, " << table.source << "; fitness " << evaluator->description() << "):\n\n";
    std::printf("%-4s %10s %12s %5s %8s %7s  %s\n", "rank", "latency_ms", "score", "depth", "MMACs",
                "Mparams", "architecture");
    for (std::size_t i = 0; i < show; ++i) {
      const EvaluatedArchitecture& a = result.evaluated[result.top[i]];
      const Complexity c = complexity.architecture(a.arch);
      std::printf("%-4zu %10.4f %12.6g %5d %8.1f %7.2f  %s\n", i + 1, a.latency_ms, a.score,
                  depth(setup.space, a.arch), c.macs / 1e6, c.params / 1e6,
                  architecture_names(setup.space, a.arch).c_str());
    }
    std::fflush(stdout);
  }
  if (!quiet) {
    log.info("nas: wrote {} ({} ms, score {:.6g}; {} ms as a whole network){} in {:.2f} s", out,
             fixed_text(best.latency_ms, 4), best.score, fixed_text(best_net_ms, 4),
             vm.count("pareto") ? " and " + vm["pareto"].as<std::string>() : std::string(),
             seconds);
    if (checked > 1) {
      log.info(
          "nas: {} better-scored architecture(s) passed over: above the limit as whole "
          "networks",
          checked - 1);
    }
  }
  return 0;
}

}  // namespace vpucost::cli
