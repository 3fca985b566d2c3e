#include "nazir/io/corpus_reader.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include <simdjson.h>

#include "nazir/base/status.h"
#include "nazir/io/html_entities.h"
#include "nazir/io/json_writer.h"

#include "io/civil_time.h"
#include "io/utf8.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef NAZIR_HAVE_ZSTD
#include <zstd.h>
#endif

namespace nazir {
namespace {

constexpr size_t kPadding = simdjson::SIMDJSON_PADDING;
constexpr size_t kMaxLineLimit = size_t{2} << 30;
constexpr size_t kMaxBlock = size_t{1} << 30;
constexpr size_t kMaxQuoted = 80;  // bytes of an id or value quoted in a message

absl::Status ErrnoStatus(int err, const std::string& what) {
  std::string msg = absl::StrCat(what, ": ", std::strerror(err));
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(msg);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(msg);
    case EISDIR:
      return absl::InvalidArgumentError(msg);
    case EIO:
      return absl::DataLossError(msg);
    default:
      return absl::UnavailableError(msg);
  }
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string Quote(std::string_view s) {
  std::string out;
  AppendJsonString(&out, internal::TruncateUtf8(s, kMaxQuoted));
  return out;
}

std::string_view TypeName(simdjson::dom::element_type t) {
  using T = simdjson::dom::element_type;
  switch (t) {
    case T::ARRAY:
      return "an array";
    case T::OBJECT:
      return "an object";
    case T::INT64:
    case T::UINT64:
    case T::DOUBLE:
      return "a number";
    case T::STRING:
      return "a string";
    case T::BOOL:
      return "a boolean";
    case T::NULL_VALUE:
      return "null";
  }
  return "a value";
}

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (!IsJsonSpace(c)) return false;
  }
  return true;
}

// True if `s` holds only white space: ASCII, U+0085, U+00A0, U+1680,
// U+2000..U+200B, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF.
bool IsBlankText(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  for (size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    if (c == ' ' || (c >= '\t' && c <= '\r')) {
      i += 1;
    } else if (c == 0xC2 && i + 1 < n && (p[i + 1] == 0x85 || p[i + 1] == 0xA0)) {
      i += 2;
    } else if (i + 2 < n &&
               ((c == 0xE2 && p[i + 1] == 0x80 &&
                 (p[i + 2] <= 0x8B || p[i + 2] == 0xA8 || p[i + 2] == 0xA9 || p[i + 2] == 0xAF)) ||
                (c == 0xE2 && p[i + 1] == 0x81 && p[i + 2] == 0x9F) ||
                (c == 0xE1 && p[i + 1] == 0x9A && p[i + 2] == 0x80) ||
                (c == 0xE3 && p[i + 1] == 0x80 && p[i + 2] == 0x80) ||
                (c == 0xEF && p[i + 1] == 0xBB && p[i + 2] == 0xBF))) {
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

// Parses exactly `n` decimal digits at s[*i..]; advances *i.
bool Digits(std::string_view s, size_t* i, int n, int* out) {
  if (*i + n > s.size()) return false;
  int v = 0;
  for (int k = 0; k < n; ++k) {
    const char c = s[*i + k];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *i += n;
  *out = v;
  return true;
}

bool Expect(std::string_view s, size_t* i, char c) {
  if (*i >= s.size() || s[*i] != c) return false;
  ++*i;
  return true;
}

// Reads the input bytes: a plain file descriptor, optionally through zstd.
class Input {
 public:
  Input() = default;
  Input(const Input&) = delete;
  Input& operator=(const Input&) = delete;
  ~Input() {
    if (own_fd_) ::close(fd_);
#ifdef NAZIR_HAVE_ZSTD
    if (zstd_ != nullptr) ZSTD_freeDCtx(zstd_);
#endif
  }

  absl::Status Open(const std::string& path) {
    path_ = path;
    if (path == "-") {
      fd_ = 0;
    } else {
      do {
        fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      } while (fd_ < 0 && errno == EINTR);
      if (fd_ < 0) return ErrnoStatus(errno, path);
      own_fd_ = true;
    }
    struct stat st;
    if (::fstat(fd_, &st) != 0) return ErrnoStatus(errno, path);
    if (S_ISDIR(st.st_mode))
      return absl::InvalidArgumentError(absl::StrCat(path, ": is a directory"));
    if (S_ISREG(st.st_mode)) total_bytes_ = st.st_size;
#ifdef NAZIR_HAVE_ZSTD
    if (EndsWith(path, ".zst")) {
      zstd_ = ZSTD_createDCtx();
      if (zstd_ == nullptr)
        return absl::ResourceExhaustedError(absl::StrCat(path, ": ZSTD_createDCtx failed"));
      zin_.resize(ZSTD_DStreamInSize());
    }
#else
    if (EndsWith(path, ".zst")) {
      return absl::UnimplementedError(
          absl::StrCat(path, ": nazir was built without zstd; decompress with `zstd -dc` first"));
    }
#endif
    return absl::OkStatus();
  }

  // Reads up to n > 0 bytes into dst. Returns 0 at end of input.
  absl::StatusOr<size_t> Read(char* dst, size_t n) {
#ifdef NAZIR_HAVE_ZSTD
    if (zstd_ != nullptr) return ReadZstd(dst, n);
#endif
    return ReadRaw(dst, n);
  }

  int64_t bytes_read() const { return bytes_read_; }
  int64_t total_bytes() const { return total_bytes_; }

 private:
  absl::StatusOr<size_t> ReadRaw(char* dst, size_t n) {
    for (;;) {
      const ssize_t r = ::read(fd_, dst, n);
      if (r >= 0) {
        bytes_read_ += r;
        return static_cast<size_t>(r);
      }
      if (errno == EINTR) continue;
      const int err = errno;
      return absl::DataLossError(
          absl::StrCat(path_, ": read failed after ", bytes_read_, " bytes: ", std::strerror(err)));
    }
  }

#ifdef NAZIR_HAVE_ZSTD
  absl::StatusOr<size_t> ReadZstd(char* dst, size_t n) {
    ZSTD_outBuffer out{dst, n, 0};
    while (out.pos == 0) {
      if (zin_pos_ == zin_size_) {
        if (zin_eof_) {
          if (frame_open_) {
            return absl::DataLossError(absl::StrCat(path_, ": truncated zstd stream"));
          }
          return size_t{0};
        }
        NAZIR_ASSIGN_OR_RETURN(size_t got, ReadRaw(zin_.data(), zin_.size()));
        zin_pos_ = 0;
        zin_size_ = got;
        if (got == 0) zin_eof_ = true;
        continue;
      }
      ZSTD_inBuffer in{zin_.data(), zin_size_, zin_pos_};
      const size_t ret = ZSTD_decompressStream(zstd_, &out, &in);
      zin_pos_ = in.pos;
      if (ZSTD_isError(ret)) {
        return absl::DataLossError(absl::StrCat(path_, ": zstd: ", ZSTD_getErrorName(ret)));
      }
      frame_open_ = ret != 0;
    }
    return out.pos;
  }

  ZSTD_DCtx* zstd_ = nullptr;
  std::vector<char> zin_;
  size_t zin_pos_ = 0, zin_size_ = 0;
  bool zin_eof_ = false, frame_open_ = false;
#endif

  std::string path_;
  int fd_ = -1;
  bool own_fd_ = false;
  int64_t bytes_read_ = 0;
  int64_t total_bytes_ = -1;
};

}  // namespace

std::optional<int64_t> ParseDate(std::string_view s) {
  size_t i = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!Digits(s, &i, 4, &y) || !Expect(s, &i, '-') || !Digits(s, &i, 2, &mo) ||
      !Expect(s, &i, '-') || !Digits(s, &i, 2, &d)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > internal::DaysInMonth(y, mo)) return std::nullopt;
  int64_t offset = 0;
  if (i < s.size()) {
    const bool t_sep = s[i] == 'T';
    if (!t_sep && s[i] != ' ') return std::nullopt;
    ++i;
    if (!Digits(s, &i, 2, &h) || !Expect(s, &i, ':') || !Digits(s, &i, 2, &mi) ||
        !Expect(s, &i, ':') || !Digits(s, &i, 2, &sec)) {
      return std::nullopt;
    }
    if (h > 23 || mi > 59 || sec > 59) return std::nullopt;
    if (t_sep && i < s.size() && s[i] == '.') {
      ++i;
      const size_t start = i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      if (i == start) return std::nullopt;
    }
    if (t_sep && i < s.size()) {
      if (s[i] == 'Z') {
        ++i;
      } else if (s[i] == '+' || s[i] == '-') {
        const int sign = s[i] == '-' ? -1 : 1;
        ++i;
        int oh = 0, om = 0;
        if (!Digits(s, &i, 2, &oh) || !Expect(s, &i, ':') || !Digits(s, &i, 2, &om) || oh > 23 ||
            om > 59) {
          return std::nullopt;
        }
        offset = sign * (oh * 3600 + om * 60);
      }
    }
    if (i != s.size()) return std::nullopt;
  }
  return internal::DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
}

std::string_view IssueKindName(IssueKind kind) {
  switch (kind) {
    case IssueKind::kMalformedJson:
      return "malformed_json";
    case IssueKind::kMissingId:
      return "missing_id";
    case IssueKind::kNonStringId:
      return "non_string_id";
    case IssueKind::kDuplicateId:
      return "duplicate_id";
    case IssueKind::kInvalidUtf8:
      return "invalid_utf8";
    case IssueKind::kEmptyText:
      return "empty_text";
    case IssueKind::kBadDate:
      return "bad_date";
    case IssueKind::kMissingText:
      return "missing_text";
    case IssueKind::kNonStringField:
      return "non_string_field";
    case IssueKind::kLineTooLong:
      return "line_too_long";
  }
  return "unknown";
}

std::string FormatIssue(std::string_view file, const InputIssue& issue) {
  return absl::StrCat(ToAbsl(file), ":", issue.line, ": ", issue.message,
                      issue.skipped ? "; line skipped" : "; document kept");
}

absl::Status ReaderOptions::Validate() const {
  const std::pair<std::string_view, const std::string*> names[] = {
      {"id", &fields.id},     {"text", &fields.text},     {"title", &fields.title},
      {"date", &fields.date}, {"source", &fields.source},
  };
  for (size_t a = 0; a < std::size(names); ++a) {
    if (names[a].second->empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("ReaderOptions: the ", ToAbsl(names[a].first), " field name is empty"));
    }
    for (size_t b = 0; b < a; ++b) {
      if (*names[a].second == *names[b].second) {
        return absl::InvalidArgumentError(absl::StrCat(
            "ReaderOptions: the ", ToAbsl(names[b].first), " and ", ToAbsl(names[a].first),
            " fields are both named \"", *names[a].second, "\""));
      }
    }
  }
  if (max_line_bytes == 0 || max_line_bytes > kMaxLineLimit) {
    return absl::InvalidArgumentError(absl::StrCat("ReaderOptions: max_line_bytes must be in [1, ",
                                                   kMaxLineLimit, "], got ", max_line_bytes));
  }
  if (block_bytes == 0 || block_bytes > kMaxBlock) {
    return absl::InvalidArgumentError(absl::StrCat("ReaderOptions: block_bytes must be in [1, ",
                                                   kMaxBlock, "], got ", block_bytes));
  }
  return absl::OkStatus();
}

struct CorpusReader::Impl {
  enum class LineKind { kLine, kTooLong, kEnd };

  ReaderOptions options;
  Input input;
  absl::Status status;
  std::string path;

  // Buffer: buf[0, cap + kPadding). Valid data in [pos, end); scan is where
  // the search for the next newline resumes (pos ≤ scan ≤ end ≤ cap).
  std::unique_ptr<char[]> buf;
  size_t cap = 0, pos = 0, scan = 0, end = 0;
  bool eof = false;
  int64_t line_no = 0;
  int64_t decoded = 0;
  int64_t too_long_bytes = 0;  // length of the last skipped over-long line

  simdjson::dom::parser parser;
  std::string scratch;  // repaired copy of a line (rare path)
  absl::flat_hash_map<std::string, int64_t> first_line_of_id;

  void Allocate(size_t new_cap) {
    std::unique_ptr<char[]> b(new char[new_cap + kPadding]);
    if (end > pos) std::memcpy(b.get(), buf.get() + pos, end - pos);
    std::memset(b.get() + (end - pos), ' ', new_cap + kPadding - (end - pos));
    scan -= pos;
    end -= pos;
    pos = 0;
    buf = std::move(b);
    cap = new_cap;
  }

  // Reads more input into buf[end, cap). Sets eof or status. Returns the
  // number of bytes added.
  size_t Fill() {
    if (eof || !status.ok()) return 0;
    absl::StatusOr<size_t> got = input.Read(buf.get() + end, cap - end);
    if (!got.ok()) {
      status = got.status();
      eof = true;
      return 0;
    }
    if (*got == 0) eof = true;
    end += *got;
    decoded += *got;
    // Keep the bytes after the data deterministic (the parser may read them).
    std::memset(buf.get() + end, ' ', kPadding);
    return *got;
  }

  // Makes room for more data after the partial line in [pos, end).
  void MakeRoom() {
    const size_t partial = end - pos;
    if (partial == cap) {
      Allocate(std::min(std::max(cap * 2, cap + 1), options.max_line_bytes + 1));
      return;
    }
    if (pos > 0) {
      std::memmove(buf.get(), buf.get() + pos, partial);
      scan -= pos;
      end = partial;
      pos = 0;
      std::memset(buf.get() + end, ' ', kPadding);
    }
  }

  // Discards input up to and including the next newline (the rest of an
  // over-long line). Counts its bytes into too_long_bytes.
  void SkipRestOfLine() {
    too_long_bytes = static_cast<int64_t>(end - pos);
    pos = scan = end = 0;
    for (;;) {
      if (Fill() == 0) return;  // the over-long line was the last one
      const void* nl = std::memchr(buf.get(), '\n', end);
      if (nl != nullptr) {
        const size_t at = static_cast<const char*>(nl) - buf.get();
        too_long_bytes += static_cast<int64_t>(at);
        pos = scan = at + 1;
        return;
      }
      too_long_bytes += static_cast<int64_t>(end);
      pos = scan = end = 0;
    }
  }

  LineKind NextLine(std::string_view* line) {
    for (;;) {
      if (scan < end) {
        const void* nl = std::memchr(buf.get() + scan, '\n', end - scan);
        if (nl != nullptr) {
          const size_t at = static_cast<const char*>(nl) - buf.get();
          *line = std::string_view(buf.get() + pos, at - pos);
          pos = scan = at + 1;
          ++line_no;
          if (line->size() > options.max_line_bytes) {
            too_long_bytes = static_cast<int64_t>(line->size());
            return LineKind::kTooLong;
          }
          return LineKind::kLine;
        }
        scan = end;
      }
      if (!status.ok()) return LineKind::kEnd;  // drop a partial line after an I/O error
      if (eof) {
        if (pos == end) return LineKind::kEnd;
        *line = std::string_view(buf.get() + pos, end - pos);
        pos = scan = end;
        ++line_no;
        if (line->size() > options.max_line_bytes) {
          too_long_bytes = static_cast<int64_t>(line->size());
          return LineKind::kTooLong;
        }
        return LineKind::kLine;
      }
      if (end - pos > options.max_line_bytes) {
        SkipRestOfLine();
        ++line_no;
        return LineKind::kTooLong;
      }
      MakeRoom();
      Fill();
    }
  }

  void AddIssue(std::vector<InputIssue>* issues, IssueKind kind, std::string message,
                bool skipped) {
    issues->push_back({kind, line_no, std::move(message), skipped});
  }

  // Parses one non-blank line into *a. Returns false if the line is skipped.
  bool ParseLine(std::string_view line, Article* a, std::vector<InputIssue>* issues) {
    simdjson::dom::element root;
    auto err = parser.parse(line.data(), line.size(), false).get(root);
    size_t bad_utf8 = 0, bad_escapes = 0;
    if (err == simdjson::UTF8_ERROR || err == simdjson::STRING_ERROR) {
      // Replace invalid UTF-8 and lone-surrogate escapes by U+FFFD, retry.
      // (Stage 1 validates UTF-8 first, so a STRING_ERROR means valid UTF-8.)
      std::string utf8;
      std::string_view src = line;
      if (err == simdjson::UTF8_ERROR) {
        bad_utf8 = internal::AppendRepairedUtf8(line, &utf8);
        src = utf8;
      }
      scratch.clear();
      bad_escapes = internal::AppendWithoutLoneSurrogates(src, &scratch);
      if (bad_utf8 + bad_escapes > 0) {
        const size_t len = scratch.size();
        scratch.append(kPadding, ' ');
        err = parser.parse(scratch.data(), len, false).get(root);
      }
    }
    if (err) {
      AddIssue(issues, IssueKind::kMalformedJson,
               absl::StrCat("malformed JSON: ", simdjson::error_message(err)), true);
      return false;
    }
    simdjson::dom::object obj;
    if (root.get_object().get(obj)) {
      AddIssue(
          issues, IssueKind::kMalformedJson,
          absl::StrCat("malformed JSON: expected an object, got ", ToAbsl(TypeName(root.type()))),
          true);
      return false;
    }
    const CorpusFields& f = options.fields;
    simdjson::dom::element id_el, text_el, title_el, date_el, source_el;
    bool has_id = false, has_text = false, has_title = false, has_date = false, has_source = false;
    for (auto [key, value] : obj) {  // first occurrence of a repeated key wins
      if (key == f.id) {
        if (!has_id) id_el = value, has_id = true;
      } else if (key == f.text) {
        if (!has_text) text_el = value, has_text = true;
      } else if (key == f.title) {
        if (!has_title) title_el = value, has_title = true;
      } else if (key == f.date) {
        if (!has_date) date_el = value, has_date = true;
      } else if (key == f.source) {
        if (!has_source) source_el = value, has_source = true;
      }
    }
    // id: required, a non-empty string, unique.
    if (!has_id) {
      AddIssue(issues, IssueKind::kMissingId, absl::StrCat("missing id field \"", f.id, "\""),
               true);
      return false;
    }
    std::string_view id;
    if (id_el.get_string().get(id)) {
      AddIssue(issues, IssueKind::kNonStringId,
               absl::StrCat("id field \"", f.id, "\" is ", ToAbsl(TypeName(id_el.type())), " (",
                            internal::TruncateUtf8(simdjson::minify(id_el), kMaxQuoted),
                            "); ids must be strings"),
               true);
      return false;
    }
    if (id.empty()) {
      AddIssue(issues, IssueKind::kMissingId, absl::StrCat("empty id field \"", f.id, "\""), true);
      return false;
    }
    auto [it, inserted] = first_line_of_id.try_emplace(std::string(id), line_no);
    if (!inserted) {
      AddIssue(issues, IssueKind::kDuplicateId,
               absl::StrCat("duplicate id ", Quote(id), " (first seen on line ", it->second, ")"),
               true);
      return false;
    }
    a->id.assign(id);
    a->line = line_no;
    if (bad_utf8 + bad_escapes > 0) {
      a->text_repaired = true;
      std::string what;
      if (bad_utf8 > 0) absl::StrAppend(&what, bad_utf8, " invalid UTF-8 sequence(s)");
      if (bad_escapes > 0) {
        absl::StrAppend(&what, what.empty() ? "" : " and ", bad_escapes,
                        " lone surrogate escape(s)");
      }
      AddIssue(issues, IssueKind::kInvalidUtf8, absl::StrCat(what, " replaced by U+FFFD"), false);
    }
    // text: required; kept when missing or empty.
    std::string_view sv;
    if (!has_text || text_el.is_null()) {
      AddIssue(issues, IssueKind::kMissingText, absl::StrCat("missing text field \"", f.text, "\""),
               false);
    } else if (text_el.get_string().get(sv)) {
      AddIssue(issues, IssueKind::kNonStringField,
               absl::StrCat("text field \"", f.text, "\" is ", ToAbsl(TypeName(text_el.type())),
                            ", not a string; ignored"),
               false);
    } else {
      a->text.assign(sv);
      if (options.decode_html_entities) DecodeHtmlEntities(&a->text);
      if (IsBlankText(a->text)) {
        AddIssue(issues, IssueKind::kEmptyText,
                 sv.empty() ? std::string("empty text") : std::string("whitespace-only text"),
                 false);
      }
    }
    // Optional fields: null means absent.
    auto optional_string = [&](bool has, simdjson::dom::element el, std::string_view role,
                               const std::string& name, std::string_view* out) {
      if (!has || el.is_null()) return false;
      if (el.get_string().get(*out)) {
        AddIssue(issues, IssueKind::kNonStringField,
                 absl::StrCat(ToAbsl(role), " field \"", name, "\" is ",
                              ToAbsl(TypeName(el.type())), ", not a string; ignored"),
                 false);
        return false;
      }
      return true;
    };
    if (optional_string(has_title, title_el, "title", f.title, &sv)) {
      a->title.assign(sv);
      if (options.decode_html_entities) DecodeHtmlEntities(&a->title);
    }
    if (optional_string(has_source, source_el, "source", f.source, &sv)) a->source.assign(sv);
    if (optional_string(has_date, date_el, "date", f.date, &sv)) {
      std::optional<int64_t> date = ParseDate(sv);
      if (date.has_value()) {
        a->date = *date;
      } else {
        AddIssue(issues, IssueKind::kBadDate,
                 absl::StrCat("unrecognized date ", Quote(sv),
                              " (expected YYYY-MM-DD[ HH:MM:SS] or ISO 8601)"),
                 false);
      }
    }
    return true;
  }
};

CorpusReader::CorpusReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CorpusReader::CorpusReader(CorpusReader&&) noexcept = default;
CorpusReader& CorpusReader::operator=(CorpusReader&&) noexcept = default;
CorpusReader::~CorpusReader() = default;

absl::StatusOr<CorpusReader> CorpusReader::Open(const std::string& path,
                                                const ReaderOptions& options) {
  NAZIR_RETURN_IF_ERROR(options.Validate());
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->path = path;
  NAZIR_RETURN_IF_ERROR(impl->input.Open(path));
  impl->Allocate(std::min(options.block_bytes, options.max_line_bytes + 1));
  return CorpusReader(std::move(impl));
}

bool CorpusReader::NextBatch(size_t max_docs, std::vector<Article>* batch,
                             std::vector<InputIssue>* issues) {
  std::vector<InputIssue> dropped;
  if (issues == nullptr) issues = &dropped;
  if (max_docs == 0) max_docs = 1;
  batch->clear();
  Impl& m = *impl_;
  std::string_view line;
  while (batch->size() < max_docs) {
    const Impl::LineKind kind = m.NextLine(&line);
    if (kind == Impl::LineKind::kEnd) break;
    if (kind == Impl::LineKind::kTooLong) {
      m.AddIssue(issues, IssueKind::kLineTooLong,
                 absl::StrCat("line of ", m.too_long_bytes, " bytes is longer than the limit of ",
                              m.options.max_line_bytes, " bytes"),
                 true);
      continue;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // A UTF-8 byte order mark (Windows editors, spreadsheet exports) is
    // skipped at the start of the input only.
    if (m.line_no == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    if (IsBlank(line)) continue;
    batch->emplace_back();
    if (!m.ParseLine(line, &batch->back(), issues)) batch->pop_back();
  }
  return !batch->empty();
}

absl::Status CorpusReader::status() const { return impl_->status; }
int64_t CorpusReader::bytes_read() const { return impl_->input.bytes_read(); }
int64_t CorpusReader::total_bytes() const { return impl_->input.total_bytes(); }
int64_t CorpusReader::bytes_decoded() const { return impl_->decoded; }
int64_t CorpusReader::lines_read() const { return impl_->line_no; }
const std::string& CorpusReader::path() const { return impl_->path; }

}  // namespace nazir
