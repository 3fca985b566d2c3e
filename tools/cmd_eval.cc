// `nazir eval`: scores the output of `nazir cluster` against gold pairs or a
// gold clustering (pairwise P/R/F1, B-cubed, ARI).
#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"

#include "nazir/eval/labels.h"
#include "nazir/eval/metrics.h"
#include "nazir/io/json_writer.h"

#include "command.h"

namespace nazir::cli {
namespace {

constexpr int kMaxListed = 5;  // unknown ids listed on stderr

// Turns string labels into int64 cluster ids; documents without a label get
// a fresh id each (singletons).
std::vector<int64_t> InternLabels(const LabeledDocs& docs, const std::vector<size_t>& rows) {
  absl::flat_hash_map<std::string, int64_t> ids;
  std::vector<int64_t> out;
  out.reserve(rows.size());
  int64_t next = 0;
  for (size_t r : rows) {
    if (!docs.has_label[r]) {
      out.push_back(next++);
      continue;
    }
    auto [it, inserted] = ids.try_emplace(docs.labels[r], next);
    if (inserted) ++next;
    out.push_back(it->second);
  }
  return out;
}

int64_t CountUnlabeled(const LabeledDocs& docs, const std::vector<size_t>& rows) {
  int64_t n = 0;
  for (size_t r : rows) n += !docs.has_label[r];
  return n;
}

void AppendPairsJson(std::string* j, const PairScores& p) {
  *j += "{\"precision\":";
  AppendJsonNumber(j, p.precision, 6);
  *j += ",\"recall\":";
  AppendJsonNumber(j, p.recall, 6);
  *j += ",\"f1\":";
  AppendJsonNumber(j, p.f1, 6);
  *j += ",\"true_pos\":";
  AppendJsonInt(j, p.true_pos);
  *j += ",\"pred_true_pos\":";
  AppendJsonInt(j, p.pred_true_pos);
  *j += ",\"pred_pairs\":";
  AppendJsonInt(j, p.pred_pairs);
  *j += ",\"gold_pairs\":";
  AppendJsonInt(j, p.gold_pairs);
  *j += "}";
}

void AppendField(std::string* j, const char* key, int64_t v) {
  *j += ",\"";
  *j += key;
  *j += "\":";
  AppendJsonInt(j, v);
}

int RunEval(int argc, char** argv) {
  std::string pred_path, gold_pairs_path, gold_path;
  std::string gold_field = "story", pred_field = "group", id_field = "id";
  bool ignore_empty = false, json = false;
  ArgParser p("nazir eval", "",
              "Scores `nazir cluster` output against gold pairs (pairwise precision/recall/F1)\n"
              "or a gold clustering (pairwise, B-cubed and adjusted Rand index).\n"
              "Gold files: .tsv with a header row, anything else JSON Lines.");
  p.String("pred", &pred_path, "predictions: JSONL from `nazir cluster` (required)");
  p.String("gold-pairs", &gold_pairs_path,
           "gold pairs: TSV with header, first two columns are ids; docs in no pair are "
           "singletons");
  p.String("gold", &gold_path, "gold clustering: JSONL or TSV with the id and --gold-field");
  p.String("gold-field", &gold_field, "gold label field/column (with --gold)");
  p.String("pred-field", &pred_field, "predicted label field: group or story");
  p.String("id-field", &id_field, "document id field/column in pred and gold");
  p.Bool("ignore-empty", &ignore_empty, "leave out pred docs marked \"empty\": true");
  p.Bool("json", &json, "print one JSON object instead of the report");
  if (int rc = p.Parse(argc, argv); rc >= 0) return rc;
  auto usage = [](const char* msg) {
    std::fprintf(stderr, "nazir eval: %s\nTry 'nazir eval --help'.\n", msg);
    return 2;
  };
  if (!p.positionals().empty()) return usage("unexpected positional argument");
  if (pred_path.empty()) return usage("--pred is required");
  if (gold_pairs_path.empty() == gold_path.empty()) {
    return usage("give exactly one of --gold-pairs and --gold");
  }

  auto pred = ReadLabels(pred_path, {.id_field = id_field,
                                     .label_field = pred_field,
                                     .skip_if_true_field = ignore_empty ? "empty" : ""});
  if (!pred.ok()) {
    std::fprintf(stderr, "nazir eval: %s\n", std::string(pred.status().message()).c_str());
    return 1;
  }
  // A label field absent from every line (misspelled) would score every
  // document as a singleton: refused.
  auto no_labels = [](const LabeledDocs& d) {
    return std::find(d.has_label.begin(), d.has_label.end(), true) == d.has_label.end();
  };
  auto fail_no_labels = [](const std::string& path, const LabeledDocs& d, const std::string& field,
                           const char* flag) {
    std::fprintf(stderr,
                 "nazir eval: %s: no document (of %zu) has a label in field \"%s\": is %s "
                 "right?\n",
                 path.c_str(), d.ids.size(), field.c_str(), flag);
    return 1;
  };
  if (no_labels(*pred)) return fail_no_labels(pred_path, *pred, pred_field, "--pred-field");
  absl::flat_hash_map<std::string, size_t> pred_row;
  pred_row.reserve(pred->ids.size());
  for (size_t i = 0; i < pred->ids.size(); ++i) pred_row.emplace(pred->ids[i], i);

  std::string j = "{\"pred\":";
  AppendJsonString(&j, pred_path);
  j += ",\"pred_field\":";
  AppendJsonString(&j, pred_field);
  std::string report;
  char line[4096];

  if (!gold_pairs_path.empty()) {
    auto pairs = ReadPairsTsv(gold_pairs_path);
    if (!pairs.ok()) {
      std::fprintf(stderr, "nazir eval: %s\n", std::string(pairs.status().message()).c_str());
      return 1;
    }
    std::vector<std::pair<int64_t, int64_t>> edges;
    edges.reserve(pairs->size());
    int64_t ignored = 0;
    for (const IdPair& pr : *pairs) {
      auto a = pred_row.find(pr.a), b = pred_row.find(pr.b);
      if (a == pred_row.end() || b == pred_row.end()) {
        if (ignored++ < kMaxListed) {
          std::fprintf(stderr, "%s:%lld: id \"%s\" not in predictions; pair ignored\n",
                       gold_pairs_path.c_str(), static_cast<long long>(pr.line),
                       (a == pred_row.end() ? pr.a : pr.b).c_str());
        }
        continue;
      }
      edges.emplace_back(static_cast<int64_t>(a->second), static_cast<int64_t>(b->second));
    }
    if (ignored > kMaxListed) {
      std::fprintf(stderr, "%s: %lld pairs in all name ids not in predictions; ignored\n",
                   gold_pairs_path.c_str(), static_cast<long long>(ignored));
    }
    if (!pairs->empty() && edges.empty()) {  // the scores would be those of an empty gold set
      std::fprintf(stderr,
                   "nazir eval: no pair of %s (%zu read) has both ids in %s: are they about "
                   "the same corpus?\n",
                   gold_pairs_path.c_str(), pairs->size(), pred_path.c_str());
      return 1;
    }
    std::vector<size_t> rows(pred->ids.size());
    for (size_t i = 0; i < rows.size(); ++i) rows[i] = i;
    const std::vector<int64_t> labels = InternLabels(*pred, rows);
    const PairScores s = ComparePairs(labels, edges);
    const int64_t unlabeled = CountUnlabeled(*pred, rows);

    j += ",\"gold_pairs_file\":";
    AppendJsonString(&j, gold_pairs_path);
    AppendField(&j, "docs", static_cast<int64_t>(rows.size()));
    AppendField(&j, "pred_skipped_empty", pred->skipped);
    AppendField(&j, "pred_unlabeled", unlabeled);
    AppendField(&j, "gold_pairs_read", static_cast<int64_t>(pairs->size()));
    AppendField(&j, "gold_pairs_ignored", ignored);
    j += ",\"pairwise\":";
    AppendPairsJson(&j, s);
    j += "}\n";

    std::snprintf(line, sizeof line, "predictions   %s (label field \"%s\")\n", pred_path.c_str(),
                  pred_field.c_str());
    report += line;
    std::snprintf(line, sizeof line, "gold pairs    %s\n", gold_pairs_path.c_str());
    report += line;
    std::snprintf(line, sizeof line,
                  "documents     %zu evaluated (%lld skipped as empty, %lld without a label = "
                  "singletons)\n",
                  rows.size(), static_cast<long long>(pred->skipped),
                  static_cast<long long>(unlabeled));
    report += line;
    std::snprintf(line, sizeof line,
                  "pairs         %zu read, %lld distinct used, %lld ignored (id not in "
                  "predictions)\n",
                  pairs->size(), static_cast<long long>(s.gold_pairs),
                  static_cast<long long>(ignored));
    report += line;
    std::snprintf(
        line, sizeof line,
        "pairwise      P %.4f  R %.4f  F1 %.4f\n"
        "              precision: %lld of %lld predicted pairs lie in one gold component\n"
        "              recall:    %lld of %lld gold pairs share a predicted cluster\n",
        s.precision, s.recall, s.f1, static_cast<long long>(s.pred_true_pos),
        static_cast<long long>(s.pred_pairs), static_cast<long long>(s.true_pos),
        static_cast<long long>(s.gold_pairs));
    report += line;
  } else {
    auto gold = ReadLabels(gold_path, {.id_field = id_field, .label_field = gold_field});
    if (!gold.ok()) {
      std::fprintf(stderr, "nazir eval: %s\n", std::string(gold.status().message()).c_str());
      return 1;
    }
    if (no_labels(*gold)) return fail_no_labels(gold_path, *gold, gold_field, "--gold-field");
    std::vector<size_t> pred_rows, gold_rows;
    std::vector<bool> pred_matched(pred->ids.size(), false);
    for (size_t g = 0; g < gold->ids.size(); ++g) {
      auto it = pred_row.find(gold->ids[g]);
      if (it == pred_row.end()) continue;
      pred_rows.push_back(it->second);
      gold_rows.push_back(g);
      pred_matched[it->second] = true;
    }
    const int64_t both = static_cast<int64_t>(pred_rows.size());
    const int64_t gold_only = static_cast<int64_t>(gold->ids.size()) - both;
    const int64_t pred_only = static_cast<int64_t>(pred->ids.size()) - both;
    int listed = 0;
    for (size_t g = 0; g < gold->ids.size() && listed < kMaxListed; ++g) {
      if (pred_row.contains(gold->ids[g])) continue;
      std::fprintf(stderr, "%s:%lld: id \"%s\" not in predictions; left out\n", gold_path.c_str(),
                   static_cast<long long>(gold->lines[g]), gold->ids[g].c_str());
      ++listed;
    }
    if (gold_only > kMaxListed) {
      std::fprintf(stderr, "%s: %lld gold docs in all are not in predictions; left out\n",
                   gold_path.c_str(), static_cast<long long>(gold_only));
    }
    if (both == 0) {  // the scores of zero documents are meaningless (all 1)
      std::fprintf(stderr,
                   "nazir eval: no document of %s (%zu) is in %s: are they about the same "
                   "corpus (and is --id-field right)?\n",
                   gold_path.c_str(), gold->ids.size(), pred_path.c_str());
      return 1;
    }
    const std::vector<int64_t> pl = InternLabels(*pred, pred_rows);
    const std::vector<int64_t> gl = InternLabels(*gold, gold_rows);
    const ClusteringScores s = CompareClusterings(pl, gl);
    const int64_t pred_unlabeled = CountUnlabeled(*pred, pred_rows);
    const int64_t gold_unlabeled = CountUnlabeled(*gold, gold_rows);

    j += ",\"gold\":";
    AppendJsonString(&j, gold_path);
    j += ",\"gold_field\":";
    AppendJsonString(&j, gold_field);
    AppendField(&j, "docs", both);
    AppendField(&j, "pred_only", pred_only);
    AppendField(&j, "gold_only", gold_only);
    AppendField(&j, "pred_skipped_empty", pred->skipped);
    AppendField(&j, "pred_unlabeled", pred_unlabeled);
    AppendField(&j, "gold_unlabeled", gold_unlabeled);
    j += ",\"pairwise\":";
    AppendPairsJson(&j, s.pairwise);
    j += ",\"bcubed\":{\"precision\":";
    AppendJsonNumber(&j, s.bcubed_precision, 6);
    j += ",\"recall\":";
    AppendJsonNumber(&j, s.bcubed_recall, 6);
    j += ",\"f1\":";
    AppendJsonNumber(&j, s.bcubed_f1, 6);
    j += "},\"ari\":";
    AppendJsonNumber(&j, s.ari, 6);
    j += "}\n";

    std::snprintf(line, sizeof line, "predictions   %s (label field \"%s\")\n", pred_path.c_str(),
                  pred_field.c_str());
    report += line;
    std::snprintf(line, sizeof line, "gold          %s (label field \"%s\")\n", gold_path.c_str(),
                  gold_field.c_str());
    report += line;
    std::snprintf(line, sizeof line,
                  "documents     %lld evaluated (in both); %lld only in predictions, %lld only in "
                  "gold; %lld skipped as empty\n",
                  static_cast<long long>(both), static_cast<long long>(pred_only),
                  static_cast<long long>(gold_only), static_cast<long long>(pred->skipped));
    report += line;
    if (pred_unlabeled + gold_unlabeled > 0) {
      std::snprintf(line, sizeof line,
                    "              without a label (singletons): %lld predicted, %lld gold\n",
                    static_cast<long long>(pred_unlabeled), static_cast<long long>(gold_unlabeled));
      report += line;
    }
    std::snprintf(line, sizeof line,
                  "pairwise      P %.4f  R %.4f  F1 %.4f  (%lld same-cluster pairs in both; %lld "
                  "predicted, %lld gold)\n",
                  s.pairwise.precision, s.pairwise.recall, s.pairwise.f1,
                  static_cast<long long>(s.pairwise.true_pos),
                  static_cast<long long>(s.pairwise.pred_pairs),
                  static_cast<long long>(s.pairwise.gold_pairs));
    report += line;
    std::snprintf(line, sizeof line, "B-cubed       P %.4f  R %.4f  F1 %.4f\n", s.bcubed_precision,
                  s.bcubed_recall, s.bcubed_f1);
    report += line;
    std::snprintf(line, sizeof line, "ARI           %.4f\n", s.ari);
    report += line;
  }
  const std::string& out = json ? j : report;
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

NAZIR_REGISTER_COMMAND(eval, "eval", "score clusters against gold pairs or a gold clustering",
                       RunEval);

}  // namespace nazir::cli
