#pragma once
// Which HDF5 file format vpucost writes and reads, checked on the bytes
// before libhdf5 parses any object header.
//
// vpucost writes the HDF5 1.10 format (superblock version 3, version 2
// object headers, new-style links and chunk indexes): libhdf5 verifies a
// Jenkins lookup3 checksum on each piece of that metadata before it parses
// it. The older format (superblock 0/1, version 1 object headers) has no
// checksums, and libhdf5 1.10.8 (Debian 12's) reads past its buffers parsing
// a damaged version 1 object header — up to a segmentation fault, found by
// fuzzing (tests/fuzz/README.md). So files without checksums are refused
// before libhdf5 sees them.
#include <H5Cpp.h>

#include <filesystem>
#include <string>

namespace vpucost::h5::format {

/// Lowest superblock version read: 2 and 3 carry a checksum, and files with
/// them hold version 2 (checksummed) object headers.
inline constexpr int kMinSuperblockVersion = 2;

/// Throws vpucost::Error unless `path` starts with the HDF5 signature and a
/// superblock of version kMinSuperblockVersion or later. `what` and `name`
/// as in open_for_reading. Call after the file is known to be HDF5.
void require_checksummed(const std::filesystem::path& path, const std::string& what);

/// Sets the lowest HDF5 format libhdf5 may write to the 1.10 format.
void use_checksummed_format(H5::FileAccPropList& access);

/// H5Fget_file_image (libhdf5 1.10.8) clears the "open for writing" flags of a
/// version 2/3 superblock in the image but keeps the checksum computed with
/// them set, so the image would not open ("incorrect metadata checksum").
/// Recomputes it.
void fix_superblock_checksum(std::string& image);

}  // namespace vpucost::h5::format
