// Fuzzes the recording CSV importer (vpucost import, load_dataset on .csv,
// predict --csv) with arbitrary bytes. Any input must either be imported or
// throw vpucost::Error, and every result must keep the importer's promises:
//  - rows_read == rows_written + rows_rejected, each reject listed;
//  - every kept row is a valid workload with finite cycles > 0;
//  - the rejects file reads back as the same lines, reasons and rows;
//  - the parallel import (here cut into pieces of a few bytes) gives exactly
//    the one-thread result.
#include <cmath>
#include <cstdint>
#include <string_view>

#include "csv_rows.hpp"  // datasets' private parallel import
#include "vpucost/csv_import.hpp"
#include "vpucost/error.hpp"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

bool same(const vpucost::ImportResult& a, const vpucost::ImportResult& b) {
  using namespace vpucost;
  const auto& x = a.counts;
  const auto& y = b.counts;
  if (x.rows_read != y.rows_read || x.rows_written != y.rows_written ||
      x.rows_rejected != y.rows_rejected || x.duplicates != y.duplicates ||
      x.blank_lines != y.blank_lines || a.columns.size() != b.columns.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.columns.size(); ++i) {
    if (!(a.columns.workload(i) == b.columns.workload(i)) ||
        a.columns.cycles(i) != b.columns.cycles(i)) {
      return false;
    }
  }
  for (std::size_t i = 0; i < a.rejects.size(); ++i) {
    const auto &p = a.rejects[i], &q = b.rejects[i];
    if (p.line != q.line || p.reason != q.reason || p.text != q.text) return false;
  }
  return true;
}

void check_import(std::string_view text) {
  using namespace vpucost;
  ImportResult r;
  ImportOptions one_thread;
  one_thread.threads = 1;
  try {
    r = import_csv_text(text, "fuzz.csv", one_thread);
  } catch (const Error&) {
    try {  // the parallel import must refuse it too
      detail::import_text_parallel(text, "fuzz.csv", one_thread, 3, 8);
      check(false);
    } catch (const Error&) {
    }
    return;  // a file-level problem (no header, missing column, ...)
  }
  check(same(r, detail::import_text_parallel(text, "fuzz.csv", one_thread, 3, 8)));
  const ImportCounts& n = r.counts;
  check(n.rows_read == n.rows_written + n.rows_rejected);
  check(n.rows_written == r.columns.size() && n.rows_rejected == r.rejects.size());
  check(n.duplicates < n.rows_written || n.rows_written == 0);
  for (std::size_t i = 0; i < r.columns.size(); ++i) {
    check(!find_problem(r.columns.workload(i)).has_value());
    check(std::isfinite(r.columns.cycles(i)) && r.columns.cycles(i) > 0.0);
  }
  for (const RejectedRow& reject : r.rejects) check(!reject.reason.empty() && reject.line >= 2);

  const std::string rejects = rejects_csv(r.rejects);
  CsvReader back("rejects.csv", rejects);
  CsvLine line;
  check(back.next(line));  // header
  for (const RejectedRow& reject : r.rejects) {
    check(back.next(line));
    check(!line.problem && line.fields.size() == 3);
    check(line.fields[0] == std::to_string(reject.line));
    check(line.fields[1] == reject.reason);
    check(line.fields[2] == reject.text);
  }
  check(!back.next(line));
}

// The predict --csv path: cycles ignored, every row parsed or given a reason.
void check_prediction_layout(std::string_view text) {
  using namespace vpucost;
  try {
    CsvReader reader("fuzz.csv", text);  // refuses binary (NUL) text
    CsvLine line;
    if (!reader.next(line) || line.problem) return;
    const RecordingLayout layout(line.fields, CyclesColumn::Ignored, "fuzz.csv");
    Recording rec;
    while (reader.next(line)) {
      if (line.problem) continue;
      if (!layout.parse(line.fields, rec)) check(!find_problem(rec.workload).has_value());
    }
  } catch (const Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_import(text);
  check_prediction_layout(text);
  return 0;
}
