#pragma once
// `vpucost stats` of SHAVE and DMA recordings (stats_kind.cpp).
#include <boost/program_options.hpp>
#include <filesystem>

#include "vpucost/enums.hpp"

namespace vpucost::cli {

namespace po = boost::program_options;

/// Summarises the SHAVE or DMA dataset or CSV at `path`; returns the exit code.
int run_stats_kind(const po::variables_map& vm, const std::filesystem::path& path,
                   WorkloadKind kind);

}  // namespace vpucost::cli
