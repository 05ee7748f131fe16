#pragma once
// HDF5 datasets of the SHAVE and DMA kinds: what `vpucost import` writes
// from a SHAVE or DMA recording CSV, and what train, eval and stats read
// back. The file records its kind (root attribute `kind`), so a reader of
// another kind refuses it with one line; schema in datasets/README.md.
#include <filesystem>

#include "vpucost/kind_recordings.hpp"

namespace vpucost {

/// Version of the SHAVE / DMA dataset layout (root attribute kind_schema_version).
inline constexpr int kKindDatasetSchemaVersion = 1;

/// The kind a dataset file records: its root attribute `kind`, dpu when
/// absent (every DPU dataset). Throws vpucost::Error for a missing or
/// damaged file, or one that is not a vpucost dataset.
WorkloadKind dataset_kind(const std::filesystem::path& path);

/// Writes the rows (and the import counts: rows_read, rows_rejected) of
/// `data` atomically: an error leaves any previous file untouched. Throws
/// when there is no row to write.
void save_kind_dataset(const ShaveRecordings& data, const std::filesystem::path& path);
void save_kind_dataset(const DmaRecordings& data, const std::filesystem::path& path);

/// Reads a dataset of that kind; every row is validated again, so a damaged
/// or hand-made file is refused naming its first bad row. The rejects of the
/// import are not stored (only their count, in rows_read - size()).
ShaveRecordings load_shave_dataset(const std::filesystem::path& path);
DmaRecordings load_dma_dataset(const std::filesystem::path& path);

/// A recording CSV (.csv) or a dataset (any other extension) of that kind,
/// as train and eval take them.
ShaveRecordings read_shave_recordings(const std::filesystem::path& path);
DmaRecordings read_dma_recordings(const std::filesystem::path& path);

}  // namespace vpucost
