// CorpusReader streams news articles out of a JSON Lines corpus: one JSON
// object per line, with a string id, the article text and optional title,
// date and source fields. It reads big blocks, splits them into lines and
// parses each line with a real JSON parser, so escapes (\u0627, surrogate
// pairs) are decoded and malformed lines are caught. Bad lines never stop the
// reader: each is reported as an InputIssue and either skipped or kept (see
// IssueKind for the rule of each kind).
//
//   NAZIR_ASSIGN_OR_RETURN(auto reader, nazir::CorpusReader::Open("corpus.jsonl"));
//   std::vector<nazir::Article> batch;
//   std::vector<nazir::InputIssue> issues;
//   while (reader.NextBatch(4096, &batch, &issues)) { ... }
//   for (const auto& i : issues) std::fputs(FormatIssue(reader.path(), i).c_str(), stderr);
//   NAZIR_RETURN_IF_ERROR(reader.status());  // I/O errors surface here
//
// Input: a file path, or "-" for stdin. A path ending in ".zst" is
// decompressed on the fly (zstd streaming). Lines end in "\n" or "\r\n"; the
// last line need not end in a newline. Blank lines are ignored silently, and
// so is a UTF-8 byte order mark at the start of the input.
//
// Ownership: the reader owns its file descriptor and buffers; the Articles it
// hands out are plain values owned by the caller's vector.
// Thread-safety: none. Use one reader per input from one thread at a time
// (it is movable, not copyable).
// Failure: Open() returns NotFound / PermissionDenied / InvalidArgument etc.
// naming the path. An I/O or decompression error in the middle of the input
// makes NextBatch() return false early and status() a DataLoss / Unavailable
// error naming the path. Per-line problems are InputIssues, never Statuses.
#ifndef NAZIR_IO_CORPUS_READER_H_
#define NAZIR_IO_CORPUS_READER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace nazir {

// JSON field names of the corpus. The CLI flags --id-field, --text-field,
// --title-field, --date-field and --source-field rename them. All five must
// be non-empty and distinct.
struct CorpusFields {
  std::string id = "id";          // required, must be a JSON string
  std::string text = "text";      // required (missing → kept with empty text)
  std::string title = "title";    // optional string
  std::string date = "date";      // optional ISO 8601 string, see ParseDate()
  std::string source = "source";  // optional string (outlet name)
};

// One article. Strings are valid UTF-8 (invalid input bytes are replaced by
// U+FFFD, see text_repaired).
struct Article {
  static constexpr int64_t kNoDate = INT64_MIN;

  std::string id, title, text, source;
  int64_t date = kNoDate;      // seconds since the Unix epoch (UTC), or kNoDate
  int64_t line = 0;            // 1-based line number in the input
  bool text_repaired = false;  // the line held invalid UTF-8 (or a lone surrogate
                               // escape) that was replaced by U+FFFD
};

// What went wrong on a line, and what the reader did about it.
enum class IssueKind {
  kMalformedJson,   // not JSON, not an object, or trailing content → skipped
  kMissingId,       // no id field, or an empty id → skipped
  kNonStringId,     // id is a number, null, ... (ids must be strings) → skipped
  kDuplicateId,     // id already seen earlier in this input → later line skipped
  kInvalidUtf8,     // invalid UTF-8 replaced by U+FFFD → kept, text_repaired set
  kEmptyText,       // text empty or whitespace only → kept
  kBadDate,         // date string in no accepted format → kept, date = kNoDate
  kMissingText,     // no text field (or null) → kept with empty text
  kNonStringField,  // title/date/source/text present but not a string → field
                    // ignored, kept
  kLineTooLong,     // longer than ReaderOptions::max_line_bytes → skipped
};

struct InputIssue {
  IssueKind kind;
  int64_t line;  // 1-based line number
  std::string
      message;   // reason, without file:line, e.g. "duplicate id \"a3\" (first seen on line 4)"
  bool skipped;  // true: the line produced no Article
};

// "file:line: reason; line skipped" (or "; document kept") for stderr, e.g.
//   corpus.jsonl:17: duplicate id "a3" (first seen on line 4); line skipped
// No trailing newline.
std::string FormatIssue(std::string_view file, const InputIssue& issue);

// Stable snake_case name: "malformed_json", "missing_id", "non_string_id",
// "duplicate_id", "invalid_utf8", "empty_text", "bad_date", "missing_text",
// "non_string_field", "line_too_long".
std::string_view IssueKindName(IssueKind kind);

// Parses the date formats the reader accepts, all read as UTC unless an
// offset is given:
//   YYYY-MM-DD
//   YYYY-MM-DD HH:MM:SS
//   YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]   (fraction of any length, dropped)
// Returns seconds since the Unix epoch, or nullopt for anything else
// (including out-of-range fields such as month 13 or Feb 30).
std::optional<int64_t> ParseDate(std::string_view s);

struct ReaderOptions {
  CorpusFields fields;

  // Lines longer than this many bytes (excluding the newline) are skipped
  // with kLineTooLong without being buffered whole. Default 64 MiB; at most
  // 2 GiB.
  size_t max_line_bytes = size_t{64} << 20;

  // Performance: bytes requested per read(2). Bigger blocks mean fewer
  // syscalls; 8 MiB reaches the disk/page-cache speed. Lines longer than a
  // block are handled by growing the buffer (up to max_line_bytes). Tests set
  // it tiny to exercise block boundaries. Must be ≥ 1; default 8 MiB.
  size_t block_bytes = size_t{8} << 20;

  // Decode HTML character references (&quot; &nbsp; &#8220; ...) in the text
  // and title, see html_entities.h. Scraped news text keeps them often
  // enough that leaving them makes "quot" and "8220" words. Ids and sources
  // are never changed.
  bool decode_html_entities = true;

  // InvalidArgument if a field name is empty or two names are equal, or a
  // size is out of range.
  absl::Status Validate() const;
};

class CorpusReader {
 public:
  // Opens `path` ("-" = stdin; "*.zst" = zstd-compressed). Fails with the
  // options' Validate() error or an OS error naming the path.
  static absl::StatusOr<CorpusReader> Open(const std::string& path,
                                           const ReaderOptions& options = {});

  CorpusReader(CorpusReader&&) noexcept;
  CorpusReader& operator=(CorpusReader&&) noexcept;
  ~CorpusReader();

  // Clears *batch, then reads up to max_docs (treated as 1 if 0) further
  // documents into it, in input order. Per-line problems are appended to
  // *issues (which may be null to drop them). Returns false when the input is
  // exhausted (or an I/O error occurred, see status()) and *batch is empty.
  bool NextBatch(size_t max_docs, std::vector<Article>* batch, std::vector<InputIssue>* issues);

  // OK, or the I/O / decompression error that ended reading early.
  absl::Status status() const;

  // Bytes consumed from the file so far (compressed bytes for .zst), so that
  // bytes_read() / total_bytes() is the progress fraction.
  int64_t bytes_read() const;
  // Size of the file when it is a regular file (compressed size for .zst),
  // else -1 (pipes, stdin from a pipe).
  int64_t total_bytes() const;
  // Bytes of JSONL text produced so far (= bytes_read() unless compressed);
  // use it for MB/s.
  int64_t bytes_decoded() const;
  // Lines read so far (including blank and skipped lines).
  int64_t lines_read() const;

  const std::string& path() const;

 private:
  struct Impl;
  explicit CorpusReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace nazir

#endif  // NAZIR_IO_CORPUS_READER_H_
