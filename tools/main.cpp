// vpucost: the command-line front end. Dispatches to a subcommand and turns
// every error into one line on stderr and a non-zero exit code.
#include <iostream>
#include <string>
#include <vector>

#include "command.hpp"
#include "vpucost/error.hpp"
#include "vpucost/version.hpp"

namespace {

void print_usage(std::ostream& out) {
  out << "usage: vpucost <command> [options]   (vpucost <command> --help for its options)\n\n"
         "commands:\n";
  for (const auto& c : vpucost::cli::commands()) {
    out << "  " << c.name << std::string(12 - std::min<std::size_t>(c.name.size(), 11), ' ')
        << c.summary << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_usage(args.empty() ? std::cerr : std::cout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::cout << "vpucost " << vpucost::kVersion << "\n";
    return 0;
  }
  const std::string name = args[0];
  for (const auto& command : vpucost::cli::commands()) {
    if (command.name != name) continue;
    args.erase(args.begin());
    try {
      return command.run(args);
    } catch (const vpucost::Error& e) {
      std::cerr << "vpucost " << name << ": error: " << e.what() << "\n";
      return 1;
    } catch (const boost::program_options::error& e) {
      std::cerr << "vpucost " << name << ": error: " << e.what() << " (see vpucost " << name
                << " --help)\n";
      return 2;
    } catch (const std::bad_alloc&) {
      std::cerr << "vpucost " << name << ": error: out of memory\n";
      return 1;
    } catch (const std::exception& e) {
      std::cerr << "vpucost " << name << ": internal error: " << e.what() << "\n";
      return 3;
    }
  }
  std::cerr << "vpucost: unknown command '" << name << "'\n";
  print_usage(std::cerr);
  return 2;
}
