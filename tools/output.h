// What the corpus commands (`nazir cluster`, `nazir add`) share: the JSON
// line written per document, output files that report write errors, and the
// reporting of bad input lines (FILE:LINE: reason on stderr, counted by kind).
#ifndef NAZIR_TOOLS_OUTPUT_H_
#define NAZIR_TOOLS_OUTPUT_H_

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include "nazir/engine/engine.h"
#include "nazir/io/corpus_reader.h"

#include "command.h"
#include "progress.h"

namespace nazir::cli {

// Appends {"id", "group", "group_size", "similarity", "status", "story"} and
// a newline to *line.
void AppendAssignmentJson(const Assignment& a, std::string* line);

// Writes one JSON line per story of `e` (Engine::Stories, 8 top terms):
// {"story", "size", "groups", "sources", "first_date", "last_date" (if any
// member is dated), "title", "top_terms"} to `path` ("-": stdout). Errors
// name `path`.
absl::Status WriteStories(const Engine& e, const std::string& path);

// What the reader flags set, and the ReaderOptions they make.
struct ReaderFlags {
  CorpusFields fields;
  bool keep_html_entities = false;
  ReaderOptions Options() const;
};
// --id-field, --text-field, --title-field, --date-field, --source-field,
// --keep-html-entities.
void AddReaderFlags(ArgParser* p, ReaderFlags* flags);

// A file a command reads or writes, named by the flag that gave it ("-o",
// "--pairs", "--index", "INPUT"). "" and "-" are stdin/stdout.
struct PathArg {
  std::string flag;
  std::string path;
};
// What a command checks before any work, so that a run neither destroys its
// input nor fails at the end after its work:
//  - an output that is the same file as an input or as an earlier output
//    (same st_dev and st_ino, so ./x, hard links and symlinks are caught;
//    regular files only) is refused: InvalidArgumentError naming both flags
//    ("... is the same file as ...");
//  - every output must be writable: an existing regular file is opened for
//    writing without truncating it, a new one is created and removed again;
//    `replaced` outputs (an index: a temporary file renamed over the path, see
//    Engine::Save) need a writable directory and a file name ("-" is
//    refused, "" means not asked for);
//    UnavailableError naming the flag otherwise.
// `replaced` outputs are checked before `outputs`, each against the inputs
// and the outputs before it.
absl::Status CheckPaths(const std::vector<PathArg>& inputs, const std::vector<PathArg>& replaced,
                        const std::vector<PathArg>& outputs);
// Prints a CheckPaths error for `prog` and returns the exit status: 2 for a
// usage error (InvalidArgument), 1 otherwise.
int PathError(const char* prog, const absl::Status& s);

// fopen for writing; UnavailableError naming the path.
absl::StatusOr<FILE*> OpenOutput(const std::string& path);
// The -o/--output of a command: stdout if `path` is empty or "-", else
// OpenOutput(path). OutputName says which, for CloseOutput's errors.
absl::StatusOr<FILE*> OpenOutputOrStdout(const std::string& path);
std::string OutputName(const std::string& path);
// Closes (or, for stdout, flushes) `f`; DataLossError naming `name` if any
// write failed.
absl::Status CloseOutput(FILE* f, const std::string& name);

// Prints input problems as FILE:LINE: reason (at most max_messages per kind;
// all are counted) and keeps the counts for the summary.
class IssueReporter {
 public:
  IssueReporter(std::string path, int64_t max_messages, Progress* progress)
      : path_(std::move(path)), max_messages_(max_messages), progress_(progress) {}

  // Reports and clears *issues.
  void Report(std::vector<InputIssue>* issues);
  void Report(const InputIssue& issue);

  int64_t total() const;
  int64_t count(IssueKind kind) const {
    auto it = counts_.find(kind);
    return it == counts_.end() ? 0 : it->second;
  }
  int64_t skipped_lines() const { return skipped_; }
  // "empty_text 3, duplicate_id 1", or "" when there was none.
  std::string CountsByKind() const;

 private:
  std::string path_;
  int64_t max_messages_;
  Progress* progress_;
  std::map<IssueKind, int64_t> counts_;
  int64_t skipped_ = 0;
};

// Whether `text` has a character other than ASCII whitespace.
bool HasText(std::string_view text);

// Why a run that read `lines` lines of `path`, kept `docs` articles and found
// text in `docs_with_text` of them has nothing to work on, or "" when it has
// something: an empty input, every line skipped (not JSON Lines: a gzip file,
// CSV...), or no article with text in `text_field` (a misspelled
// --text-field). A command prints it and exits with status 1 before writing
// or saving anything more.
std::string NothingReadReason(const std::string& path, int64_t lines, int64_t docs,
                              int64_t docs_with_text, const std::string& text_field,
                              const IssueReporter& reporter);

}  // namespace nazir::cli

#endif  // NAZIR_TOOLS_OUTPUT_H_
