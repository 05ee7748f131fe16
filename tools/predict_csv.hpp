#pragma once
// Batch mode of `vpucost predict`: every row of a CSV with the recording
// columns (cycles optional) gets a predicted_cycles value; invalid rows are
// named with their line and reason and left out.
#include "command.hpp"
#include "predictor_option.hpp"

namespace vpucost::cli {

/// The options batch mode adds to `predict` (--csv, --out, --rejects, --strict).
void add_predict_csv_options(po::options_description& options);

/// Runs batch mode (call when --csv is given); returns the exit code.
int run_predict_csv(const po::variables_map& vm, const LoadedPredictor& predictor,
                    const std::string& model_option);

}  // namespace vpucost::cli
