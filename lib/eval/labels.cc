#include "nazir/eval/labels.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include <simdjson.h>

#include "nazir/base/status.h"

namespace nazir {
namespace {

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    const int err = errno;
    std::string msg = absl::StrCat(path, ": ", std::strerror(err));
    if (err == ENOENT) return absl::NotFoundError(msg);
    if (err == EACCES) return absl::PermissionDeniedError(msg);
    return absl::UnavailableError(msg);
  }
  std::string data;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return absl::DataLossError(absl::StrCat(path, ": read error"));
  return data;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Calls fn(line_number, line) for each line, without "\n" / "\r\n".
template <typename Fn>
absl::Status ForEachLine(std::string_view data, Fn fn) {
  int64_t line_no = 0;
  while (!data.empty()) {
    size_t nl = data.find('\n');
    std::string_view line = data.substr(0, nl);
    data.remove_prefix(nl == std::string_view::npos ? data.size() : nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    NAZIR_RETURN_IF_ERROR(fn(line_no, line));
  }
  return absl::OkStatus();
}

bool IsBlank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

absl::Status LineError(const std::string& path, int64_t line, std::string_view reason) {
  return absl::DataLossError(absl::StrCat(path, ":", line, ": ", ToAbsl(reason)));
}

class DocSink {
 public:
  DocSink(const std::string& path, LabeledDocs* docs) : path_(path), docs_(docs) {}
  absl::Status Add(int64_t line, std::string_view id, std::string_view label, bool has_label) {
    if (id.empty()) return LineError(path_, line, "empty id");
    auto [it, inserted] = first_line_.try_emplace(std::string(id), line);
    if (!inserted) {
      return LineError(
          path_, line,
          absl::StrCat("duplicate id \"", ToAbsl(id), "\" (first seen on line ", it->second, ")"));
    }
    docs_->ids.emplace_back(id);
    docs_->labels.emplace_back(has_label ? label : std::string_view());
    docs_->has_label.push_back(has_label);
    docs_->lines.push_back(line);
    return absl::OkStatus();
  }

 private:
  const std::string& path_;
  LabeledDocs* docs_;
  absl::flat_hash_map<std::string, int64_t> first_line_;
};

absl::StatusOr<LabeledDocs> ReadJsonlLabels(const std::string& path, std::string data,
                                            const LabelReadOptions& o) {
  LabeledDocs docs;
  DocSink sink(path, &docs);
  simdjson::dom::parser parser;
  const size_t n = data.size();
  data.append(simdjson::SIMDJSON_PADDING, ' ');
  std::string_view all(data.data(), n);
  std::string label_text;
  NAZIR_RETURN_IF_ERROR(ForEachLine(all, [&](int64_t line_no, std::string_view line) {
    if (IsBlank(line)) return absl::OkStatus();
    simdjson::dom::object obj;
    // `line` lies inside `data`, which is padded at its end.
    auto err = parser.parse(line.data(), line.size(), false).get(obj);
    if (err) {
      return LineError(path, line_no,
                       absl::StrCat("malformed JSON object: ", simdjson::error_message(err)));
    }
    if (!o.skip_if_true_field.empty()) {
      bool skip = false;
      if (!obj[o.skip_if_true_field].get(skip) && skip) {
        ++docs.skipped;
        return absl::OkStatus();
      }
    }
    std::string_view id;
    simdjson::dom::element id_el;
    if (obj[o.id_field].get(id_el)) {
      return LineError(path, line_no, absl::StrCat("missing id field \"", o.id_field, "\""));
    }
    if (id_el.get_string().get(id)) {
      return LineError(path, line_no,
                       absl::StrCat("id field \"", o.id_field, "\" is not a string"));
    }
    simdjson::dom::element label_el;
    bool has_label = false;
    label_text.clear();
    if (!obj[o.label_field].get(label_el) && !label_el.is_null()) {
      std::string_view s;
      if (!label_el.get_string().get(s)) {
        label_text.assign(s);
      } else if (label_el.is_number()) {
        label_text = simdjson::minify(label_el);
      } else {
        return LineError(
            path, line_no,
            absl::StrCat("label field \"", o.label_field, "\" must be a string or a number"));
      }
      has_label = true;
    }
    return sink.Add(line_no, id, label_text, has_label);
  }));
  return docs;
}

absl::StatusOr<LabeledDocs> ReadTsvLabels(const std::string& path, const std::string& data,
                                          const LabelReadOptions& o) {
  LabeledDocs docs;
  DocSink sink(path, &docs);
  int id_col = -1, label_col = -1;
  bool header_done = false;
  NAZIR_RETURN_IF_ERROR(ForEachLine(data, [&](int64_t line_no, std::string_view line) {
    if (IsBlank(line)) return absl::OkStatus();
    std::vector<absl::string_view> cols = absl::StrSplit(ToAbsl(line), '\t');
    if (!header_done) {
      header_done = true;
      for (size_t c = 0; c < cols.size(); ++c) {
        if (cols[c] == o.id_field) id_col = static_cast<int>(c);
        if (cols[c] == o.label_field) label_col = static_cast<int>(c);
      }
      if (id_col < 0 || label_col < 0) {
        return LineError(
            path, line_no,
            absl::StrCat("header lacks column \"", id_col < 0 ? o.id_field : o.label_field, "\""));
      }
      return absl::OkStatus();
    }
    const size_t need = static_cast<size_t>(std::max(id_col, label_col)) + 1;
    if (cols.size() < need) {
      return LineError(
          path, line_no,
          absl::StrCat("expected at least ", need, " tab-separated columns, got ", cols.size()));
    }
    std::string_view label = ToStd(cols[label_col]);
    return sink.Add(line_no, ToStd(cols[id_col]), label, !label.empty());
  }));
  if (!header_done) return absl::DataLossError(absl::StrCat(path, ": empty file (no header)"));
  return docs;
}

}  // namespace

absl::StatusOr<LabeledDocs> ReadLabels(const std::string& path, const LabelReadOptions& options) {
  if (options.id_field.empty() || options.label_field.empty()) {
    return absl::InvalidArgumentError("ReadLabels: id_field and label_field must be non-empty");
  }
  NAZIR_ASSIGN_OR_RETURN(std::string data, ReadWholeFile(path));
  if (EndsWith(path, ".tsv")) return ReadTsvLabels(path, data, options);
  return ReadJsonlLabels(path, std::move(data), options);
}

absl::StatusOr<std::vector<IdPair>> ReadPairsTsv(const std::string& path) {
  NAZIR_ASSIGN_OR_RETURN(std::string data, ReadWholeFile(path));
  std::vector<IdPair> pairs;
  bool header_done = false;
  NAZIR_RETURN_IF_ERROR(ForEachLine(data, [&](int64_t line_no, std::string_view line) {
    if (IsBlank(line)) return absl::OkStatus();
    if (!header_done) {
      header_done = true;
      return absl::OkStatus();
    }
    std::vector<absl::string_view> cols = absl::StrSplit(ToAbsl(line), absl::MaxSplits('\t', 2));
    if (cols.size() < 2 || cols[0].empty() || cols[1].empty()) {
      return LineError(path, line_no, "expected two tab-separated ids");
    }
    pairs.push_back({std::string(cols[0]), std::string(cols[1]), line_no});
    return absl::OkStatus();
  }));
  return pairs;
}

}  // namespace nazir
