#pragma once
// `vpucost predict --kind shave` (predict_shave.cpp).
#include <boost/program_options.hpp>

namespace vpucost::cli {

namespace po = boost::program_options;

/// Costs the SHAVE operation the options describe with --model (a SHAVE
/// model); prints it as `vpucost predict` does; returns the exit code.
int run_predict_shave(const po::variables_map& vm);

}  // namespace vpucost::cli
