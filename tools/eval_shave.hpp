#pragma once
// `vpucost eval` with a SHAVE model (eval_shave.cpp).
#include <boost/program_options.hpp>

namespace vpucost::cli {

namespace po = boost::program_options;

/// Evaluates --model (a SHAVE model) on --data (a SHAVE recording CSV).
int run_eval_shave(const po::variables_map& vm);

}  // namespace vpucost::cli
