// vpucost nas-space: hardware-aware search-space generation (HURRICANE):
// score every candidate by (MACs*params)^a / latency at its position, keep
// the best p, write the reduced space as user-space JSON.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "nas_cli.hpp"
#include "vpucost/error.hpp"
#include "vpucost/space_reduction.hpp"

namespace vpucost::cli {

int run_nas_space(const std::vector<std::string>& args) {
  using namespace vpucost::nas;
  po::options_description options("nas-space options");
  add_costing_options(options);
  add_space_options(options);
  const ReductionOptions defaults;
  // clang-format off
  options.add_options()
      ("keep", po::value<int>()->default_value(defaults.keep),
       "operations kept per position (HURRICANE's p)")
      ("score-exponent", po::value<double>()->default_value(defaults.exponent),
       "a in the score (MACs*params)^a / latency")
      ("explore-last", po::value<int>()->default_value(defaults.explore_last),
       "add one exploring op (the most MACs*params among the rest) to the last N positions")
      ("no-zero", "drop the zero op (fixed depth) instead of keeping it where allowed")
      ("out", po::value<std::string>(), "write the reduced space (user-space JSON) here")
      ("json", "print every candidate's score as JSON instead of the table")
      ("quiet", "no summary line on stderr");
  // clang-format on
  po::variables_map vm;
  if (!parse_options("nas-space",
                     "[--model M.h5 | --device D] [--space proxyless] [--keep 4] "
                     "[--score-exponent a] [--explore-last N] --out reduced.json [--json]",
                     options, args, vm)) {
    return 0;
  }
  require_outputs_apart(vm, {"out"});
  if (vm.count("out")) require_writable("--out", vm["out"].as<std::string>());
  const NasSetup setup = nas_setup(vm, "nas-space");
  ReductionOptions o;
  o.keep = vm["keep"].as<int>();
  o.exponent = vm["score-exponent"].as<double>();
  o.explore_last = vm["explore-last"].as<int>();
  o.keep_zero = vm.count("no-zero") == 0;
  const LatencyTable table = nas_table(setup);
  const ReducedSpace reduced = reduce_search_space(setup.space, table, o);
  if (vm.count("out")) save_search_space(reduced.space, vm["out"].as<std::string>());

  const auto candidate_name = [&](std::size_t p, int c) {
    return setup.space.positions[p].candidates[std::size_t(c)].name();
  };
  if (vm.count("json")) {
    nlohmann::ordered_json j{{"space", setup.space.name},
                             {"reduced_space", reduced.space.name},
                             {"device", std::string(to_string(setup.costing.device))},
                             {"resolution", setup.resolution},
                             {"source", table.source},
                             {"keep", o.keep},
                             {"score_exponent", o.exponent},
                             {"explore_last", o.explore_last},
                             {"positions", nlohmann::ordered_json::array()}};
    for (std::size_t p = 0; p < reduced.scores.size(); ++p) {
      nlohmann::ordered_json cands = nlohmann::ordered_json::array();
      for (const CandidateScore& s : reduced.scores[p]) {
        cands.push_back({{"candidate", candidate_name(p, s.candidate)},
                         {"macs", s.macs},
                         {"params", s.params},
                         {"ms", s.ms},
                         {"score", s.score},
                         {"kept", s.kept},
                         {"exploring", s.exploring}});
      }
      j["positions"].push_back({{"position", p}, {"candidates", std::move(cands)}});
    }
    std::cout << j.dump(1) << "\n";
  } else {
    std::cout << "HURRICANE scores (MACs*params)^" << o.exponent << " / ms, space "
              << setup.space.name << " at " << setup.resolution << " on "
              << to_string(setup.costing.device) << " (" << table.source << "); * kept, "
              << "+ exploring\n\n";
    for (std::size_t p = 0; p < reduced.scores.size(); ++p) {
      const Position& pos = setup.space.positions[p];
      std::cout << "position " << p << " (stage " << pos.stage << ", " << pos.in_channels << "->"
                << pos.out_channels << " s" << pos.stride << "):";
      for (const CandidateScore& s : reduced.scores[p]) {
        std::cout << "  " << candidate_name(p, s.candidate)
                  << (s.exploring ? "+" : (s.kept ? "*" : " ")) << " " << fixed_text(s.ms, 4)
                  << "ms";
        if (s.score > 0) {
          char score[32];
          std::snprintf(score, sizeof score, "%.4g", s.score);
          std::cout << " score " << score;
        }
      }
      std::cout << "\n";
    }
  }
  if (!vm.count("quiet")) {
    std::size_t before = 0, after = 0;
    for (std::size_t p = 0; p < reduced.scores.size(); ++p) {
      before += setup.space.positions[p].candidates.size();
      after += reduced.space.positions[p].candidates.size();
    }
    std::cerr << "nas-space: kept " << after << " of " << before << " candidates"
              << (vm.count("out") ? "; wrote " + vm["out"].as<std::string>() : std::string())
              << "\n";
  }
  return 0;
}

}  // namespace vpucost::cli
