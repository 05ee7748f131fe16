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

/// The kind of recordings `vpucost train` learns from: --kind when given,
/// else the kind the first --data CSV's header describes (dpu for datasets).
WorkloadKind training_kind(const po::variables_map& vm);

/// `vpucost train` for SHAVE recordings (train_shave.cpp): fits the closed
/// forms, writes the model atomically, prints a summary; returns the exit code.
int run_train_shave(const po::variables_map& vm, const std::vector<std::string>& args);

/// `vpucost train` for DMA recordings, or --roofline DEVICE (train_dma.cpp).
int run_train_dma(const po::variables_map& vm, const std::vector<std::string>& args);

/// "vpucost train <args>" as typed (quoted where needed) and the current UTC
/// time (ISO 8601): the training record of every model file.
std::string train_command_line(const std::vector<std::string>& args);
std::string utc_now();

/// "a,b,c" -> {a, b, c}; throws vpucost::Error naming `option` on an empty item.
std::vector<std::string> split_list(const std::string& text, const std::string& option);

/// "128,128,48".
std::string join_widths(const std::vector<Eigen::Index>& widths);

}  // namespace vpucost::cli
