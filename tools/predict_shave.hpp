#pragma once
// `vpucost predict --kind shave` (predict_shave.cpp).
#include <boost/program_options.hpp>

namespace vpucost::cli {

/// Costs the SHAVE operation the options describe with --model (a SHAVE
/// model); prints it as `vpucost predict` does; returns the exit code.
int run_predict_shave(const boost::program_options::variables_map& vm);

}  // namespace vpucost::cli
