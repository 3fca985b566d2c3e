// Issue #13, bug 4: story summaries must not depend on the thread schedule. A featurizer emits
// each term spelling once (StoryFeatures::new_strings) and the clusterer keeps the first spelling
// it receives in input order; under a schedule that hands a thread its chunks out of input order
// (libomp's nonmonotonic dynamic schedule steals chunks), a featurizer used to emit an id's
// spelling for a later document and then not for the earlier one, so the summaries' top terms
// changed from run to run. Here several featurizers, each on its own thread, take the documents
// in deliberately scrambled orders (reversed chunks, shuffled chunks, shuffled documents), and
// the story summaries (ids, members, top-term spellings), every document's story and the first
// spelling of every id must be byte for byte those of one featurizer in input order.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <numeric>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include <gtest/gtest.h>

#include "nazir/io/corpus_reader.h"
#include "nazir/normalize/tokenizer.h"
#include "nazir/story/story_clusterer.h"
#include "nazir/story/story_features.h"

namespace nazir {
namespace {

struct Doc {
  std::string title;
  std::string body_text;               // normalized
  std::vector<std::string_view> body;  // ar-nd-1 tokens into body_text
};

constexpr size_t kGenerated = 900;

// Letters that are no clitic, suffix or long vowel, so that the words below are their own terms.
constexpr std::string_view kLetters[] = {"ج", "ح", "خ", "د", "ذ", "ر", "ز", "س", "ش",
                                         "ص", "ض", "ط", "ظ", "ع", "غ", "ق", "ث"};

std::string RandomWord(std::mt19937* rng, int letters) {
  std::uniform_int_distribution<size_t> pick(0, std::size(kLetters) - 1);
  std::string w;
  for (int i = 0; i < letters; ++i) w += kLetters[pick(*rng)];
  return w;
}

// Two spellings of one term id (StoryTermOptions::fold_variants drops interior long vowels of
// words of 6+ letters): a 6-letter word and the same with an ا, و or ي inside.
std::vector<std::string> Variants(std::mt19937* rng) {
  const std::string base = RandomWord(rng, 6);
  static constexpr std::string_view kVowels[] = {"ا", "و", "ي"};
  std::vector<std::string> v = {base};
  for (size_t at : {2, 3}) {
    std::string w = base;
    w.insert(2 * at, kVowels[(*rng)() % 3]);
    v.push_back(w);
  }
  return v;
}

// A corpus of `n` articles about n / 20 stories. Each story has 6 core terms written in varying
// spellings (and sometimes with the preposition ب, for clitic candidates); bodies add common
// background words and rare ones.
std::vector<std::pair<std::string, std::string>> GeneratedArticles(size_t n) {
  std::mt19937 rng(13);
  std::vector<std::vector<std::vector<std::string>>> stories(std::max<size_t>(1, n / 20));
  for (auto& s : stories) {
    for (int t = 0; t < 6; ++t) s.push_back(Variants(&rng));
  }
  std::vector<std::string> background;
  for (int i = 0; i < 300; ++i) background.push_back(RandomWord(&rng, 5));
  auto spell = [&](const std::vector<std::string>& v) {
    std::string w = v[rng() % v.size()];
    return rng() % 5 == 0 ? "ب" + w : w;
  };
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < n; ++i) {
    const auto& s = stories[rng() % stories.size()];
    std::string title =
        absl::StrCat(spell(s[rng() % 6]), " ", spell(s[rng() % 6]), " ", spell(s[rng() % 6]));
    std::string body;
    const int words = 30 + static_cast<int>(rng() % 50);
    for (int w = 0; w < words; ++w) {
      const uint32_t r = rng() % 10;
      body += r < 4 ? spell(s[rng() % 6]) : r < 8 ? background[rng() % 300] : RandomWord(&rng, 5);
      body += w % 15 == 14 ? ".\n" : " ";
    }
    out.emplace_back(std::move(title), std::move(body));
  }
  return out;
}

std::vector<Doc> LoadDocs() {
  std::vector<std::pair<std::string, std::string>> raw = GeneratedArticles(kGenerated);
  // Real articles too, when the corpus is there (SNN_PATH overrides).
  const char* env = std::getenv("SNN_PATH");
  const std::string path = env != nullptr ? env
                                          : std::string(NAZIR_SHARED_DIR) +
                                                "/datasets/saudinewsnet/saudinewsnet.jsonl.zst";
  if (auto reader = CorpusReader::Open(path); reader.ok()) {
    std::vector<Article> batch;
    const size_t want = raw.size() + 600;
    while (raw.size() < want && reader->NextBatch(256, &batch, nullptr)) {
      for (Article& a : batch) {
        if (raw.size() < want) raw.emplace_back(std::move(a.title), std::move(a.text));
      }
    }
  }
  auto analyzer = TextAnalyzer::Create();
  EXPECT_TRUE(analyzer.ok());
  std::vector<Doc> docs(raw.size());
  std::vector<std::string_view> toks;
  for (size_t i = 0; i < raw.size(); ++i) {
    docs[i].title = raw[i].first;
    analyzer->Analyze(raw[i].second, &toks);
    docs[i].body_text = analyzer->normalized();
    const char* base = analyzer->normalized().data();
    for (std::string_view t : toks) {
      docs[i].body.emplace_back(docs[i].body_text.data() + (t.data() - base), t.size());
    }
  }
  return docs;
}

// The generated articles, then (if the corpus is there) the first SaudiNewsNet ones. Loaded once.
const std::vector<Doc>& Docs() {
  static const std::vector<Doc>* docs = new std::vector<Doc>(LoadDocs());
  return *docs;
}

// Which documents each featurizer takes, in the order it takes them.
using Schedule = std::vector<std::vector<size_t>>;

// Chunks of `chunk` documents dealt round-robin to `threads` featurizers; each takes its chunks
// last first (the documents of a chunk in order).
Schedule ReversedChunks(size_t n, size_t threads, size_t chunk) {
  Schedule s(threads);
  const size_t chunks = (n + chunk - 1) / chunk;
  for (size_t c = chunks; c-- > 0;) {
    for (size_t i = c * chunk; i < std::min(n, (c + 1) * chunk); ++i) s[c % threads].push_back(i);
  }
  return s;
}

// The chunks shuffled and dealt out as a stealing schedule might (each thread takes its chunks in
// the shuffled order).
Schedule ShuffledChunks(size_t n, size_t threads, size_t chunk, uint32_t seed) {
  std::vector<size_t> chunks((n + chunk - 1) / chunk);
  std::iota(chunks.begin(), chunks.end(), 0);
  std::mt19937 rng(seed);
  std::shuffle(chunks.begin(), chunks.end(), rng);
  Schedule s(threads);
  for (size_t c : chunks) {
    const size_t t = rng() % threads;
    for (size_t i = c * chunk; i < std::min(n, (c + 1) * chunk); ++i) s[t].push_back(i);
  }
  return s;
}

// Every document on its own: a random thread, a random order.
Schedule ShuffledDocuments(size_t n, size_t threads, uint32_t seed) {
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  Schedule s(threads);
  for (size_t i : order) s[rng() % threads].push_back(i);
  return s;
}

// Features of every document: one featurizer per schedule entry, each on its own thread, each
// document featurized with its input position as its order.
std::vector<StoryFeatures> FeaturizeScheduled(std::span<const Doc> docs, const Schedule& s,
                                              const StoryTermOptions& opt) {
  std::vector<StoryFeatures> f(docs.size());
  std::vector<std::thread> threads;
  for (const std::vector<size_t>& mine : s) {
    threads.emplace_back([&docs, &f, &opt, &mine] {
      auto fz = StoryFeaturizer::Create(opt);
      ASSERT_TRUE(fz.ok()) << fz.status();
      for (size_t i : mine) fz->Featurize(docs[i].title, docs[i].body, {}, 0, i, &f[i]);
    });
  }
  for (std::thread& t : threads) t.join();
  return f;
}

// One featurizer, the documents in input order, no order given (the sequential reference).
std::vector<StoryFeatures> FeaturizeInOrder(std::span<const Doc> docs,
                                            const StoryTermOptions& opt) {
  std::vector<StoryFeatures> f(docs.size());
  auto fz = StoryFeaturizer::Create(opt);
  EXPECT_TRUE(fz.ok()) << fz.status();
  for (size_t i = 0; i < docs.size(); ++i) fz->Featurize(docs[i].title, docs[i].body, &f[i]);
  return f;
}

// The first spelling of each id in new_strings, reading the documents in input order (what
// StoryClusterer keeps).
std::map<uint64_t, std::string> FirstSpellings(const std::vector<StoryFeatures>& f) {
  std::map<uint64_t, std::string> first;
  for (const StoryFeatures& x : f) {
    EXPECT_EQ(x.new_strings.size(), x.new_string_ids.size());
    for (size_t k = 0; k < x.new_strings.size(); ++k) {
      first.try_emplace(x.new_string_ids[k], x.new_strings[k]);
    }
  }
  return first;
}

// Clusters the documents as a batch (counted in input order, then assigned) and prints every
// story summary (id, size, members, top-term spellings) and every document's story.
std::string ClusterReport(const std::vector<StoryFeatures>& f) {
  auto sc = StoryClusterer::Create();
  EXPECT_TRUE(sc.ok()) << sc.status();
  const int64_t k2015 = 1439164800;
  for (size_t i = 0; i < f.size(); ++i) sc->CountDocument(f[i], static_cast<uint32_t>(i % 5 + 1));
  sc->AssignBatch(
      f.size(),
      [&](size_t i, StoryFeatures*) {
        return StoryBatchDoc{static_cast<uint32_t>(i), &f[i],
                             k2015 + static_cast<int64_t>(i) * 1800,
                             static_cast<uint32_t>(i % 5 + 1), StoryClusterer::kNone};
      },
      /*second_thread=*/false);
  std::string out;
  for (const StorySummary& s : sc->Summaries(12)) {
    absl::StrAppend(&out, "story ", s.anchor, " size ", s.size, " members ",
                    absl::StrJoin(s.members, ","), " terms ", absl::StrJoin(s.top_terms, " "),
                    "\n");
  }
  for (size_t i = 0; i < f.size(); ++i) {
    absl::StrAppend(&out, i, "->", sc->story_of(static_cast<uint32_t>(i)), "\n");
  }
  return out;
}

// `docs` featurized under each schedule: the terms, the first spelling of every id and (if
// `report`) the clusterer's story report must be those of one featurizer in input order.
void CheckSchedules(std::span<const Doc> docs, const StoryTermOptions& opt, bool report) {
  const size_t n = docs.size();
  const std::vector<StoryFeatures> want = FeaturizeInOrder(docs, opt);
  const std::map<uint64_t, std::string> want_first = FirstSpellings(want);
  const std::string want_report = report ? ClusterReport(want) : "";
  ASSERT_GT(want_first.size(), 100u);
  const std::vector<std::pair<std::string, Schedule>> schedules = {
      {"one featurizer, in order, orders given", ReversedChunks(n, 1, n)},
      {"one featurizer, documents last first", ReversedChunks(n, 1, 1)},
      {"3 threads, chunks of 16 last first", ReversedChunks(n, 3, 16)},
      {"3 threads, chunks of 7 last first", ReversedChunks(n, 3, 7)},
      {"2 threads, shuffled chunks of 16", ShuffledChunks(n, 2, 16, 1)},
      {"4 threads, shuffled chunks of 5", ShuffledChunks(n, 4, 5, 2)},
      {"3 threads, shuffled documents", ShuffledDocuments(n, 3, 3)},
  };
  for (const auto& [name, schedule] : schedules) {
    SCOPED_TRACE(name);
    const std::vector<StoryFeatures> got = FeaturizeScheduled(docs, schedule, opt);
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(got[i].terms.size(), want[i].terms.size()) << "doc " << i;
      for (size_t k = 0; k < got[i].terms.size(); ++k) {
        ASSERT_EQ(got[i].terms[k].id, want[i].terms[k].id) << "doc " << i;
        ASSERT_EQ(got[i].terms[k].alt_id, want[i].terms[k].alt_id) << "doc " << i;
      }
    }
    const std::map<uint64_t, std::string> got_first = FirstSpellings(got);
    size_t differ = 0;
    for (const auto& [id, spelling] : want_first) {
      auto it = got_first.find(id);
      differ += it == got_first.end() || it->second != spelling;
    }
    EXPECT_EQ(got_first.size(), want_first.size());
    EXPECT_EQ(differ, 0u) << "ids whose first spelling differs, of " << want_first.size();
    if (!report) continue;
    const std::string got_report = ClusterReport(got);
    EXPECT_TRUE(got_report == want_report) << "story report differs; first difference at byte "
                                           << std::mismatch(got_report.begin(), got_report.end(),
                                                            want_report.begin(), want_report.end())
                                                      .first -
                                                  got_report.begin();
  }
}

TEST(StoryFeaturizerOrderTest, SpellingsAndStoriesDoNotDependOnTheSchedule) {
  // The generated corpus has several spellings per term id, so a spelling taken from the wrong
  // document shows.
  std::mt19937 rng(5);
  for (int k = 0; k < 20; ++k) {
    const std::vector<std::string> v = Variants(&rng);
    ASSERT_EQ(StoryTermId(v[0]), StoryTermId(v[1])) << v[0] << " " << v[1];
    ASSERT_EQ(StoryTermId(v[0]), StoryTermId(v[2])) << v[0] << " " << v[2];
  }
  CheckSchedules(Docs(), {}, /*report=*/true);
}

TEST(StoryFeaturizerOrderTest, SameWithASmallTokenCacheOrNone) {
  // A cache that evicts every few documents (entries come and go between generations of the
  // emitted flags), and none (every term through the emitted table).
  // The generated articles only, and no story report (it follows from the features): these are
  // the slow configurations.
  const std::span<const Doc> generated = std::span(Docs()).first(kGenerated);
  StoryTermOptions small;
  small.token_cache_entries = 64;
  CheckSchedules(generated, small, /*report=*/false);
  StoryTermOptions off;
  off.token_cache_entries = 0;
  CheckSchedules(generated, off, /*report=*/false);
}

// The document of lowest order that has an id carries its spelling even when the featurizer
// saw it last; a document at or above every order seen emits nothing emitted before.
TEST(StoryFeaturizerOrderTest, EarliestDocumentEmitsTheSpelling) {
  auto analyzer = TextAnalyzer::Create();
  ASSERT_TRUE(analyzer.ok());
  // Two spellings of the same two ids (variant folding).
  const std::vector<std::string> a_tok = {"بيلاوسوف", "في", "سوريه", "روسيا"};
  const std::vector<std::string> b_tok = {"بيلوسوف", "في", "سوريا", "روسيا"};
  const std::vector<std::string_view> a(a_tok.begin(), a_tok.end()), b(b_tok.begin(), b_tok.end());
  ASSERT_EQ(StoryTermId("بيلاوسوف"), StoryTermId("بيلوسوف"));
  ASSERT_EQ(StoryTermId("سوريه"), StoryTermId("سوريا"));
  StoryFeatures a_alone, b_alone;
  (*StoryFeaturizer::Create()).Featurize("", a, &a_alone);
  (*StoryFeaturizer::Create()).Featurize("", b, &b_alone);
  ASSERT_GE(a_alone.new_strings.size(), 3u);  // and a clitic candidate or two
  ASSERT_NE(a_alone.new_strings, b_alone.new_strings);

  auto fz = StoryFeaturizer::Create();
  ASSERT_TRUE(fz.ok());
  StoryFeatures fa, fb, again;
  fz->Featurize("", b, {}, 0, /*order=*/7, &fb);  // the later document first
  fz->Featurize("", a, {}, 0, /*order=*/3, &fa);
  EXPECT_EQ(fb.new_strings, b_alone.new_strings);
  EXPECT_EQ(fb.new_string_ids, b_alone.new_string_ids);
  EXPECT_EQ(fa.new_strings, a_alone.new_strings);  // all of them again: a comes first
  EXPECT_EQ(fa.new_string_ids, a_alone.new_string_ids);
  fz->Featurize("", b, {}, 0, /*order=*/7, &again);  // above all orders seen: all emitted
  EXPECT_TRUE(again.new_strings.empty());
  // Without an order, a document comes after all of them: nothing new to emit.
  fz->Featurize("", a, &again);
  EXPECT_TRUE(again.new_strings.empty());
}

}  // namespace
}  // namespace nazir
