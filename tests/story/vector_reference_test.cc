// Differential test of the document vector: StoryClustererState::BuildVector (with
// ResolveClitics) against the plain reference (story/internal/reference.h) on every document
// of a synthetic corpus and of the seed (featurized text), in batch and streaming order, under
// option sets that exercise each weighting factor (source discount, df cut, burst, lead,
// truncation to doc_terms, clitic reading). Same term sets; weights within 1e-5 relative.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include <gtest/gtest.h>

#include "nazir/io/corpus_reader.h"
#include "nazir/normalize/tokenizer.h"
#include "nazir/story/story_clusterer.h"
#include "nazir/story/story_features.h"

#include "story/internal/reference.h"
#include "story/internal/state.h"

namespace nazir {
namespace {

using internal::DocVectors;
using internal::kNoDate;
using internal::ReferenceDocVector;
using internal::ReferenceVector;
using internal::StoryClustererState;

constexpr int64_t kHour = 3600, kDay = 86400;
constexpr int64_t k2015 = 1439164800;  // 2015-08-10
constexpr double kTol = 1e-5;

struct Doc {
  StoryFeatures f;
  uint32_t source = 0;
  int64_t date = kNoDate;
};

bool Near(double a, double b) { return std::abs(a - b) <= kTol * std::max(std::abs(b), 1e-30); }

// What the comparison saw, so that a test can check that every factor was exercised.
struct Coverage {
  size_t docs = 0, truncated = 0, clitic_read = 0, with_lead = 0, residual = 0;
};

// Compares the fast path's vectors with the reference's; returns a description of the first
// difference, or "".
std::string Compare(const DocVectors& v, const ReferenceVector& ref) {
  auto vec = [](const internal::SparseVec& x, const std::map<uint64_t, double>& r,
                const char* name) -> std::string {
    if (static_cast<size_t>(x.nonZeros()) != r.size()) {
      return absl::StrCat(name, ": ", x.nonZeros(), " terms, reference ", r.size());
    }
    auto it = r.begin();
    for (internal::SparseVec::InnerIterator e(x); e; ++e, ++it) {
      if (static_cast<uint64_t>(e.index()) != it->first) {
        return absl::StrCat(name, ": term ", e.index(), ", reference ", it->first);
      }
      if (!Near(e.value(), it->second)) {
        return absl::StrCat(name, ": term ", e.index(), " weight ", e.value(), ", reference ",
                            it->second);
      }
    }
    return "";
  };
  if (std::string d = vec(v.doc, ref.doc, "doc"); !d.empty()) return d;
  if (std::string d = vec(v.lead_doc, ref.lead_doc, "lead_doc"); !d.empty()) return d;
  if (std::abs(v.residual2 - ref.residual2) > kTol) {
    return absl::StrCat("residual2 ", v.residual2, ", reference ", ref.residual2);
  }
  if (v.query.size() != ref.query.size()) {
    return absl::StrCat("query: ", v.query.size(), " terms, reference ", ref.query.size());
  }
  // Rank by rank the same weights; the same terms, except that terms as heavy as the lightest
  // one taken (within the tolerance) may be swapped for one another.
  std::set<uint64_t> fast, slow;
  for (size_t k = 0; k < v.query.size(); ++k) {
    if (!Near(v.query[k].first, ref.query[k].first)) {
      return absl::StrCat("query rank ", k, ": weight ", v.query[k].first, ", reference ",
                          ref.query[k].first);
    }
    fast.insert(v.query[k].second);
    slow.insert(ref.query[k].second);
  }
  for (size_t k = 0; k < v.query.size(); ++k) {
    const auto& [w, id] = v.query[k];
    if (!slow.contains(id) && !Near(w, ref.query.back().first)) {
      return absl::StrCat("query: term ", id, " not in the reference's");
    }
    if (!fast.contains(ref.query[k].second) && !Near(ref.query[k].first, v.query.back().first)) {
      return absl::StrCat("query: reference term ", ref.query[k].second, " missing");
    }
  }
  return "";
}

// Runs the corpus through the vector stage as Assign does (batch: every document counted
// first, final_df; streaming: each counted when it comes), comparing each document's vectors.
Coverage RunVectors(const std::vector<Doc>& docs, const StoryOptions& opt, bool batch) {
  Coverage cov;
  EXPECT_TRUE(opt.Validate().ok());
  StoryClustererState s(opt);
  if (batch) {
    for (const Doc& d : docs) s.Count(d.f, d.source);
  }
  DocVectors v;
  for (size_t i = 0; i < docs.size(); ++i) {
    const Doc& d = docs[i];
    if (!batch) s.Count(d.f, d.source);
    s.UpdateRecent(d.date);
    const ReferenceVector ref = ReferenceDocVector(s, d.f, d.source, batch, d.date);
    const StoryFeatures& read = s.ResolveClitics(d.f);
    cov.clitic_read += &read != &d.f;
    s.BuildVector(read, d.source, batch, d.date, &v);
    const std::string diff = Compare(v, ref);
    EXPECT_EQ(diff, "") << (batch ? "batch" : "streaming") << ", document " << i;
    if (!diff.empty()) break;
    ++cov.docs;
    cov.truncated += ref.doc.size() == opt.doc_terms && ref.residual2 > 0;
    cov.residual += ref.residual2 > 0;
    cov.with_lead += !ref.lead_doc.empty();
  }
  return cov;
}

// A synthetic corpus of `n` documents: Zipf-distributed terms of a 4000-term vocabulary, 8
// sources of which each prints its own chrome terms on most pages, dates over 40 days
// (mostly in order, some late, some undated), and clitic forms: rare terms whose alt_id is
// one of the 50 commonest.
std::vector<Doc> Synthetic(size_t n, uint32_t seed) {
  std::mt19937_64 rng(seed);
  constexpr size_t kVocab = 4000;
  std::vector<uint64_t> vocab(kVocab);
  for (uint64_t& id : vocab) id = rng() >> 1;
  std::vector<double> zipf(kVocab);
  for (size_t r = 0; r < kVocab; ++r) zipf[r] = 1.0 / std::pow(r + 1.0, 1.05);
  std::discrete_distribution<size_t> pick(zipf.begin(), zipf.end());
  std::uniform_int_distribution<int> len(5, 120), tf(1, 6), coin(0, 99);
  std::vector<Doc> docs(n);
  for (size_t i = 0; i < n; ++i) {
    Doc& d = docs[i];
    d.source = static_cast<uint32_t>(rng() % 8);
    const int c = coin(rng);
    d.date = c < 3 ? kNoDate
                   : k2015 + static_cast<int64_t>(i) * 40 * kDay / static_cast<int64_t>(n) -
                         (c < 10 ? static_cast<int64_t>(rng() % (5 * kDay)) : 0) +
                         static_cast<int64_t>(rng() % kHour);
    std::map<uint64_t, StoryFeatures::Term> terms;
    const int nt = len(rng);
    for (int k = 0; k < nt; ++k) {
      const size_t r = pick(rng);
      StoryFeatures::Term t{vocab[r], 0, 0, 0};
      const int kind = coin(rng);
      t.body_tf = static_cast<uint16_t>(kind < 5 ? 0 : tf(rng));  // some title-only terms
      t.lead_tf = static_cast<uint16_t>(kind < 40 ? std::min<int>(t.body_tf, tf(rng)) : 0);
      t.title_tf = static_cast<uint16_t>(kind < 12 ? 1 + kind % 2 : 0);
      if (r >= 1000 && r % 7 == 0) t.alt_id = vocab[r % 50];
      terms.emplace(t.id, t);
    }
    // Page chrome: two terms per source on 80% of its pages.
    for (uint64_t k = 0; k < 2 && coin(rng) < 80; ++k) {
      const uint64_t id = vocab[kVocab - 1 - 2 * d.source - k];
      terms[id] = StoryFeatures::Term{id, 0, 1, 0};
    }
    for (const auto& [id, t] : terms) d.f.terms.push_back(t);
  }
  return docs;
}

// Option sets: the defaults, and variants that make each factor bite on a small corpus.
std::vector<std::pair<std::string, StoryOptions>> OptionSets() {
  std::vector<std::pair<std::string, StoryOptions>> sets;
  sets.emplace_back("defaults", StoryOptions());
  StoryOptions o;
  o.min_docs_for_df_cut = 200;  // df cut active
  o.min_recent_docs_for_df_cut = 5;
  o.max_df_fraction = 0.08;
  o.doc_terms = 12;  // heavy truncation
  o.query_terms = 6;
  o.lead_weight = 1.5;
  o.clitic_min_df = 3;
  o.clitic_df_ratio = 2;
  o.clitic_max_full_df = 20;
  o.source_prior_docs = 0;  // the strongest source discount
  o.burst_exponent = 1.0;   // std::pow, not std::sqrt
  o.burst_half_life_seconds = 6 * kHour;
  sets.emplace_back("cut+truncate+clitics", o);
  o.burst_exponent = 0;  // no burst: the df cut needs no recent documents
  o.lead_score = false;
  o.df_prior_docs = 0;
  sets.emplace_back("no burst, no lead", o);
  return sets;
}

TEST(VectorReferenceTest, SyntheticCorpusMatches) {
  const std::vector<Doc> docs = Synthetic(1500, 7);
  Coverage total;
  for (const auto& [name, opt] : OptionSets()) {
    for (bool batch : {true, false}) {
      SCOPED_TRACE(absl::StrCat(name, batch ? ", batch" : ", streaming"));
      const Coverage c = RunVectors(docs, opt, batch);
      EXPECT_EQ(c.docs, docs.size());
      total.truncated += c.truncated;
      total.clitic_read += c.clitic_read;
      total.with_lead += c.with_lead;
      total.residual += c.residual;
    }
  }
  // Every factor was exercised.
  EXPECT_GT(total.truncated, 100u);
  EXPECT_GT(total.clitic_read, 100u);
  EXPECT_GT(total.with_lead, 100u);
  EXPECT_GT(total.residual, 100u);
}

// Featurized text: the seed's articles among pseudo-Arabic articles drawn from a shared
// vocabulary (so that words have df >= 2 and clitic forms).
TEST(VectorReferenceTest, SeedAndFeaturizedTextMatch) {
  auto analyzer = TextAnalyzer::Create();
  ASSERT_TRUE(analyzer.ok()) << analyzer.status();
  auto fz = StoryFeaturizer::Create();
  ASSERT_TRUE(fz.ok()) << fz.status();
  std::vector<Doc> docs;
  auto add = [&](std::string_view title, std::string_view body, uint32_t source, int64_t date) {
    std::vector<std::string_view> tokens;
    analyzer->Analyze(body, &tokens);
    Doc d;
    fz->Featurize(title, tokens, &d.f);
    d.source = source;
    d.date = date;
    docs.push_back(std::move(d));
  };
  std::mt19937 rng(11);
  static const char* kLetters[] = {"ب", "ت", "ث", "ج", "ح", "خ", "د", "ذ", "ر", "ز", "س",
                                   "ش", "ص", "ض", "ط", "ظ", "ع", "غ", "ف", "ق", "ك", "م"};
  std::vector<std::string> words(1500);
  for (std::string& w : words) {
    const int l = 3 + static_cast<int>(rng() % 4);
    for (int i = 0; i < l; ++i) w += kLetters[rng() % 22];
  }
  for (size_t i = 0; i < 60; ++i) words.push_back("ب" + words[i]);  // clitic forms
  std::vector<double> zipf(words.size());
  for (size_t r = 0; r < zipf.size(); ++r) zipf[r] = 1.0 / (r + 1.0);
  std::discrete_distribution<size_t> pick(zipf.begin(), zipf.end());
  auto text = [&](int n) {
    std::string out;
    for (int k = 0; k < n; ++k) out += words[pick(rng)] + (k % 12 == 11 ? ".\n" : " ");
    return out;
  };
  for (size_t i = 0; i < 400; ++i) {
    add(text(8), text(60 + static_cast<int>(rng() % 200)), static_cast<uint32_t>(i % 5),
        k2015 + static_cast<int64_t>(i) * kHour);
  }
  auto reader =
      CorpusReader::Open(std::string(NAZIR_SOURCE_DIR) + "/datasets/seed/seed_docs.jsonl");
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::vector<Article> batch;
  size_t seed = 0;
  while (reader->NextBatch(64, &batch, nullptr)) {
    for (const Article& a : batch) {
      add(a.title, a.text, 7 + static_cast<uint32_t>(seed % 2), a.date);
      ++seed;
    }
  }
  ASSERT_EQ(seed, 4u);
  for (const auto& [name, opt] : OptionSets()) {
    for (bool b : {true, false}) {
      SCOPED_TRACE(absl::StrCat(name, b ? ", batch" : ", streaming"));
      EXPECT_EQ(RunVectors(docs, opt, b).docs, docs.size());
    }
  }
}

}  // namespace
}  // namespace nazir
