// ar-sc-1 term layer: golden vectors (tests/golden/test_vectors_clustering.tsv, which assume the
// Lucene/Savoy stopword list and the sample protected list from ../shared), month
// canonicalization, stemming protection and the built-in lists.
#include "nazir/story/story_terms.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include <gtest/gtest.h>

#include "nazir/normalize/tokenizer.h"
#include "nazir/story/story_features.h"

#include "story/internal.h"

namespace nazir {
namespace {

std::string TermsOf(const StoryTermizer& termizer, TextAnalyzer& analyzer, std::string_view raw) {
  std::vector<std::string_view> tokens;
  analyzer.Analyze(raw, &tokens);
  std::vector<std::string> terms;
  termizer.Terms(tokens, &terms);
  return absl::StrJoin(terms, " ");
}

class DefaultListsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = StoryTermizer::Create();
    ASSERT_TRUE(t.ok()) << t.status();
    termizer_.emplace(*std::move(t));
    auto a = TextAnalyzer::Create();
    ASSERT_TRUE(a.ok()) << a.status();
    analyzer_.emplace(*std::move(a));
  }
  std::string Terms(std::string_view raw) { return TermsOf(*termizer_, *analyzer_, raw); }
  std::optional<StoryTermizer> termizer_;
  std::optional<TextAnalyzer> analyzer_;
};

TEST(StoryTermsGolden, AllClusteringVectorsPass) {
  const std::string shared = NAZIR_SHARED_DIR;
  auto stop = LoadWordList(shared + "/arabic/stopwords/lucene_savoy_ar.txt");
  auto prot = LoadWordList(shared + "/arabic/protected_terms_sample_ar.txt");
  if (!stop.ok() || !prot.ok()) {
    GTEST_SKIP() << "../shared/arabic stopword/protected lists not found (" << stop.status() << "; "
                 << prot.status() << ")";
  }
  StoryTermOptions opt;
  opt.stopwords = *stop;
  opt.protected_terms = *prot;
  auto termizer = StoryTermizer::Create(opt);
  ASSERT_TRUE(termizer.ok()) << termizer.status();
  auto analyzer = TextAnalyzer::Create();
  ASSERT_TRUE(analyzer.ok());

  std::ifstream in(std::string(NAZIR_SOURCE_DIR) + "/tests/golden/test_vectors_clustering.tsv");
  ASSERT_TRUE(in) << "tests/golden/test_vectors_clustering.tsv missing";
  std::string line;
  std::getline(in, line);  // header
  int rows = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> cols = absl::StrSplit(line, '\t');
    ASSERT_GE(cols.size(), 2u) << line;
    std::string expected = cols.size() >= 3 ? cols[2] : "";
    EXPECT_EQ(TermsOf(*termizer, *analyzer, cols[1]), expected) << cols[0];
    ++rows;
  }
  EXPECT_EQ(rows, 31);
}

TEST_F(DefaultListsTest, MonthsOfAllNamingSystemsBecomeOneToken) {
  EXPECT_EQ(Terms("ديسمبر/كانون الأول"), "month:12");
  EXPECT_EQ(Terms("كانون الأول/ديسمبر"), "month:12");
  EXPECT_EQ(Terms("كانون الأول"), "month:12");
  EXPECT_EQ(Terms("شباط"), "month:02");
  EXPECT_EQ(Terms("فيفري"), "month:02");
  EXPECT_EQ(Terms("إبريل"), "month:04");
  EXPECT_EQ(Terms("ابريل"), "month:04");
  EXPECT_EQ(Terms("يوليوز"), "month:07");
  EXPECT_EQ(Terms("جويلية"), "month:07");
  EXPECT_EQ(Terms("غشت"), "month:08");
  EXPECT_EQ(Terms("تشرين أول"), "month:10");
  EXPECT_EQ(Terms("نوڤمبر"), "month:11");
  // Two different months next to each other are both kept.
  EXPECT_EQ(Terms("يناير فبراير"), "month:01 month:02");
}

TEST_F(DefaultListsTest, AmbiguousMonthNamesNeedDateContext) {
  EXPECT_EQ(Terms("3 مارس"), "3 month:03");
  EXPECT_EQ(Terms("مارس 2020"), "month:03 2020");
  EXPECT_EQ(Terms("مارس/آذار"), "month:03");
  EXPECT_EQ(Terms("آب/أغسطس"), "month:08");
  EXPECT_EQ(Terms("12 ماي"), "12 month:05");
  EXPECT_EQ(Terms("أوت 2019"), "month:08 2019");
  // Not a date: the verb مارس, the word اب (father), day out of range, year out of range.
  EXPECT_EQ(Terms("مارس الضغط"), "مارس ضغط");
  EXPECT_EQ(Terms("أب"), "اب");
  EXPECT_EQ(Terms("45 مارس"), "45 مارس");
  EXPECT_EQ(Terms("مارس 2500"), "مارس 2500");
  // كانون / تشرين without an ordinal are not months; Hijri months are never mapped.
  EXPECT_EQ(Terms("صحيفة تشرين"), "صحيف تشرين");
  EXPECT_EQ(Terms("رمضان"), "رمضان");
}

TEST_F(DefaultListsTest, StemmingProtectsNames) {
  EXPECT_EQ(Terms("بوتين"), "بوتين");
  EXPECT_EQ(Terms("الشيباني"), "شيباني");
  EXPECT_EQ(Terms("لبنان"), "لبنان");
  EXPECT_EQ(Terms("إيران"), "ايران");
  EXPECT_EQ(Terms("وزير والوزير ووزراء"), "وزير وزير وزراء");
  EXPECT_EQ(Terms("واشنطن"), "واشنطن");
  EXPECT_EQ(Terms("أبين"), "ابين");
  // Unprotected words are stemmed with the Lucene rules.
  EXPECT_EQ(Terms("المفاوضات السورية"), "مفاوض سور");
  EXPECT_EQ(Terms("الفلسطينيين"), "فلسطين");
}

TEST_F(DefaultListsTest, BuiltInStopwordsAreFunctionWordsOnly) {
  EXPECT_EQ(Terms("من في على إلى أن هذا الذي كان"), "");
  EXPECT_EQ(Terms("وقال وأضاف"), "");
  // Months, weekdays, numbers, currencies and directions are not stopwords.
  EXPECT_EQ(Terms("الخميس"), "خميس");
  EXPECT_EQ(Terms("مليون دولار"), "مليون دولار");
  EXPECT_EQ(Terms("شمال"), "شمال");
  // Single Arabic letters go, single digits stay.
  EXPECT_EQ(Terms("و 5"), "5");
}

TEST_F(DefaultListsTest, StemmingCanBeDisabled) {
  StoryTermOptions opt;
  opt.stem = false;
  auto t = StoryTermizer::Create(opt);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(TermsOf(*t, *analyzer_, "المفاوضات السورية في 3 مارس"), "المفاوضات السوريه 3 month:03");
}

TEST_F(DefaultListsTest, CliticCandidates) {
  std::string buf;
  auto candidate = [&](std::string_view raw) {
    std::string term = Terms(raw);  // as ForEachTerm emits it
    return std::string(termizer_->CliticCandidate(term, &buf));
  };
  EXPECT_EQ(Terms("بعسير"), "بعسير");  // the light stemmer keeps ب
  EXPECT_EQ(candidate("بعسير"), "عسير");
  EXPECT_EQ(candidate("لعسير"), "عسير");
  EXPECT_EQ(candidate("فالمسجد"), "");  // فال is a Lucene prefix: nothing left to strip
  EXPECT_EQ(Terms("فالمسجد"), "مسجد");
  // A suffix goes first (ل in لحمتنا is part of the word); a ت before it is a teh marbuta.
  EXPECT_EQ(candidate("لحمتنا"), "لحم");
  EXPECT_EQ(Terms("لحمة"), "لحم");
  EXPECT_EQ(candidate("تزيدنا"), "تزيد");
  EXPECT_EQ(candidate("قادتهم"), "قاد");
  EXPECT_EQ(candidate("بلادكم"), "بلاد");
  // Nothing to strip, too short after stripping, protected, not an Arabic word.
  EXPECT_EQ(candidate("عسير"), "");
  EXPECT_EQ(candidate("بحث"), "");
  EXPECT_EQ(candidate("لبنان"), "");
  EXPECT_EQ(candidate("bashar"), "");
  EXPECT_EQ(termizer_->CliticCandidate("month:08", &buf), "");
  // Without stemming there are no candidates.
  StoryTermOptions opt;
  opt.stem = false;
  auto plain = StoryTermizer::Create(opt);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->CliticCandidate("بعسير", &buf), "");
}

TEST(StoryTermsLists, BuiltInListsAreNonTrivialAndLoad) {
  EXPECT_GT(DefaultStoryStopwords().size(), 200u);
  EXPECT_GT(DefaultStoryProtectedTerms().size(), 100u);
  EXPECT_FALSE(LoadWordList("/nonexistent/list.txt").ok());
}

// Hashes for internal::BasicWordTable that put every word of a length (LengthOnlyHash) or
// every word (ConstantHash) in one probe run with one tag, so that Find compares keys and bytes
// on every probe.
struct LengthOnlyHash {
  uint64_t operator()(const internal::WordKey& k) const { return k.len * 0x9E3779B97F4A7C15u; }
};
struct ConstantHash {
  uint64_t operator()(const internal::WordKey&) const { return 0; }
};

// internal::BasicWordTable<Hash> (StoryTermizer's list lookups) against an absl map of the
// same words: every word is found with its own TokenInfo; near misses (one byte changed at each
// position, prefixes, suffixes, one byte more or in front, the word doubled) are found only if
// they are list words themselves.
template <typename Hash = internal::WordKeyHash>
void CheckWordTable(const std::vector<std::string>& list) {
  absl::flat_hash_map<std::string, internal::TokenInfo> words;
  for (size_t i = 0; i < list.size(); ++i) {
    internal::TokenInfo& ti = words[list[i]];
    ti.stop = i % 2 == 0;
    ti.protect = i % 3 == 0;
    ti.months.push_back({std::to_string(i), static_cast<int>(i % 12) + 1, false});
  }
  const internal::BasicWordTable<Hash> table(words);
  ASSERT_EQ(table.size(), words.size());
  const std::set<std::string> in(list.begin(), list.end());
  auto check = [&](const std::string& probe) {
    const internal::TokenInfo* ti = table.Find(probe);
    auto it = words.find(probe);
    if (it == words.end()) {
      EXPECT_EQ(ti, nullptr) << "found a word not in the list: " << probe;
      return;
    }
    ASSERT_NE(ti, nullptr) << "list word not found: " << probe;
    EXPECT_EQ(ti->stop, it->second.stop) << probe;
    EXPECT_EQ(ti->protect, it->second.protect) << probe;
    ASSERT_EQ(ti->months.size(), it->second.months.size()) << probe;
    EXPECT_EQ(ti->months[0].second, it->second.months[0].second) << probe;
  };
  for (const std::string& w : in) {
    check(w);
    for (size_t i = 0; i < w.size(); ++i) {
      for (int delta : {1, -1, 0x40, 0x80}) {
        std::string v = w;
        v[i] = static_cast<char>(v[i] + delta);
        check(v);
      }
      check(w.substr(0, i));
      check(w.substr(i + 1));
    }
    check(w + "x");
    check(w + w);
    check("\xD9" + w);
  }
}

TEST(StoryWordTable, FindsExactlyTheListWords) {
  // The built-in lists as the termizer stores them (normalized with ar-nd-1) ...
  auto norm = Normalizer::Create();
  ASSERT_TRUE(norm.ok());
  std::vector<std::string> list;
  for (auto l : {DefaultStoryStopwords(), DefaultStoryProtectedTerms()}) {
    for (std::string_view w : l) list.push_back(norm->Normalize(w));
  }
  CheckWordTable(list);
  // ... and synthetic words of every length 0..40 (every branch of WordKey: 1-3, 4-7, 8-16,
  // > 16 bytes), with shared heads and tails (the table hashes only a long word's first and
  // last 8 bytes).
  std::vector<std::string> synth;
  for (size_t n = 0; n <= 40; ++n) {
    synth.push_back(std::string(n, 'a'));
    std::string mid(n, 'b');
    if (n > 0) mid[n / 2] = 'c';
    synth.push_back(mid);
    if (n >= 2) synth.push_back("a" + std::string(n - 2, 'b') + "a");
  }
  CheckWordTable(synth);
  CheckWordTable<LengthOnlyHash>(list);
  CheckWordTable<LengthOnlyHash>(synth);
  CheckWordTable<ConstantHash>(synth);
  CheckWordTable({});
  CheckWordTable({""});
}

// internal::SameBytes (the token cache's key compare) against std::string_view ==, for every
// length 0..40 (the cache holds tokens of up to 40 bytes): equal bytes, and one byte changed at
// each position.
TEST(StorySameBytes, EqualsMemcmp) {
  for (size_t n = 0; n <= 40; ++n) {
    std::string key(n, '\0');
    for (size_t i = 0; i < n; ++i) key[i] = static_cast<char>(0xD8 + i * 7);
    const std::string token = key;  // another buffer
    EXPECT_TRUE(internal::SameBytes(key.data(), token)) << n;
    for (size_t i = 0; i < n; ++i) {
      for (int delta : {1, 0x80}) {
        std::string other = token;
        other[i] = static_cast<char>(other[i] + delta);
        EXPECT_FALSE(internal::SameBytes(key.data(), other)) << n << " " << i;
      }
    }
  }
}

TEST(StoryTermsOptions, Validate) {
  StoryTermOptions o;
  EXPECT_TRUE(o.Validate().ok());
  o.max_body_tokens = 2'000'000;
  EXPECT_FALSE(o.Validate().ok());
  EXPECT_FALSE(StoryTermizer::Create(o).ok());
}

TEST(StorySkeleton, FoldsSpellingVariants) {
  // Final -ia of transliterated country names, and the nisba -iya left unstemmed.
  EXPECT_EQ(StoryTermSkeleton("سوريا"), "سور");
  EXPECT_EQ(StoryTermSkeleton("سوريه"), "سور");
  EXPECT_EQ(StoryTermSkeleton("روسيا"), "روس");
  // Interior long vowels of long words (transliterated names).
  EXPECT_EQ(StoryTermSkeleton("بيلوسوف"), StoryTermSkeleton("بيلاوسوف"));
  EXPECT_EQ(StoryTermSkeleton("نتنياهو"), StoryTermSkeleton("نتانياهو"));
  // Short words and non-Arabic terms are untouched.
  EXPECT_EQ(StoryTermSkeleton("اسيا"), "اسيا");
  EXPECT_EQ(StoryTermSkeleton("مقاتل"), "مقاتل");
  EXPECT_EQ(StoryTermSkeleton("month:03"), "month:03");
  EXPECT_EQ(StoryTermSkeleton("2015"), "2015");
  EXPECT_EQ(StoryTermId("سوريا"), StoryTermId("سور"));
  EXPECT_NE(StoryTermId("سوريا", /*fold_variants=*/false), StoryTermId("سور", false));
  EXPECT_LT(StoryTermId("سوريا"), uint64_t{1} << 63);
}

TEST(StoryFeaturizerTest, CountsTitleAndBodySeparatelySortedUnique) {
  auto fz = StoryFeaturizer::Create();
  ASSERT_TRUE(fz.ok()) << fz.status();
  auto analyzer = TextAnalyzer::Create();
  ASSERT_TRUE(analyzer.ok());
  std::vector<std::string_view> body;
  analyzer->Analyze("زار بيلاوسوف سورية وقال بيلاوسوف إن سوريا مهمة", &body);
  StoryFeatures f;
  fz->Featurize("بيلوسوف في سوريا", body, &f);
  ASSERT_FALSE(f.terms.empty());
  for (size_t i = 1; i < f.terms.size(); ++i) EXPECT_LT(f.terms[i - 1].id, f.terms[i].id);
  auto find = [&](std::string_view term) -> const StoryFeatures::Term* {
    uint64_t id = StoryTermId(term);
    for (const auto& t : f.terms) {
      if (t.id == id) return &t;
    }
    return nullptr;
  };
  const auto* belousov = find("بيلوسوف");
  ASSERT_NE(belousov, nullptr);
  EXPECT_EQ(belousov->title_tf, 1);
  EXPECT_EQ(belousov->body_tf, 2);
  const auto* syria = find("سوريا");
  ASSERT_NE(syria, nullptr);
  EXPECT_EQ(syria->title_tf, 1);
  EXPECT_EQ(syria->body_tf, 2);  // سورية (stem سور) and سوريا
  // Strings are emitted once per featurizer.
  EXPECT_EQ(f.new_strings.size(), f.new_string_ids.size());
  EXPECT_EQ(f.new_strings.size(), f.terms.size());
  StoryFeatures g;
  fz->Featurize("بيلوسوف في سوريا", body, &g);
  EXPECT_TRUE(g.new_strings.empty());
  EXPECT_EQ(g.terms.size(), f.terms.size());
}

TEST(StoryFeaturizerTest, EmitsTheCliticCandidateId) {
  auto fz = StoryFeaturizer::Create();
  ASSERT_TRUE(fz.ok()) << fz.status();
  std::vector<std::string_view> body = {"تفجير", "بعسير", "عسير", "لحمتنا"};
  StoryFeatures f;
  fz->Featurize("", body, &f);
  auto find = [&](std::string_view term) -> const StoryFeatures::Term* {
    for (const auto& t : f.terms) {
      if (t.id == StoryTermId(term)) return &t;
    }
    return nullptr;
  };
  ASSERT_EQ(f.terms.size(), 4u);
  ASSERT_NE(find("بعسير"), nullptr);
  EXPECT_EQ(find("بعسير")->alt_id, StoryTermId("عسير"));
  ASSERT_NE(find("لحمتنا"), nullptr);
  EXPECT_EQ(find("لحمتنا")->alt_id, StoryTermId("لحم"));
  ASSERT_NE(find("عسير"), nullptr);
  EXPECT_EQ(find("عسير")->alt_id, StoryFeatures::kNoAlt);
  ASSERT_NE(find("تفجير"), nullptr);
  EXPECT_EQ(find("تفجير")->alt_id, StoryFeatures::kNoAlt);
  // The candidate's spelling is emitted too (for summaries): لحم is new, عسير was emitted.
  EXPECT_EQ(f.new_strings.size(), 5u);
  EXPECT_NE(std::find(f.new_strings.begin(), f.new_strings.end(), "لحم"), f.new_strings.end());
}

TEST(StoryFeaturizerTest, MaxBodyTokensLimitsTheLead) {
  StoryTermOptions opt;
  opt.max_body_tokens = 2;
  auto fz = StoryFeaturizer::Create(opt);
  ASSERT_TRUE(fz.ok());
  std::vector<std::string_view> body = {"لافروف", "موسكو", "دمشق", "بغداد"};
  StoryFeatures f;
  fz->Featurize("", body, &f);
  EXPECT_EQ(f.terms.size(), 2u);
}

}  // namespace
}  // namespace nazir
