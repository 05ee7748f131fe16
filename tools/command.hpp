#pragma once
// One `vpucost <name>` subcommand. Each lives in its own *_command.cpp and is
// listed once in commands.cpp.
#include <boost/program_options.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vpucost::cli {

struct Command {
  std::string_view name;
  std::string_view summary;
  /// Runs with the arguments after the subcommand name; returns the exit code.
  /// Throws vpucost::Error or boost::program_options::error on bad input.
  int (*run)(const std::vector<std::string>& args);
};

std::span<const Command> commands();

namespace po = boost::program_options;

/// Parses `args` against `options` (plus --help). Positional names, if any,
/// map to `positional`. Returns false when --help was asked for (and printed).
bool parse_options(std::string_view command, std::string_view usage,
                   const po::options_description& options, const std::vector<std::string>& args,
                   po::variables_map& vm,
                   const po::positional_options_description* positional = nullptr);

}  // namespace vpucost::cli
