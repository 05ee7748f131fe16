// Fuzzes the training-checkpoint loader (vpucost train --resume): the input
// is written to a file and loaded. Any file must either load or throw
// vpucost::Error; a checkpoint that loads must save and load back to the
// same contents. Seed corpus: small checkpoints written by `vpucost train
// --checkpoint` (commands in tests/fuzz/README.md).
#include <cstdint>

#include "file_input.hpp"
#include "vpucost/checkpoint.hpp"
#include "vpucost/error.hpp"

namespace {

bool same(const vpucost::Checkpoint& a, const vpucost::Checkpoint& b) {
  return a.settings == b.settings && a.device == b.device && a.widths == b.widths &&
         a.activation == b.activation &&
         a.normalisation.feature_mean == b.normalisation.feature_mean &&
         a.normalisation.feature_std == b.normalisation.feature_std &&
         a.epochs_done == b.epochs_done && a.step == b.step && a.params == b.params &&
         a.best_params == b.best_params && a.adam_m == b.adam_m && a.adam_v == b.adam_v &&
         a.history.size() == b.history.size();
}

}  // namespace

#include "libhdf5_fuzz_settings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vpucost;
  using fuzz::check;
  const auto input = fuzz::write_input("checkpoint", data, size);
  Checkpoint loaded;
  try {
    loaded = load_checkpoint(input);
  } catch (const Error&) {
    return 0;
  }
  const auto copy = fuzz::scratch_file("checkpoint", "-saved.h5");
  try {
    save_checkpoint(loaded, copy);
    check(same(load_checkpoint(copy), loaded));
  } catch (const Error&) {
    __builtin_trap();  // whatever loads must save and load again
  }
  return 0;
}
