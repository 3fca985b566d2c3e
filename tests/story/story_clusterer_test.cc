// StoryClusterer: the seed story, time windows, page chrome, spelling variants, near-duplicate
// hints, summaries and persistence.
#include "nazir/story/story_clusterer.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "xxhash.h"
#include <gtest/gtest.h>

#include "nazir/io/corpus_reader.h"
#include "nazir/normalize/tokenizer.h"
#include "nazir/story/story_features.h"

#include "tests/base/address_space_limit.h"

namespace nazir {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t k2015 = 1439164800;  // 2015-08-10
constexpr int64_t k2025 = 1753920000;  // 2025-07-31

class StoryClustererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fz = StoryFeaturizer::Create();
    ASSERT_TRUE(fz.ok()) << fz.status();
    fz_.emplace(*std::move(fz));
    auto a = TextAnalyzer::Create();
    ASSERT_TRUE(a.ok()) << a.status();
    analyzer_.emplace(*std::move(a));
  }

  StoryFeatures Features(std::string_view title, std::string_view body) {
    std::vector<std::string_view> tokens;
    analyzer_->Analyze(body, &tokens);
    StoryFeatures f;
    fz_->Featurize(title, tokens, &f);
    return f;
  }

  // A pseudo-Arabic article of `n` random words (unrelated to every other one).
  std::string RandomText(std::mt19937* rng, int n) {
    static const char* kLetters[] = {"ب", "ت", "ث", "ج", "ح", "خ", "د", "ذ", "ر", "ز", "س",
                                     "ش", "ص", "ض", "ط", "ظ", "ع", "غ", "ف", "ق", "ك", "م"};
    std::uniform_int_distribution<int> letter(0, 21), len(4, 6);
    std::string out;
    for (int w = 0; w < n; ++w) {
      int l = len(*rng);
      for (int i = 0; i < l; ++i) out += kLetters[letter(*rng)];
      out += w % 12 == 11 ? ".\n" : " ";
    }
    return out;
  }

  std::optional<StoryFeaturizer> fz_;
  std::optional<TextAnalyzer> analyzer_;

 public:
  StoryFeatures FeaturesForTest(std::string_view title, std::string_view body) {
    return Features(title, body);
  }
  std::string RandomTextForTest(std::mt19937* rng, int n) { return RandomText(rng, n); }
};

struct SeedDoc {
  std::string id, title, text, source;
  int64_t date;
};

std::vector<SeedDoc> LoadSeed() {
  std::vector<SeedDoc> docs;
  auto reader =
      CorpusReader::Open(std::string(NAZIR_SOURCE_DIR) + "/datasets/seed/seed_docs.jsonl");
  if (!reader.ok()) return docs;
  std::vector<Article> batch;
  while (reader->NextBatch(64, &batch, nullptr)) {
    for (Article& a : batch) docs.push_back({a.id, a.title, a.text, a.source, a.date});
  }
  std::stable_sort(docs.begin(), docs.end(),
                   [](const SeedDoc& a, const SeedDoc& b) { return a.date < b.date; });
  return docs;
}

// The seed's four articles with a background of `nbg` unrelated articles (300: idf means
// something; 0: the four documents alone, as `nazir cluster datasets/seed/seed_docs.jsonl` sees
// them, where every shared word has df <= 4). Returns the story of each seed article, in date
// order (wire, same-day report, analysis 2 Aug, analysis 3 Aug).
std::vector<uint32_t> SeedStories(StoryClustererTest* t, const std::vector<SeedDoc>& seed,
                                  bool batch, size_t nbg = 300,
                                  const StoryOptions& opt = StoryOptions()) {
  std::mt19937 rng(3);
  std::vector<StoryFeatures> feats;
  for (size_t i = 0; i < nbg; ++i)
    feats.push_back(t->FeaturesForTest("", t->RandomTextForTest(&rng, 80)));
  for (const SeedDoc& d : seed) feats.push_back(t->FeaturesForTest(d.title, d.text));
  auto sc = StoryClusterer::Create(opt);
  EXPECT_TRUE(sc.ok());
  auto source = [&](size_t i) -> uint32_t {
    return i < nbg ? 10 + i % 5 : (seed[i - nbg].source == seed[0].source ? 0 : 1);
  };
  auto date = [&](size_t i) { return i < nbg ? k2025 - 2 * kDay : seed[i - nbg].date; };
  if (batch) {
    for (size_t i = 0; i < feats.size(); ++i) sc->CountDocument(feats[i], source(i));
  }
  std::vector<uint32_t> out;
  for (size_t i = 0; i < feats.size(); ++i) {
    uint32_t st =
        sc->Assign(static_cast<uint32_t>(i), feats[i], date(i), source(i), StoryClusterer::kNone);
    if (i >= nbg) out.push_back(st);
  }
  for (uint32_t& st : out) st = sc->story_of(st);
  return out;
}

TEST_F(StoryClustererTest, SeedWireAndSameDayReportShareAStory) {
  std::vector<SeedDoc> seed = LoadSeed();
  ASSERT_EQ(seed.size(), 4u);
  for (bool batch : {true, false}) {
    std::vector<uint32_t> st = SeedStories(this, seed, batch);
    // Wire story (Lavrov meets al-Shaibani) and the same-day report (Putin meets al-Shaibani).
    EXPECT_EQ(st[0], st[1]) << (batch ? "batch" : "streaming");
  }
}

// All four seed articles (wire, same-day report, analysis pieces of 2 and 3 Aug) form one
// story, in batch and streaming. The analysis pieces join through their lead (StoryOptions::
// lead_score): their bodies are about Syria's domestic situation and scored 0.17 and 0.08
// against the story with the full vector alone.
TEST_F(StoryClustererTest, SeedAllFourArticlesFormOneStory) {
  std::vector<SeedDoc> seed = LoadSeed();
  ASSERT_EQ(seed.size(), 4u);
  for (bool batch : {true, false}) {
    std::vector<uint32_t> st = SeedStories(this, seed, batch);
    EXPECT_EQ(std::set<uint32_t>(st.begin(), st.end()).size(), 1u)
        << (batch ? "batch" : "streaming");
  }
}

// The four seed articles alone (no background: idf is almost flat). The analysis pieces
// score 0.29 and 0.26 (undecayed) against the story two and three days after it began; the
// plain decay (0.63, 0.5) would keep them out, the decay floor lets them in.
TEST_F(StoryClustererTest, SeedAloneFormsOneStory) {
  std::vector<SeedDoc> seed = LoadSeed();
  ASSERT_EQ(seed.size(), 4u);
  for (bool batch : {true, false}) {
    std::vector<uint32_t> st = SeedStories(this, seed, batch, 0);
    EXPECT_EQ(std::set<uint32_t>(st.begin(), st.end()).size(), 1u)
        << (batch ? "batch" : "streaming");
  }
  // Control: without the floor the batch run splits the analysis pieces off.
  StoryOptions plain;
  plain.decay_floor = 0;
  std::vector<uint32_t> st = SeedStories(this, seed, true, 0, plain);
  EXPECT_GT(std::set<uint32_t>(st.begin(), st.end()).size(), 1u);
}

// The seed (2025) after 2,500 documents of 2015 in which the words the seed articles share
// (Syria, Russia, Moscow, minister, foreign affairs, al-Assad) are common (1 in 12, above
// max_df_fraction): in 2025 no other document is around, so the common-word cut is not
// applied (min_recent_docs_for_df_cut) and the four articles keep what links them. Control:
// with the global gate only, the shared words are cut and the analysis pieces split off.
TEST_F(StoryClustererTest, SeedAfterAnOlderCorpusKeepsItsCommonWords) {
  std::vector<SeedDoc> seed = LoadSeed();
  ASSERT_EQ(seed.size(), 4u);
  std::mt19937 rng(11);
  std::vector<StoryFeatures> feats;
  const size_t nbg = 2500;
  for (size_t i = 0; i < nbg; ++i) {
    std::string extra = i % 12 == 0 ? " سوريا سورية السوري روسيا موسكو وزير الخارجية الأسد" : "";
    feats.push_back(Features("", RandomText(&rng, 40) + extra));
  }
  for (const SeedDoc& d : seed) feats.push_back(Features(d.title, d.text));
  for (uint32_t gate : {100u, 0u}) {
    StoryOptions opt;
    opt.min_recent_docs_for_df_cut = gate;
    auto sc = StoryClusterer::Create(opt);
    ASSERT_TRUE(sc.ok());
    auto source = [&](size_t i) -> uint32_t { return i < nbg ? 10 + i % 5 : 1; };
    auto date = [&](size_t i) {
      return i < nbg ? k2015 + static_cast<int64_t>(i) * 300 : seed[i - nbg].date;
    };
    for (size_t i = 0; i < feats.size(); ++i) sc->CountDocument(feats[i], source(i));
    std::set<uint32_t> stories;
    for (size_t i = 0; i < feats.size(); ++i) {
      sc->Assign(static_cast<uint32_t>(i), feats[i], date(i), source(i), StoryClusterer::kNone);
    }
    for (size_t i = nbg; i < feats.size(); ++i) stories.insert(sc->story_of(i));
    if (gate != 0) {
      EXPECT_EQ(stories.size(), 1u) << "the seed split";
    } else {
      EXPECT_GT(stories.size(), 1u) << "control: with the global cut the seed should split";
    }
  }
}

TEST_F(StoryClustererTest, SameTextTenYearsApartIsTwoStories) {
  std::vector<SeedDoc> seed = LoadSeed();
  ASSERT_FALSE(seed.empty());
  StoryFeatures f = Features(seed[0].title, seed[0].text);
  auto sc = StoryClusterer::Create();
  ASSERT_TRUE(sc.ok());
  EXPECT_EQ(sc->Assign(0, f, k2025, 0, StoryClusterer::kNone), 0u);
  EXPECT_EQ(sc->Assign(1, f, k2025 - 3650 * kDay, 0, StoryClusterer::kNone), 1u);
  // The same text a day later joins; undated copies join too.
  EXPECT_EQ(sc->Assign(2, f, k2025 + kDay, 0, StoryClusterer::kNone), 0u);
  uint32_t undated = sc->Assign(3, f, INT64_MIN, 0, StoryClusterer::kNone);
  EXPECT_TRUE(undated == 0u || undated == 1u);
  // Just outside the window: a new story, although the text is identical.
  StoryOptions opt;
  EXPECT_EQ(sc->Assign(4, f, k2025 + kDay + opt.window_seconds + 1, 0, StoryClusterer::kNone), 4u);
}

TEST_F(StoryClustererTest, DecayMakesDistantFollowUpsNeedMoreSimilarity) {
  // Two texts sharing half their words: together on the same day, apart 6 days later.
  std::mt19937 rng(7);
  std::string shared = RandomText(&rng, 40);
  std::string a = shared + RandomText(&rng, 40), b = shared + RandomText(&rng, 40);
  std::vector<StoryFeatures> background;
  for (int i = 0; i < 200; ++i) background.push_back(Features("", RandomText(&rng, 60)));
  StoryOptions opt;
  opt.decay_floor = 0;  // the plain exponential decay (floor: SeedAloneFormsOneStory)
  for (int64_t gap_days : {0, 6}) {
    auto sc = StoryClusterer::Create(opt);
    ASSERT_TRUE(sc.ok());
    uint32_t slot = 0;
    for (const auto& f : background) sc->Assign(slot++, f, k2015, 1, StoryClusterer::kNone);
    uint32_t sa = sc->Assign(slot++, Features("", a), k2015, 0, StoryClusterer::kNone);
    uint32_t sb =
        sc->Assign(slot++, Features("", b), k2015 + gap_days * kDay, 0, StoryClusterer::kNone);
    if (gap_days == 0) {
      EXPECT_EQ(sa, sb);
    } else {
      EXPECT_NE(sa, sb);
    }
  }
}

TEST_F(StoryClustererTest, PageChromeDoesNotPullUnrelatedArticlesTogether) {
  std::ifstream in(std::string(NAZIR_SHARED_DIR) + "/datasets/seed/page_chrome_lines.txt");
  if (!in) GTEST_SKIP() << "../shared/datasets/seed/page_chrome_lines.txt not found";
  std::string chrome((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(chrome.empty());
  std::mt19937 rng(42);
  // 1000 articles of other outlets, then 150 unrelated short articles of one outlet that all
  // end with the same page chrome. Batch (df counted first), and streaming where the outlet's
  // earlier pages (100 of them, a month before) taught the clusterer its chrome.
  // Known limit: in streaming, the first few dozen pages of an outlet never seen before can
  // still chain through its chrome (nothing yet tells chrome from a story).
  std::vector<StoryFeatures> others, history, chromed;
  for (int i = 0; i < 1000; ++i) others.push_back(Features("", RandomText(&rng, 80)));
  for (int i = 0; i < 100; ++i) {
    history.push_back(Features(RandomText(&rng, 6), RandomText(&rng, 40) + "\n" + chrome));
  }
  for (int i = 0; i < 150; ++i) {
    chromed.push_back(Features(RandomText(&rng, 6), RandomText(&rng, 40) + "\n" + chrome));
  }
  for (bool batch : {false, true}) {
    auto sc = StoryClusterer::Create();
    ASSERT_TRUE(sc.ok());
    if (batch) {
      for (const auto& f : others) sc->CountDocument(f, 1 + (&f - others.data()) % 10);
      for (const auto& f : chromed) sc->CountDocument(f, 0);
    }
    uint32_t slot = 0;
    if (!batch) {
      for (const auto& f : history)
        sc->Assign(slot++, f, k2015 - 30 * kDay, 0, StoryClusterer::kNone);
    }
    for (const auto& f : others) {
      sc->Assign(slot, f, k2015, 1 + slot % 10, StoryClusterer::kNone);
      ++slot;
    }
    std::set<uint32_t> stories;
    for (const auto& f : chromed) {
      stories.insert(sc->Assign(slot++, f, k2015 + kDay, 0, StoryClusterer::kNone));
    }
    // Each unrelated article is its own story (a few chance merges would already be a bug).
    EXPECT_EQ(stories.size(), chromed.size()) << (batch ? "batch" : "streaming");
  }
}

TEST_F(StoryClustererTest, ChromeWithoutSourceDiscountWouldMerge) {
  // The control for the test above: the same chrome lines, but each article from a different
  // outlet, so nothing tells the clusterer that the lines are chrome; short articles do merge.
  // This shows the chrome test can fail.
  std::ifstream in(std::string(NAZIR_SHARED_DIR) + "/datasets/seed/page_chrome_lines.txt");
  if (!in) GTEST_SKIP() << "../shared/datasets/seed/page_chrome_lines.txt not found";
  std::string chrome((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::mt19937 rng(43);
  auto sc = StoryClusterer::Create();
  ASSERT_TRUE(sc.ok());
  uint32_t slot = 0;
  for (int i = 0; i < 1000; ++i) {
    sc->Assign(slot++, Features("", RandomText(&rng, 80)), k2015, 1, StoryClusterer::kNone);
  }
  std::set<uint32_t> stories;
  for (int i = 0; i < 20; ++i) {
    stories.insert(sc->Assign(slot++, Features("", RandomText(&rng, 8) + "\n" + chrome), k2015,
                              100 + i, StoryClusterer::kNone));
  }
  EXPECT_LT(stories.size(), 20u);
}

TEST_F(StoryClustererTest, SpellingVariantsDoNotSplitAStory) {
  // Two reports of one event by different outlets; one writes سوريا/بيلوسوف/نتنياهو, the other
  // سورية/بيلاوسوف/نتانياهو. Apart from the variants and common words they share nothing.
  std::mt19937 rng(11);
  std::vector<StoryFeatures> background;
  for (int i = 0; i < 300; ++i) background.push_back(Features("", RandomText(&rng, 60)));
  std::string a_title = "بيلوسوف يبحث مع نتنياهو الوضع في سوريا";
  std::string a_body = "بحث وزير الدفاع الروسي أندريه بيلوسوف مع نتنياهو الوضع في سوريا. " +
                       RandomText(&rng, 25) + " وقال بيلوسوف إن سوريا " + RandomText(&rng, 10);
  std::string b_title = "بيلاوسوف ونتانياهو يناقشان سورية";
  std::string b_body = "ناقش بيلاوسوف ونتانياهو تطورات سورية. " + RandomText(&rng, 25) +
                       " وأضاف بيلاوسوف أن سورية " + RandomText(&rng, 10);
  for (bool fold : {true, false}) {
    StoryTermOptions topt;
    topt.fold_variants = fold;
    auto fz = StoryFeaturizer::Create(topt);
    ASSERT_TRUE(fz.ok());
    auto feat = [&](const std::string& title, const std::string& body) {
      std::vector<std::string_view> tokens;
      analyzer_->Analyze(body, &tokens);
      StoryFeatures f;
      fz->Featurize(title, tokens, &f);
      return f;
    };
    auto sc = StoryClusterer::Create();
    ASSERT_TRUE(sc.ok());
    uint32_t slot = 0;
    for (const auto& f : background) sc->Assign(slot++, f, k2025, 2, StoryClusterer::kNone);
    uint32_t sa = sc->Assign(slot++, feat(a_title, a_body), k2025, 0, StoryClusterer::kNone);
    uint32_t sb = sc->Assign(slot++, feat(b_title, b_body), k2025, 1, StoryClusterer::kNone);
    if (fold) {
      EXPECT_EQ(sa, sb) << "variants split the story";
    } else {
      EXPECT_NE(sa, sb) << "control: without folding the variants share too little";
    }
  }
}

TEST_F(StoryClustererTest, RareCliticFormIsReadAsItsCommonStem) {
  // 30 background documents mention عسير; one document writes only بعسير (df 1). With the
  // clitic reading its vector holds عسير (df 30); without it, the unshared بعسير.
  std::mt19937 rng(5);
  std::vector<StoryFeatures> background;
  for (int i = 0; i < 300; ++i) {
    background.push_back(Features("", RandomText(&rng, 40) + (i % 10 == 0 ? " عسير" : "")));
  }
  const StoryFeatures doc = Features("انفجار بعسير", "انفجار بعسير " + RandomText(&rng, 8));
  for (uint32_t min_df : {20u, 0u}) {
    StoryOptions opt;
    opt.clitic_min_df = min_df;
    auto sc = StoryClusterer::Create(opt);
    ASSERT_TRUE(sc.ok());
    uint32_t slot = 0;
    for (const auto& f : background) sc->Assign(slot++, f, k2015, 2, StoryClusterer::kNone);
    const uint32_t story = sc->Assign(slot++, doc, k2015, 1, StoryClusterer::kNone);
    std::vector<std::string> top;
    for (const StorySummary& s : sc->Summaries(64)) {
      if (s.anchor == story) top = s.top_terms;
    }
    ASSERT_FALSE(top.empty());
    const bool stem = std::find(top.begin(), top.end(), "عسير") != top.end();
    const bool full = std::find(top.begin(), top.end(), "بعسير") != top.end();
    if (min_df != 0) {
      EXPECT_TRUE(stem && !full) << "بعسير not read as عسير";
    } else {
      EXPECT_TRUE(full && !stem) << "control: without the clitic reading بعسير stays";
    }
  }
}

TEST_F(StoryClustererTest, FrequentCliticFormIsKept) {
  // A full form that is itself common (df > clitic_max_full_df) keeps its own reading.
  std::mt19937 rng(6);
  std::vector<StoryFeatures> background;
  for (int i = 0; i < 600; ++i) {
    std::string extra = i % 5 == 0 ? " عسير" : (i % 40 == 1 ? " بعسير" : "");
    background.push_back(Features("", RandomText(&rng, 40) + extra));
  }
  const StoryFeatures doc = Features("انفجار بعسير", "انفجار بعسير " + RandomText(&rng, 8));
  auto sc = StoryClusterer::Create();
  ASSERT_TRUE(sc.ok());
  uint32_t slot = 0;
  for (const auto& f : background) sc->Assign(slot++, f, k2015, 2, StoryClusterer::kNone);
  const uint32_t story = sc->Assign(slot++, doc, k2015, 1, StoryClusterer::kNone);
  std::vector<std::string> top;
  for (const StorySummary& s : sc->Summaries(64)) {
    if (s.anchor == story) top = s.top_terms;
  }
  EXPECT_NE(std::find(top.begin(), top.end(), "بعسير"), top.end());
  EXPECT_EQ(std::find(top.begin(), top.end(), "عسير"), top.end());
}

// Synthetic features: terms with the given ids, each with body_tf `tf`.
StoryFeatures Synthetic(std::initializer_list<std::pair<uint64_t, uint16_t>> terms) {
  StoryFeatures f;
  for (const auto& [id, tf] : terms) f.terms.push_back({id, 0, tf, 0});
  std::sort(f.terms.begin(), f.terms.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  return f;
}

TEST(StoryAbsorbTest, FinalFragmentJoinsTheBigStoryOfItsEvent) {
  // Twelve reports of one event share four event terms (ids 1-4) and each has words of its
  // own. A reaction that came right after the first report names the event in passing and
  // is otherwise written in its own words (40 words no other document has): against the
  // one-report story it scores below threshold and starts a story of its own; against the
  // final twelve-report centroid it scores above. The second look joins it when the batch is
  // complete; with absorb_threshold 0 (control) it stays apart. First-pass merging
  // (merge_threshold 0.4) does not join them either.
  std::vector<StoryFeatures> docs;
  uint64_t next = 1000;
  auto own = [&next](StoryFeatures* f, int n, uint16_t tf) {
    for (int i = 0; i < n; ++i) f->terms.push_back({next++, 0, tf, 0});
  };
  for (int i = 0; i < 300; ++i) {  // unrelated background
    StoryFeatures f;
    own(&f, 10, 1);
    docs.push_back(f);
  }
  auto report = [&] {
    StoryFeatures f = Synthetic({{1, 2}, {2, 2}, {3, 2}, {4, 2}});
    own(&f, 6, 1);
    return f;
  };
  docs.push_back(report());  // slot 300: the first report
  StoryFeatures reaction = Synthetic({{1, 1}, {2, 1}, {3, 1}, {4, 1}});
  own(&reaction, 40, 1);
  docs.push_back(reaction);                               // slot 301
  for (int i = 0; i < 11; ++i) docs.push_back(report());  // slots 302-312
  for (double absorb : {0.2, 0.0}) {
    StoryOptions opt;
    opt.absorb_threshold = absorb;
    auto sc = StoryClusterer::Create(opt);
    ASSERT_TRUE(sc.ok());
    for (const StoryFeatures& f : docs) sc->CountDocument(f, 1);
    std::vector<uint32_t> at_assign(docs.size());
    for (uint32_t i = 0; i < docs.size(); ++i) {
      at_assign[i] = sc->Assign(i, docs[i], k2015, 1 + i % 5, StoryClusterer::kNone);
    }
    EXPECT_EQ(at_assign[301], 301u) << "the reaction should start its own story";
    EXPECT_EQ(at_assign[312], 300u) << "the reports should form one story";
    for (uint32_t i = 302; i < docs.size(); ++i) EXPECT_EQ(sc->story_of(i), 300u);
    EXPECT_EQ(sc->story_of(0), 0u) << "background absorbed";
    if (absorb > 0) {
      EXPECT_EQ(sc->story_of(301), 300u) << "the final fragment was not absorbed";
    } else {
      EXPECT_EQ(sc->story_of(301), 301u) << "control: without the second look it stays apart";
    }
  }
  // A batch that is not complete (one more document counted than assigned): no story is final
  // until the caller asks for the second look.
  auto sc = StoryClusterer::Create();
  ASSERT_TRUE(sc.ok());
  for (const StoryFeatures& f : docs) sc->CountDocument(f, 1);
  sc->CountDocument(docs[0], 1);
  for (uint32_t i = 0; i < docs.size(); ++i) {
    sc->Assign(i, docs[i], k2015, 1 + i % 5, StoryClusterer::kNone);
  }
  EXPECT_EQ(sc->story_of(312), 300u);
  EXPECT_EQ(sc->story_of(301), 301u) << "absorbed before the stream ended";
  sc->SecondLook();
  EXPECT_EQ(sc->story_of(301), 300u) << "SecondLook did not absorb the fragment";
  EXPECT_EQ(sc->story_of(0), 0u);
}

// AssignBatch (document vectors on a second thread when the batch was counted) gives the
// results of Assign in turn, with near-duplicate hints, bit for bit (the serialized states are
// equal); and the plain loop when the documents were not counted.
TEST_F(StoryClustererTest, AssignBatchEqualsAssignInTurn) {
  std::vector<SeedDoc> seed = LoadSeed();
  ASSERT_EQ(seed.size(), 4u);
  std::mt19937 rng(21);
  std::vector<StoryFeatures> feats;
  std::vector<int64_t> dates;
  std::string shared;
  for (int i = 0; i < 600; ++i) {
    // Pairs of related documents (shared random words) so that stories form and merge.
    if (i % 2 == 0) shared = RandomText(&rng, 20);
    feats.push_back(Features("", shared + RandomText(&rng, 20)));
    dates.push_back(k2025 - 3 * kDay + i * 600);
  }
  for (const SeedDoc& d : seed) {
    feats.push_back(Features(d.title, d.text));
    dates.push_back(d.date);
  }
  auto nd = [](size_t i) {
    return i % 7 == 3 ? static_cast<uint32_t>(i - 1) : StoryClusterer::kNone;
  };
  for (bool counted : {true, false}) {
    auto a = StoryClusterer::Create();
    auto b = StoryClusterer::Create();
    ASSERT_TRUE(a.ok() && b.ok());
    if (counted) {
      for (size_t i = 0; i < feats.size(); ++i) {
        a->CountDocument(feats[i], i % 4);
        b->CountDocument(feats[i], i % 4);
      }
    }
    for (size_t i = 0; i < feats.size(); ++i) {
      const uint32_t h =
          nd(i) == StoryClusterer::kNone ? StoryClusterer::kNone : a->story_of(nd(i));
      a->Assign(static_cast<uint32_t>(i), feats[i], dates[i], i % 4, h);
    }
    b->AssignBatch(feats.size(), [&](size_t i, StoryFeatures*) {
      return StoryBatchDoc{static_cast<uint32_t>(i), &feats[i], dates[i],
                           static_cast<uint32_t>(i % 4), nd(i)};
    });
    std::set<uint32_t> stories;
    for (uint32_t i = 0; i < feats.size(); ++i) {
      ASSERT_EQ(a->story_of(i), b->story_of(i)) << "slot " << i << (counted ? " batch" : " stream");
      stories.insert(a->story_of(i));
    }
    EXPECT_LT(stories.size(), feats.size() - 100) << "too few documents joined a story";
    std::string ba, bb;
    a->Serialize(&ba);
    b->Serialize(&bb);
    EXPECT_TRUE(ba == bb) << "serialized states differ (" << (counted ? "batch" : "stream") << ")";
  }
}

// Terms of equal weight: the heaviest-terms selections (the document's doc_terms, the
// centroid's centroid_terms) keep the lowest term ids, as a sort by (weight desc, id asc) would.
TEST(StoryTopTermsTest, EqualWeightsKeepTheLowestIds) {
  StoryFeatures f;
  for (uint64_t id = 1; id <= 100; ++id) {
    f.terms.push_back({id * 0x9E3779B9ull, 0, 1, 0});  // sorted by id
    f.new_string_ids.push_back(id * 0x9E3779B9ull);
    f.new_strings.push_back(absl::StrCat("t", id));
  }
  for (uint32_t centroid_terms : {128u, 40u}) {
    StoryOptions o;
    o.centroid_terms = centroid_terms;
    auto sc = StoryClusterer::Create(o);
    ASSERT_TRUE(sc.ok()) << sc.status();
    sc->Assign(0, f, k2025, 0, StoryClusterer::kNone);
    const std::vector<StorySummary> sums = sc->Summaries(1000);
    ASSERT_EQ(sums.size(), 1u);
    const size_t kept = std::min<size_t>(o.doc_terms, centroid_terms);
    std::vector<std::string> want;
    for (size_t id = 1; id <= kept; ++id) want.push_back(absl::StrCat("t", id));
    EXPECT_EQ(sums[0].top_terms, want) << "centroid_terms " << centroid_terms;
  }
}

TEST_F(StoryClustererTest, NearDuplicateHintJoinsAndUpdatesSummary) {
  std::mt19937 rng(5);
  auto sc = StoryClusterer::Create();
  ASSERT_TRUE(sc.ok());
  StoryFeatures a = Features("لافروف يلتقي الشيباني", RandomText(&rng, 50));
  StoryFeatures b = Features("", RandomText(&rng, 50));
  EXPECT_EQ(sc->Assign(3, a, k2025, 7, StoryClusterer::kNone), 3u);
  // b shares nothing with a, but the engine says it is a near-duplicate of a's story.
  EXPECT_EQ(sc->Assign(0, b, k2025 + 2 * kDay, 9, 3u), 3u);
  EXPECT_EQ(sc->story_of(0), 3u);
  EXPECT_EQ(sc->story_of(3), 3u);
  EXPECT_EQ(sc->story_of(1), StoryClusterer::kNone);
  std::vector<StorySummary> sums = sc->Summaries(4);
  ASSERT_EQ(sums.size(), 1u);
  EXPECT_EQ(sums[0].anchor, 3u);
  EXPECT_EQ(sums[0].size, 2u);
  EXPECT_EQ(sums[0].groups, 1u);
  EXPECT_EQ(sums[0].members, (std::vector<uint32_t>{0, 3}));
  EXPECT_EQ(sums[0].sources, (std::vector<uint32_t>{7, 9}));
  EXPECT_EQ(sums[0].first_date, k2025);
  EXPECT_EQ(sums[0].last_date, k2025 + 2 * kDay);
  EXPECT_EQ(sums[0].top_terms.size(), 4u);
}

TEST_F(StoryClustererTest, SerializeRoundTripContinuesIdentically) {
  std::vector<SeedDoc> seed = LoadSeed();
  ASSERT_EQ(seed.size(), 4u);
  std::mt19937 rng(9);
  std::vector<StoryFeatures> feats;
  for (int i = 0; i < 50; ++i) feats.push_back(Features("", RandomText(&rng, 40)));
  for (const SeedDoc& d : seed) feats.push_back(Features(d.title, d.text));
  auto a = StoryClusterer::Create();
  ASSERT_TRUE(a.ok());
  for (uint32_t i = 0; i < 52; ++i) a->Assign(i, feats[i], k2025, i % 3, StoryClusterer::kNone);
  std::string blob;
  a->Serialize(&blob);
  auto b = StoryClusterer::Deserialize(blob);
  ASSERT_TRUE(b.ok()) << b.status();
  std::string blob2;
  b->Serialize(&blob2);
  EXPECT_EQ(blob, blob2);
  for (uint32_t i = 52; i < feats.size(); ++i) {
    EXPECT_EQ(a->Assign(i, feats[i], k2025, i % 3, StoryClusterer::kNone),
              b->Assign(i, feats[i], k2025, i % 3, StoryClusterer::kNone));
  }
  for (uint32_t i = 0; i < feats.size(); ++i) EXPECT_EQ(a->story_of(i), b->story_of(i));
  // Corruption is detected.
  std::string bad = blob;
  bad[bad.size() / 2] ^= 1;
  EXPECT_EQ(StoryClusterer::Deserialize(bad).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(StoryClusterer::Deserialize(blob.substr(0, blob.size() - 3)).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_FALSE(StoryClusterer::Deserialize("").ok());
}

// A crafted blob with a valid checksum cannot make Deserialize allocate more
// than it holds: source_df_log2_width = 28 asks for a 1 GiB count-min sketch
// whose counters the blob does not have. Deserialize used to allocate (and
// zero) it before checking; it now checks the options against the bytes left
// first. Run in a child that may grow by 256 MiB at most.
TEST(StoryClustererSerializationTest, CraftedSketchWidthIsRefusedBeforeItAllocates) {
  auto sc = StoryClusterer::Create();
  ASSERT_TRUE(sc.ok());
  std::string blob;
  sc->Serialize(&blob);
  // "NZSTORY1", u32 version, u64 body size, u64 XXH3 of the body, then the
  // options in declaration order up to source_df_log2_width (an i32).
  constexpr size_t kBody = 8 + 4 + 8 + 8;
  const StoryOptions o;
  const size_t width_at =
      kBody + sizeof o.threshold + sizeof o.window_seconds + sizeof o.decay_half_life_seconds +
      sizeof o.title_weight + sizeof o.lead_weight + sizeof o.doc_terms + sizeof o.centroid_terms +
      sizeof o.max_df_fraction + sizeof o.min_docs_for_df_cut + sizeof o.source_prior_docs +
      sizeof o.query_terms + sizeof o.index_terms + sizeof o.summary_terms;
  // The limit itself does not make Deserialize fail: the blob as saved reads.
  EXPECT_EXIT(
      {
        if (!testing::LimitAddressSpaceGrowth(size_t{256} << 20)) std::_Exit(3);
        std::_Exit(StoryClusterer::Deserialize(blob).ok() ? 0 : 2);
      },
      ::testing::ExitedWithCode(0), "");
  int32_t width = 0;
  std::memcpy(&width, blob.data() + width_at, 4);
  ASSERT_EQ(width, o.source_df_log2_width);
  width = 28;
  std::memcpy(blob.data() + width_at, &width, 4);
  const uint64_t sum = XXH3_64bits(blob.data() + kBody, blob.size() - kBody);
  std::memcpy(blob.data() + kBody - 8, &sum, 8);
  EXPECT_EXIT(
      {
        if (!testing::LimitAddressSpaceGrowth(size_t{256} << 20)) std::_Exit(3);
        const absl::Status st = StoryClusterer::Deserialize(blob).status();
        std::fprintf(stderr, "%s\n", st.ToString().c_str());
        std::_Exit(st.code() == absl::StatusCode::kDataLoss ? 0 : 2);
      },
      ::testing::ExitedWithCode(0), "source_df_log2_width 28");
}

// A story whose size field exceeds the slots of the blob (found by the story_deserialize
// fuzzer: tests/fuzz/regressions/) made Summaries() reserve billions of members (5.7 GB);
// Deserialize now refuses it. The input is the fuzzer's, its size and checksum fixed as the
// fuzz target does.
TEST(StoryClustererSerializationTest, StorySizeBeyondTheSlotsIsRefused) {
  std::ifstream in(NAZIR_SOURCE_DIR
                   "/tests/fuzz/regressions/story_deserialize/oom-story-size-in-summaries",
                   std::ios::binary);
  ASSERT_TRUE(in.good());
  std::string blob((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  constexpr size_t kSizeAt = 8 + 4, kSumAt = kSizeAt + 8, kBodyAt = kSumAt + 8;
  ASSERT_GT(blob.size(), kBodyAt);
  const uint64_t body = blob.size() - kBodyAt;
  const uint64_t sum = XXH3_64bits(blob.data() + kBodyAt, body);
  std::memcpy(blob.data() + kSizeAt, &body, sizeof body);
  std::memcpy(blob.data() + kSumAt, &sum, sizeof sum);
  EXPECT_EXIT(
      {
        if (!testing::LimitAddressSpaceGrowth(size_t{256} << 20)) std::_Exit(3);
        auto sc = StoryClusterer::Deserialize(blob);
        if (sc.ok()) (void)sc->Summaries();
        std::fprintf(stderr, "%s\n", sc.status().ToString().c_str());
        std::_Exit(sc.status().code() == absl::StatusCode::kDataLoss ? 0 : 2);
      },
      ::testing::ExitedWithCode(0), "story size");
}

// Forget (retention) changes no later decision: two clusterers take the same dated stream of
// event reports, with near-duplicate hints naming stories by their (possibly dead) anchor;
// one forgets the slots more than three days old after each day, the other never does.
// Every Assign, story_of of live slots and the summaries of live members stay equal, also
// after both are serialized and restored; the forgetting one's blob is the smaller one.
TEST_F(StoryClustererTest, ForgetChangesNoLaterDecision) {
  std::mt19937 rng(31);
  struct Doc {
    StoryFeatures f;
    int64_t date;
    uint32_t source;
    int copy_of;  // index of the document this one republishes, or -1
  };
  std::vector<Doc> docs;
  for (int e = 0; e < 400; ++e) {
    const std::vector<std::string> vocab = absl::StrSplit(RandomText(&rng, 40), ' ');
    const int64_t start = k2015 + (e / 10) * kDay + static_cast<int64_t>(rng() % 40000);
    for (int r = 0; r < 2 + static_cast<int>(rng() % 6); ++r) {
      std::string body;
      for (int k = 0; k < 50; ++k) absl::StrAppend(&body, vocab[rng() % vocab.size()], " ");
      body += RandomText(&rng, 15);
      const int64_t date = start + static_cast<int64_t>(rng() % (2 * kDay));
      docs.push_back({Features(vocab[0], body), date, static_cast<uint32_t>(rng() % 4), -1});
      if (rng() % 3 == 0) {
        docs.push_back({Features("", body), date + (2 + static_cast<int64_t>(rng() % 5)) * kDay, 7,
                        static_cast<int>(docs.size()) - 1});
      }
    }
  }
  std::vector<uint32_t> order(docs.size());  // slots in date order
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&docs](uint32_t x, uint32_t y) { return docs[x].date < docs[y].date; });
  auto a = StoryClusterer::Create();
  auto b = StoryClusterer::Create();
  ASSERT_TRUE(a.ok() && b.ok());
  int64_t cutoff = INT64_MIN;
  auto live = [&](uint32_t slot) { return docs[slot].date >= cutoff; };
  auto compare = [&](const std::string& when) {
    for (uint32_t slot = 0; slot < docs.size(); ++slot) {
      if (live(slot)) {
        EXPECT_EQ(a->story_of(slot), b->story_of(slot)) << when << " " << slot;
      }
    }
    std::vector<StorySummary> sa = a->Summaries(), sb = b->Summaries();
    for (auto* v : {&sa, &sb}) {
      for (StorySummary& x : *v) {
        std::erase_if(x.members, [&](uint32_t slot) { return !live(slot); });
      }
      std::erase_if(*v, [](const StorySummary& x) { return x.members.empty(); });
    }
    ASSERT_EQ(sa.size(), sb.size()) << when;
    for (size_t i = 0; i < sa.size(); ++i) {
      EXPECT_EQ(sa[i].anchor, sb[i].anchor) << when;
      EXPECT_EQ(sa[i].size, sb[i].size) << when;
      EXPECT_EQ(sa[i].groups, sb[i].groups) << when;
      EXPECT_EQ(sa[i].members, sb[i].members) << when;
      EXPECT_EQ(sa[i].sources, sb[i].sources) << when;
      EXPECT_EQ(sa[i].first_date, sb[i].first_date) << when;
      EXPECT_EQ(sa[i].last_date, sb[i].last_date) << when;
      EXPECT_EQ(sa[i].top_terms, sb[i].top_terms) << when;
    }
  };
  size_t forgotten_stories = 0, restored = 0;
  int64_t day = docs[order[0]].date / kDay;
  for (size_t k = 0; k < order.size(); ++k) {
    const uint32_t slot = order[k];
    const Doc& d = docs[slot];
    if (d.date / kDay != day) {  // a new day: forget what is more than three days old
      day = d.date / kDay;
      cutoff = (day - 3) * kDay;
      const size_t before = a->num_stories();
      a->Forget(live);
      forgotten_stories += before - a->num_stories();
      compare("day " + std::to_string(day));
      if (day % 5 == 0) {  // both continue with a restored copy (Serialize keeps the
                           // spellings of centroid terms only)
        for (auto* x : {&a, &b}) {
          std::string blob;
          (*x)->Serialize(&blob);
          auto c = StoryClusterer::Deserialize(blob);
          ASSERT_TRUE(c.ok()) << c.status();
          **x = *std::move(c);
        }
        ++restored;
      }
    }
    // The hint names the story of the republished document by its anchor, which may be a
    // forgotten slot (as Engine does with story_of of the group's anchor).
    const uint32_t hint_a = d.copy_of < 0 ? StoryClusterer::kNone : a->story_of(d.copy_of);
    const uint32_t hint_b = d.copy_of < 0 ? StoryClusterer::kNone : b->story_of(d.copy_of);
    if (d.copy_of >= 0 && live(d.copy_of)) {
      ASSERT_EQ(hint_a, hint_b);
    }
    const uint32_t hint = d.copy_of < 0 || !live(d.copy_of) ? StoryClusterer::kNone : hint_a;
    ASSERT_EQ(a->Assign(slot, d.f, d.date, d.source, hint),
              b->Assign(slot, d.f, d.date, d.source, hint))
        << "document " << k;
  }
  compare("end");
  EXPECT_GT(forgotten_stories, 20u);
  EXPECT_GT(restored, 0u);
  std::string blob_a, blob_b;
  a->Serialize(&blob_a);
  b->Serialize(&blob_b);
  EXPECT_LT(blob_a.size(), blob_b.size());
  EXPECT_LT(a->num_stories(), b->num_stories());
}

TEST(StoryOptionsTest, SetByName) {
  StoryOptions o;
  EXPECT_TRUE(o.SetAll("threshold=0.3,window_seconds=86400,merge_stories=false,doc_terms=48").ok());
  EXPECT_DOUBLE_EQ(o.threshold, 0.3);
  EXPECT_EQ(o.window_seconds, 86400);
  EXPECT_FALSE(o.merge_stories);
  EXPECT_EQ(o.doc_terms, 48u);
  EXPECT_TRUE(o.Set("absorb_ratio", "5").ok());
  EXPECT_DOUBLE_EQ(o.absorb_ratio, 5);
  const absl::Status unknown = o.Set("treshold", "0.3");
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.message().find("absorb_threshold"), absl::string_view::npos)
      << "lists the known names: " << unknown;
  EXPECT_FALSE(o.Set("doc_terms", "-1").ok());
  EXPECT_FALSE(o.Set("doc_terms", "many").ok());
  EXPECT_FALSE(o.Set("merge_stories", "maybe").ok());
  EXPECT_FALSE(o.SetAll("threshold").ok());
  EXPECT_DOUBLE_EQ(o.threshold, 0.3) << "failed sets leave the field";
}

TEST(StoryOptionsTest, Validate) {
  EXPECT_TRUE(StoryOptions{}.Validate().ok());
  StoryOptions o;
  o.threshold = 0;
  EXPECT_FALSE(o.Validate().ok());
  o = {};
  o.decay_half_life_seconds = 0;
  EXPECT_FALSE(o.Validate().ok());
  o = {};
  o.doc_terms = 0;
  EXPECT_FALSE(StoryClusterer::Create(o).ok());
  o = {};
  o.clitic_df_ratio = 0.5;
  EXPECT_FALSE(o.Validate().ok());
  o = {};
  o.absorb_threshold = 1.5;
  EXPECT_FALSE(o.Validate().ok());
  o = {};
  o.absorb_ratio = 0.5;
  EXPECT_FALSE(o.Validate().ok());
  o = {};
  o.absorb_threshold = 0;  // off
  EXPECT_TRUE(o.Validate().ok());
}

}  // namespace
}  // namespace nazir
