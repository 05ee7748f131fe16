// CsvReader over fast-cpp-csv-parser (libfccp). We use its LineReader
// (large-block buffered reads, UTF-8 BOM skipping, CRLF handling) and its
// RFC 4180 column splitter, but not its CSVReader: that one binds columns at
// compile time, loses the raw line we need for the rejects file, and its
// number parsers accept "" and "-" as 0. Numbers are parsed by
// RecordingLayout instead.
//
// CSV_IO_NO_THREAD: the asynchronous reader would start a thread per file
// for little gain on page-cached input and complicate sanitizer runs. This
// is the only file that includes csv.h, so the macro cannot cause an ODR
// mismatch.
#define CSV_IO_NO_THREAD
// csv.h copies file names with strncpy into fixed buffers (truncating long
// names in its own messages, which we do not use); GCC flags that.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-truncation"
#endif
#include <libfccp/csv.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>

#include "csv_file.hpp"
#include "vpucost/error.hpp"
#include "vpucost/recording_csv.hpp"

namespace vpucost {
namespace {

// fccp hands out lines as C strings, so a NUL byte would silently end its
// line there and drop the rest (found by fuzzing: a header after a run of
// NULs read as a blank line). A recording CSV is text: a NUL byte refuses the
// file, naming its line (`lines_before` + newlines before it + 1).
void refuse_nul(std::string_view bytes, const std::string& name, std::uint64_t lines_before) {
  const std::size_t nul = bytes.find('\0');
  if (nul == std::string_view::npos) return;
  const auto line =
      lines_before + 1 +
      static_cast<std::uint64_t>(std::count(bytes.begin(), bytes.begin() + nul, '\n'));
  throw Error(name + " is not a text CSV: line " + std::to_string(line) + " contains a NUL byte");
}

// fccp's own file source treats a read error as the end of the file; this
// one reports it, so a failing disk never looks like a shorter CSV. It also
// refuses NUL bytes (refuse_nul), counting lines across the blocks it reads.
class CheckedFileSource final : public io::ByteSourceBase {
 public:
  CheckedFileSource(std::FILE* file, std::string name) : file_(file), name_(std::move(name)) {}
  CheckedFileSource(const CheckedFileSource&) = delete;
  CheckedFileSource& operator=(const CheckedFileSource&) = delete;
  ~CheckedFileSource() override { std::fclose(file_); }

  int read(char* buffer, int size) override {
    const std::size_t n = std::fread(buffer, 1, static_cast<std::size_t>(size), file_);
    if (n < static_cast<std::size_t>(size) && std::ferror(file_)) {
      throw Error("cannot read " + name_ + ": " + std::strerror(errno));
    }
    const std::string_view block(buffer, n);
    refuse_nul(block, name_, lines_);
    lines_ += static_cast<std::uint64_t>(std::count(block.begin(), block.end(), '\n'));
    return static_cast<int>(n);
  }

 private:
  std::FILE* file_;
  std::string name_;
  std::uint64_t lines_ = 0;  ///< newlines in the blocks read so far
};

using Splitter = io::double_quote_escape<',', '"'>;

bool is_blank(const char* s) {
  for (; *s != '\0'; ++s) {
    if (*s != ' ' && *s != '\t') return false;
  }
  return true;
}

std::string_view trim(const char* begin, const char* end) {
  while (begin != end && (*begin == ' ' || *begin == '\t')) ++begin;
  while (end != begin && (end[-1] == ' ' || end[-1] == '\t')) --end;
  return {begin, static_cast<std::size_t>(end - begin)};
}

// Splits with fccp's RFC 4180 splitter and unescapes quoted fields into
// `unquoted` (reserved to the line length first, so views into it stay valid).
void split_quoted(const char* raw, CsvLine& line, std::string& unquoted) {
  unquoted.reserve(std::strlen(raw));
  const char* begin = raw;
  for (;;) {
    const char* end = nullptr;
    try {
      end = Splitter::find_next_column_end(begin);
    } catch (const io::error::escaped_string_not_closed&) {
      line.text = std::string_view(raw);
      line.problem = "field " + std::to_string(line.fields.size() + 1) +
                     " opens a quote that is not closed on this line";
      line.fields.clear();
      return;
    }
    std::string_view field = trim(begin, end);
    if (field.size() >= 2 && field.front() == '"' && field.back() == '"') {
      const std::size_t start = unquoted.size();
      for (std::size_t i = 1; i + 1 < field.size(); ++i) {
        unquoted.push_back(field[i]);
        if (field[i] == '"' && field[i + 1] == '"') ++i;  // "" inside quotes is one quote
      }
      field = std::string_view(unquoted).substr(start);
    }
    line.fields.push_back(field);
    if (*end == '\0') {
      line.text = std::string_view(raw, static_cast<std::size_t>(end - raw));
      return;
    }
    begin = end + 1;
  }
}

constexpr std::size_t kHasQuote = static_cast<std::size_t>(-1);

#if defined(__SSE2__)
// Fast path for the common line without quotes: finds the commas 16 bytes at
// a time. Returns the line length with the comma offsets in `commas`, or
// kHasQuote if the line holds a '"' (then split_quoted handles it).
//
// Loads are 16-byte aligned, so they never cross into another page, and the
// line lies in fccp's LineReader buffer (3 x 16 MiB, of which data fills at
// most the first two), so every load stays inside that allocation even past
// the terminating NUL.
std::size_t scan_unquoted_line(const char* line, std::vector<std::uint32_t>& commas) {
  commas.clear();
  const auto misalign = static_cast<unsigned>(reinterpret_cast<std::uintptr_t>(line) & 15u);
  const char* block = line - misalign;
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i zero = _mm_setzero_si128();
  unsigned valid = 0xFFFFu << misalign;  // bytes of the first block before `line` do not count
  for (;;) {
    const __m128i v = _mm_load_si128(reinterpret_cast<const __m128i*>(block));
    auto c = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma))) & valid;
    auto q = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote))) & valid;
    const auto z = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero))) & valid;
    valid = 0xFFFFu;
    if (z != 0) {
      const unsigned before_end = (z & (0u - z)) - 1;  // bits below the first NUL
      c &= before_end;
      q &= before_end;
    }
    if (q != 0) return kHasQuote;
    for (; c != 0; c &= c - 1) {
      commas.push_back(static_cast<std::uint32_t>(block + __builtin_ctz(c) - line));
    }
    if (z != 0) return static_cast<std::size_t>(block + __builtin_ctz(z) - line);
    block += 16;
  }
}
#endif

}  // namespace

struct CsvReader::Impl {
  std::string name;
  std::unique_ptr<io::LineReader> lines;
  std::uint64_t line_number = 0;
  std::uint64_t blank = 0;
  std::uint64_t size = 0;
  std::string unquoted;               // storage of unescaped quoted fields of the current line
  std::vector<std::uint32_t> commas;  // comma offsets of the current line (fast path)
};

std::FILE* detail::open_csv_file(const std::filesystem::path& path, std::uint64_t& size) {
  const std::string name = path.string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw Error("CSV file " + name + " does not exist");
  if (std::filesystem::is_directory(path, ec)) throw Error("CSV file " + name + " is a directory");
  std::FILE* file = std::fopen(name.c_str(), "rb");
  if (file == nullptr) throw Error("cannot open CSV file " + name + ": " + std::strerror(errno));
  size = std::filesystem::file_size(path, ec);
  if (ec) size = 0;
  return file;
}

std::string detail::read_csv_file(const std::filesystem::path& path) {
  std::uint64_t size = 0;
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(open_csv_file(path, size),
                                                             &std::fclose);
  std::string text;
  text.resize(static_cast<std::size_t>(size));
  const std::size_t n = std::fread(text.data(), 1, text.size(), file.get());
  if (std::ferror(file.get())) {
    throw Error("cannot read " + path.string() + ": " + std::strerror(errno));
  }
  text.resize(n);  // the file may have shrunk meanwhile; what was read is what counts
  return text;
}

CsvReader::CsvReader(const std::filesystem::path& path) : impl_(std::make_unique<Impl>()) {
  impl_->name = path.string();
  std::FILE* file = detail::open_csv_file(path, impl_->size);
  auto source = std::make_unique<CheckedFileSource>(file, impl_->name);
  impl_->lines = std::make_unique<io::LineReader>(impl_->name, std::move(source));
}

CsvReader::CsvReader(std::string name, std::string_view text, std::uint64_t lines_before)
    : impl_(std::make_unique<Impl>()) {
  impl_->name = std::move(name);
  impl_->size = text.size();
  impl_->line_number = lines_before;
  refuse_nul(text, impl_->name, lines_before);
  impl_->lines =
      std::make_unique<io::LineReader>(impl_->name, text.data(), text.data() + text.size());
}

CsvReader::CsvReader(CsvReader&&) noexcept = default;
CsvReader& CsvReader::operator=(CsvReader&&) noexcept = default;
CsvReader::~CsvReader() = default;

const std::string& CsvReader::name() const {
  return impl_->name;
}
std::uint64_t CsvReader::blank_lines() const {
  return impl_->blank;
}
std::uint64_t CsvReader::size_bytes() const {
  return impl_->size;
}
std::uint64_t CsvReader::line_number() const {
  return impl_->line_number;
}

bool CsvReader::next(CsvLine& line) {
  Impl& s = *impl_;
  char* raw = nullptr;
  for (;;) {
    try {
      raw = s.lines->next_line();
    } catch (const io::error::line_length_limit_exceeded&) {
      throw Error(s.name + " line " + std::to_string(s.line_number + 1) +
                  " is longer than 16 MiB: not a recording CSV file");
    }
    if (raw == nullptr) return false;
    ++s.line_number;
    if (!is_blank(raw)) break;
    ++s.blank;
  }
  line.number = s.line_number;
  line.fields.clear();
  line.problem.reset();
  s.unquoted.clear();

#if defined(__SSE2__)
  if (const std::size_t length = scan_unquoted_line(raw, s.commas); length != kHasQuote) {
    std::size_t begin = 0;
    for (const std::uint32_t comma : s.commas) {
      line.fields.push_back(trim(raw + begin, raw + comma));
      begin = comma + 1;
    }
    line.fields.push_back(trim(raw + begin, raw + length));
    line.text = std::string_view(raw, length);
    return true;
  }
#endif
  split_quoted(raw, line, s.unquoted);
  return true;
}

}  // namespace vpucost
