#include "output.h"

#include <cerrno>
#include <cstring>
#include <optional>

#include "absl/strings/str_cat.h"

#include "nazir/base/status.h"
#include "nazir/io/json_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace nazir::cli {
namespace {

template <typename Strings>
void AppendJsonStringArray(std::string* out, const Strings& items) {
  *out += '[';
  bool first = true;
  for (const auto& item : items) {
    if (!first) *out += ',';
    first = false;
    AppendJsonString(out, item);
  }
  *out += ']';
}

}  // namespace

void AppendAssignmentJson(const Assignment& a, std::string* line) {
  *line += "{\"id\":";
  AppendJsonString(line, a.id);
  *line += ",\"group\":";
  AppendJsonString(line, a.group);
  *line += ",\"group_size\":" + std::to_string(a.group_size) + ",\"similarity\":";
  AppendJsonNumber(line, a.similarity, 3);
  *line += ",\"status\":\"";
  *line += DocStatusName(a.status);
  *line += "\",\"story\":";
  AppendJsonString(line, a.story);
  *line += "}\n";
}

absl::Status WriteStories(const Engine& e, const std::string& path) {
  NAZIR_ASSIGN_OR_RETURN(FILE * f, OpenOutputOrStdout(path));
  std::string line;
  for (const StoryInfo& st : e.Stories(8)) {
    line.assign("{\"story\":");
    AppendJsonString(&line, st.id);
    line += ",\"size\":" + std::to_string(st.size) + ",\"groups\":";
    AppendJsonStringArray(&line, st.groups);
    line += ",\"sources\":";
    AppendJsonStringArray(&line, st.sources);
    if (st.first_date != DocMeta::kNoDate) {
      line += ",\"first_date\":\"" + FormatDateTime(st.first_date) + "\",\"last_date\":\"" +
              FormatDateTime(st.last_date) + "\"";
    }
    line += ",\"title\":";
    AppendJsonString(&line, st.title);
    line += ",\"top_terms\":";
    AppendJsonStringArray(&line, st.top_terms);
    line += "}\n";
    std::fwrite(line.data(), 1, line.size(), f);
  }
  return CloseOutput(f, OutputName(path));
}

ReaderOptions ReaderFlags::Options() const {
  ReaderOptions o;
  o.fields = fields;
  o.decode_html_entities = !keep_html_entities;
  return o;
}

void AddReaderFlags(ArgParser* p, ReaderFlags* flags) {
  CorpusFields* fields = &flags->fields;
  p->String("id-field", &fields->id, "JSON field holding the id");
  p->String("text-field", &fields->text, "JSON field holding the text");
  p->String("title-field", &fields->title, "JSON field holding the title");
  p->String("date-field", &fields->date, "JSON field holding the date");
  p->String("source-field", &fields->source, "JSON field holding the source/outlet");
  p->Bool("keep-html-entities", &flags->keep_html_entities,
          "do not decode HTML character references (&quot; &#8220; ...) in text and title");
}

namespace {

bool IsStdStream(const std::string& path) { return path.empty() || path == "-"; }

struct FileId {
  dev_t dev;
  ino_t ino;
  bool regular;
};

std::optional<FileId> Identify(const std::string& path) {
  struct stat st;
  if (IsStdStream(path) || ::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileId{st.st_dev, st.st_ino, S_ISREG(st.st_mode)};
}

std::string Describe(const PathArg& p) { return absl::StrCat(p.flag, " ", p.path); }

absl::Status Unwritable(const PathArg& p, const std::string& why) {
  return absl::UnavailableError(absl::StrCat("cannot write ", Describe(p), ": ", why));
}

// Whether the file can be written, without truncating it (an existing
// regular file) or leaving it behind (a new one).
absl::Status CheckWritable(const PathArg& p) {
  if (IsStdStream(p.path)) return absl::OkStatus();
  struct stat st;
  if (::stat(p.path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return Unwritable(p, "it is a directory");
    if (!S_ISREG(st.st_mode)) {  // a device or a pipe: opening may block
      return ::access(p.path.c_str(), W_OK) == 0 ? absl::OkStatus()
                                                 : Unwritable(p, std::strerror(errno));
    }
    const int fd = ::open(p.path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return Unwritable(p, std::strerror(errno));
    ::close(fd);
    return absl::OkStatus();
  }
  const int fd = ::open(p.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return Unwritable(p, std::strerror(errno));
  ::close(fd);
  ::unlink(p.path.c_str());
  return absl::OkStatus();
}

// A file replaced by rename (Engine::Save writes PATH.tmp, then renames it).
absl::Status CheckReplaceable(const PathArg& p) {
  if (IsStdStream(p.path)) {
    return absl::InvalidArgumentError(absl::StrCat(p.flag, " needs a file name, not stdout"));
  }
  struct stat st;
  if (::stat(p.path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    return Unwritable(p, "it is a directory");
  }
  const size_t slash = p.path.find_last_of('/');
  const std::string dir =
      slash == std::string::npos ? "." : (slash == 0 ? "/" : p.path.substr(0, slash));
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    return Unwritable(p, absl::StrCat("directory ", dir, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckPaths(const std::vector<PathArg>& inputs, const std::vector<PathArg>& replaced,
                        const std::vector<PathArg>& outputs) {
  struct Seen {
    const PathArg* arg;
    std::optional<FileId> id;
  };
  std::vector<Seen> seen;
  for (const PathArg& in : inputs) {
    if (!IsStdStream(in.path)) seen.push_back({&in, Identify(in.path)});
  }
  std::vector<const PathArg*> order;
  for (const PathArg& r : replaced) order.push_back(&r);
  for (const PathArg& o : outputs) order.push_back(&o);
  for (const PathArg* out : order) {
    if (IsStdStream(out->path)) continue;
    const std::optional<FileId> id = Identify(out->path);
    for (const Seen& s : seen) {
      // Files that exist are compared by identity (regular files: opening a
      // device or a pipe again destroys nothing), new ones by name.
      const bool same = id && s.id ? id->regular && id->dev == s.id->dev && id->ino == s.id->ino
                                   : !id && out->path == s.arg->path;
      if (same) {
        return absl::InvalidArgumentError(absl::StrCat(Describe(*out), " is the same file as ",
                                                       Describe(*s.arg),
                                                       ": refusing to overwrite it"));
      }
    }
    seen.push_back({out, id});
  }
  for (const PathArg& r : replaced) {
    if (!r.path.empty()) NAZIR_RETURN_IF_ERROR(CheckReplaceable(r));  // "": not asked for
  }
  for (const PathArg& o : outputs) NAZIR_RETURN_IF_ERROR(CheckWritable(o));
  return absl::OkStatus();
}

int PathError(const char* prog, const absl::Status& s) {
  std::fprintf(stderr, "%s: %s\n", prog, std::string(s.message()).c_str());
  return absl::IsInvalidArgument(s) ? 2 : 1;
}

absl::StatusOr<FILE*> OpenOutput(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (!f) return absl::UnavailableError("cannot open " + path + " for writing");
  return f;
}

absl::StatusOr<FILE*> OpenOutputOrStdout(const std::string& path) {
  if (path.empty() || path == "-") return stdout;
  return OpenOutput(path);
}

std::string OutputName(const std::string& path) {
  return path.empty() || path == "-" ? "stdout" : path;
}

absl::Status CloseOutput(FILE* f, const std::string& name) {
  if (f != stdout ? std::fclose(f) != 0 : (std::fflush(f) != 0 || std::ferror(f))) {
    return absl::DataLossError("error writing " + name);
  }
  return absl::OkStatus();
}

void IssueReporter::Report(const InputIssue& issue) {
  if (++counts_[issue.kind] <= max_messages_) {
    if (progress_ != nullptr) progress_->Finish();
    std::fprintf(stderr, "%s\n", FormatIssue(path_, issue).c_str());
  }
  if (issue.skipped) ++skipped_;
}

void IssueReporter::Report(std::vector<InputIssue>* issues) {
  for (const InputIssue& is : *issues) Report(is);
  issues->clear();
}

int64_t IssueReporter::total() const {
  int64_t n = 0;
  for (const auto& [kind, count] : counts_) n += count;
  return n;
}

std::string IssueReporter::CountsByKind() const {
  std::string kinds;
  for (const auto& [kind, count] : counts_) {
    kinds += (kinds.empty() ? "" : ", ") + std::string(IssueKindName(kind)) + " " +
             std::to_string(count);
  }
  return kinds;
}

bool HasText(std::string_view text) {
  return text.find_first_not_of(" \t\n\r\f\v") != std::string_view::npos;
}

std::string NothingReadReason(const std::string& path, int64_t lines, int64_t docs,
                              int64_t docs_with_text, const std::string& text_field,
                              const IssueReporter& reporter) {
  if (docs_with_text > 0) return "";
  if (docs == 0 && lines == 0) return absl::StrCat(path, ": no article read: the input is empty");
  if (docs == 0) {
    const int64_t not_json =
        reporter.count(IssueKind::kMalformedJson) + reporter.count(IssueKind::kLineTooLong);
    const int64_t no_id =
        reporter.count(IssueKind::kMissingId) + reporter.count(IssueKind::kNonStringId);
    const char* hint = not_json >= no_id
                           ? "is it JSON Lines, one object per line, uncompressed or .zst?"
                           : "is --id-field right?";
    return absl::StrCat(path, ": no article read: all ", lines, " lines were skipped (",
                        reporter.CountsByKind(), "): ", hint);
  }
  return absl::StrCat(path, ": no article had a non-empty \"", text_field,
                      "\" field: is --text-field right? (", docs, " articles read)");
}

}  // namespace nazir::cli
