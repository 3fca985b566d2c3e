#include "output.h"

#include "nazir/base/status.h"
#include "nazir/io/json_writer.h"

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
  NAZIR_ASSIGN_OR_RETURN(FILE * f, OpenOutput(path));
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
  return CloseOutput(f, path);
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

}  // namespace nazir::cli
