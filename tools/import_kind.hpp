#pragma once
// `vpucost import` of a SHAVE or DMA recording CSV (import_kind.cpp).
#include <boost/program_options.hpp>
#include <filesystem>
#include <optional>

#include "vpucost/enums.hpp"

namespace vpucost::cli {

namespace po = boost::program_options;

/// Imports `csv` (of `kind`, shave or dma) into the dataset `out`; prints
/// the summary as `vpucost import` does; returns the exit code.
int run_import_kind(const po::variables_map& vm, const std::filesystem::path& csv,
                    const std::filesystem::path& out,
                    const std::optional<std::filesystem::path>& rejects_path, WorkloadKind kind);

}  // namespace vpucost::cli
