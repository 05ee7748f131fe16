#pragma once
// The options of `vpucost train` (train_options.cpp).
#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "vpucost/trainer.hpp"

namespace vpucost::cli {

namespace po = boost::program_options;

/// Every option of `vpucost train`, grouped as --help shows them.
po::options_description describe_train_options();

/// The trainer's settings from parsed options (unset ones keep the library's
/// defaults); throws vpucost::Error naming a bad value.
TrainOptions options_from(const po::variables_map& vm);

/// "a,b,c" -> {a, b, c}; throws vpucost::Error naming `option` on an empty item.
std::vector<std::string> split_list(const std::string& text, const std::string& option);

/// "128,128,48".
std::string join_widths(const std::vector<Eigen::Index>& widths);

}  // namespace vpucost::cli
