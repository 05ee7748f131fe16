// Importing a CSV held in memory on several threads. The text after the
// header is cut at line ends into one piece per thread; each piece is parsed
// by its own CsvReader (which numbers lines from where the piece starts), and
// the pieces are merged in order, so rows, rejects and counts are exactly
// those of the one-thread import. Duplicates are counted after the merge, over
// all rows.
#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>

#include "csv_rows.hpp"
#include "vpucost/error.hpp"

namespace vpucost::detail {
namespace {

bool starts_with_bom(std::string_view s) {
  return s.size() >= 3 && s[0] == '\xEF' && s[1] == '\xBB' && s[2] == '\xBF';
}

// A line as CsvReader sees it: blank when only spaces and tabs remain after
// the '\r' of a CRLF ending is dropped.
bool is_blank_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

// Byte offset just past the header (the first non-blank line), or the size
// of the text when the header is its last line.
std::size_t header_end(std::string_view text) {
  std::size_t pos = starts_with_bom(text) ? 3 : 0;
  for (;;) {
    const std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) return text.size();
    if (!is_blank_line(text.substr(pos, end - pos))) return end + 1;
    pos = end + 1;
  }
}

// Cuts `body` into up to `wanted` pieces at line ends. A piece never starts
// with a UTF-8 BOM: CsvReader would skip it there, where the one-thread
// import reads it as part of a row.
std::vector<std::string_view> cut_pieces(std::string_view body, std::size_t wanted) {
  std::vector<std::string_view> pieces;
  std::size_t start = 0;
  for (std::size_t i = 1; i < wanted && start < body.size(); ++i) {
    std::size_t cut = std::max(start, body.size() * i / wanted);
    for (;;) {
      cut = body.find('\n', cut);
      if (cut == std::string_view::npos) break;
      ++cut;
      if (!starts_with_bom(body.substr(cut))) break;
    }
    if (cut == std::string_view::npos || cut >= body.size()) break;
    pieces.push_back(body.substr(start, cut - start));
    start = cut;
  }
  pieces.push_back(body.substr(start));
  return pieces;
}

struct Stopped {};  // another thread failed or was interrupted: end quietly

}  // namespace

ImportResult import_text_parallel(std::string_view text, const std::string& name,
                                  const ImportOptions& options, unsigned threads,
                                  std::size_t min_piece_bytes) {
  const std::size_t body_start = header_end(text);
  CsvReader header_reader(name, text.substr(0, body_start));
  const RecordingLayout layout = read_header(header_reader);
  if (CsvLine extra; header_reader.next(extra)) {
    // The header scan above disagrees with CsvReader on where the header
    // ends (should not happen); the one-thread import is always right.
    CsvReader reader(name, text);
    return import_csv(reader, options);
  }

  const std::string_view body = text.substr(body_start);
  if (starts_with_bom(body)) {
    // The first piece would start with a BOM, which its CsvReader would skip
    // where the one-thread import reads it as part of the row (found by
    // fuzzing); such a file is not worth cutting.
    CsvReader reader(name, text);
    return import_csv(reader, options);
  }
  const auto pieces = cut_pieces(
      body, std::clamp<std::size_t>(body.size() / std::max<std::size_t>(min_piece_bytes, 1), 1,
                                    std::max(threads, 1u)));
  // Each piece's first line number, so that messages and rejects name the
  // line of the whole file.
  std::vector<std::uint64_t> lines_before(pieces.size(), header_reader.line_number());
  for (std::size_t i = 1; i < pieces.size(); ++i) {
    lines_before[i] = lines_before[i - 1] + static_cast<std::uint64_t>(std::count(
                                                pieces[i - 1].begin(), pieces[i - 1].end(), '\n'));
  }

  std::vector<ParsedRows> parts(pieces.size());
  std::vector<std::exception_ptr> errors(pieces.size());
  std::vector<std::atomic<std::uint64_t>> rows_done(pieces.size());
  std::atomic<bool> stop{false};
  const std::uint64_t interval = std::max<std::uint64_t>(options.progress_interval, 1);
  const auto run = [&](std::size_t i) {
    try {
      CsvReader reader(name, pieces[i], lines_before[i]);
      ParsedRows& rows = parts[i];
      rows.columns.set_has_theoretical_cycles(layout.has(Column::theoretical_cycles));
      rows.columns.reserve(expected_rows(pieces[i].size()));
      rows.hashes.reserve(expected_rows(pieces[i].size()));
      parse_rows(reader, layout, rows, interval, [&](std::uint64_t n) {
        rows_done[i].store(n, std::memory_order_relaxed);
        if (stop.load(std::memory_order_relaxed)) throw Stopped{};
        if (i == 0 && options.on_progress) {
          std::uint64_t total = 0;
          for (const auto& r : rows_done) total += r.load(std::memory_order_relaxed);
          options.on_progress(total);
        }
      });
    } catch (const Stopped&) {
    } catch (...) {
      errors[i] = std::current_exception();
      stop = true;
    }
  };
  {
    std::vector<std::jthread> helpers;
    for (std::size_t i = 1; i < pieces.size(); ++i) helpers.emplace_back(run, i);
    run(0);
  }  // joined
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);  // the earliest piece's, as one thread would meet it
  }

  ParsedRows all;
  all.columns.set_has_theoretical_cycles(layout.has(Column::theoretical_cycles));
  std::size_t kept = 0;
  for (const auto& p : parts) kept += p.columns.size();
  all.columns.reserve(kept);
  all.hashes.reserve(kept);
  all.blank_lines = header_reader.blank_lines();
  for (auto& p : parts) {
    all.columns.append_rows(p.columns, 0, p.columns.size());
    all.hashes.insert(all.hashes.end(), p.hashes.begin(), p.hashes.end());
    std::move(p.rejects.begin(), p.rejects.end(), std::back_inserter(all.rejects));
    all.rows_read += p.rows_read;
    all.blank_lines += p.blank_lines;
    p = ParsedRows{};  // free as we go
  }
  return finish_import(name, layout, std::move(all));
}

}  // namespace vpucost::detail
