// vpucost: the command-line front end. Dispatches to a subcommand and turns
// every error into one line on stderr and a non-zero exit code.
#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "command.hpp"
#include "vpucost/cpu_kernels.hpp"
#include "vpucost/error.hpp"
#include "vpucost/mlp.hpp"
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

// An error message as one printable line: control characters (a newline
// would make two lines) and bytes that are not UTF-8 (e.g. from a binary file
// given as JSON) are shown as \xNN.
std::string one_line(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xe  ? 3
                      : (c >> 3) == 0x1e ? 4
                                         : 0;
    bool valid = len > 0 && i + len <= text.size();
    for (std::size_t k = 1; valid && k < len; ++k) {
      valid = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
    }
    if (valid && !(len == 1 && (c < 0x20 || c == 0x7f))) {
      out.append(text.substr(i, len));
      i += len - 1;
      continue;
    }
    static constexpr char hex[] = "0123456789abcdef";
    out += "\\x";
    out += hex[c >> 4];
    out += hex[c & 0xf];
  }
  return out;
}

// Output that did not reach standard output (a full disk, a closed pipe)
// is an error, not a success.
int check_stdout(const std::string& name, int code) {
  std::cout.flush();
  if (std::cout) return code;
  std::cerr << "vpucost " << name
            << ": error: cannot write to standard output: " << std::strerror(errno) << "\n";
  return code == 0 ? 1 : code;
}

}  // namespace

int main(int argc, char** argv) {
  // Beyond a file size limit (ulimit -f), a write then fails with EFBIG and
  // is reported like a full disk, instead of the signal killing vpucost.
  std::signal(SIGXFSZ, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_usage(args.empty() ? std::cerr : std::cout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::cout << "vpucost " << vpucost::kVersion << "\n";
    try {  // the kernels this process runs (VPUCOST_CPU, cpu_kernels.hpp)
      std::cout << "cpu path: " << to_string(vpucost::selected_cpu_path())
                << " (widest this CPU has: " << to_string(vpucost::widest_cpu_path()) << ")\n"
                << "hidden-layer weights: " << to_string(vpucost::selected_weight_precision())
                << "\n";
    } catch (const vpucost::Error& e) {
      std::cerr << "vpucost: error: " << one_line(e.what()) << "\n";
      return 1;
    }
    return 0;
  }
  const std::string name = args[0];
  for (const auto& command : vpucost::cli::commands()) {
    if (command.name != name) continue;
    args.erase(args.begin());
    try {
      // A VPUCOST_CPU naming no path (or one this CPU lacks) is reported as
      // itself, before any command wraps it in what it was loading.
      vpucost::selected_cpu_path();
      vpucost::selected_weight_precision();
      return check_stdout(name, command.run(args));
    } catch (const vpucost::Error& e) {
      std::cerr << "vpucost " << name << ": error: " << one_line(e.what()) << "\n";
      return 1;
    } catch (const boost::program_options::error& e) {
      std::cerr << "vpucost " << name << ": error: " << one_line(e.what()) << " (see vpucost "
                << name << " --help)\n";
      return 2;
    } catch (const std::bad_alloc&) {
      std::cerr << "vpucost " << name << ": error: out of memory\n";
      return 1;
    } catch (const std::exception& e) {
      std::cerr << "vpucost " << name << ": internal error: " << one_line(e.what()) << "\n";
      return 3;
    }
  }
  std::cerr << "vpucost: unknown command '" << name << "'\n";
  print_usage(std::cerr);
  return 2;
}
