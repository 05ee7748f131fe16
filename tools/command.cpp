#include "command.hpp"

#include <iostream>

namespace vpucost::cli {

bool parse_options(std::string_view command, std::string_view usage,
                   const po::options_description& options, const std::vector<std::string>& args,
                   po::variables_map& vm, const po::positional_options_description* positional) {
  po::options_description all;
  all.add(options);
  all.add_options()("help,h", "show this help");
  auto parser = po::command_line_parser(args).options(all);
  if (positional) parser.positional(*positional);
  po::store(parser.run(), vm);
  if (vm.count("help")) {
    std::cout << "usage: vpucost " << command << " " << usage << "\n\n" << all << "\n";
    return false;
  }
  po::notify(vm);
  return true;
}

}  // namespace vpucost::cli
