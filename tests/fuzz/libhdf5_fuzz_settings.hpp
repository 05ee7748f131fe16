#pragma once
// Settings of the fuzz targets that open HDF5 files (include in exactly one
// source of the target).
#include <H5public.h>

// libhdf5 1.10.8 leaks the object-header cache entry it fails to load from a
// damaged file (reproduced with a 10-line C program using only H5Fopen,
// H5Oget_info_by_name2, H5Fclose and H5close; regressions/dataset_file/
// holds such a file). Not ours to fix. libhdf5 is built without frame
// pointers, so the fast unwinder stops at its boundary and the leak can only
// be matched by module: every leak allocated inside libhdf5 is suppressed,
// every leak of vpucost's own allocations still reported. (Matching the
// exact frame, H5C_protect, needs the slow unwinder on every malloc, which
// made the HDF5 targets 3x slower.)
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libhdf5_serial.so\n";
}

// Every file open makes libhdf5 calloc its metadata cache (over 512 KB),
// more than its free lists keep by default; under ASan each such block is a
// fresh mapping whose page faults were a quarter of a run's time. Unlimited
// free lists let libhdf5 reuse it. (Its own memory only: what vpucost
// allocates is still checked.)
[[maybe_unused]] static const bool vpucost_hdf5_free_lists_kept = [] {
  return H5set_free_list_limits(-1, -1, -1, -1, -1, -1) >= 0;
}();
