// Loaders for the inputs of `nazir eval`: per-document labels (predicted
// clusters from `nazir cluster` output, or gold stories) and gold pairs.
//
//   LabelReadOptions o{.id_field = "id", .label_field = "story"};
//   NAZIR_ASSIGN_OR_RETURN(LabeledDocs gold, ReadLabels("seed_docs.jsonl", o));
//   NAZIR_ASSIGN_OR_RETURN(auto pairs, ReadPairsTsv("silver_neardup_pairs.tsv"));
//
// Formats: a path ending in ".tsv" is a tab-separated file whose header row
// names the columns (id_field and label_field must be among them); any other
// path is JSON Lines (one object per line; blank lines ignored). Labels may be
// JSON strings or numbers (compared by their text); null, a missing field or
// an empty TSV cell means "no label", which callers treat as a singleton.
//
// Ownership: results are plain values. Thread-safety: pure functions.
// Failure: NotFound etc. naming the path; DataLoss "file:line: reason" for a
// malformed line, a missing or duplicate id, or a missing column. Inputs are
// read whole into memory (eval files are small next to the corpus).
#ifndef NAZIR_EVAL_LABELS_H_
#define NAZIR_EVAL_LABELS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace nazir {

struct LabelReadOptions {
  std::string id_field = "id";  // must hold a string (JSONL) / be a column (TSV)
  std::string label_field;      // required, non-empty
  // When non-empty (JSONL only): documents whose field of this name is JSON
  // true are left out and counted in LabeledDocs::skipped, e.g. "empty".
  std::string skip_if_true_field;
};

struct LabeledDocs {
  std::vector<std::string> ids;     // in file order, unique
  std::vector<std::string> labels;  // "" when has_label[i] is false
  std::vector<bool> has_label;
  std::vector<int64_t> lines;  // 1-based line of each document
  int64_t skipped = 0;         // left out by skip_if_true_field
};

absl::StatusOr<LabeledDocs> ReadLabels(const std::string& path, const LabelReadOptions& options);

struct IdPair {
  std::string a, b;
  int64_t line;  // 1-based
};

// Reads a TSV with a header row; the first two columns of every further
// (non-blank) row are the two document ids of a gold pair.
absl::StatusOr<std::vector<IdPair>> ReadPairsTsv(const std::string& path);

}  // namespace nazir

#endif  // NAZIR_EVAL_LABELS_H_
