// ar-sc-1 term layer: golden vectors (tests/golden/test_vectors_clustering.tsv, which assume the
// Lucene/Savoy stopword list and the sample protected list from ../shared), month
// canonicalization, stemming protection and the built-in lists.
#include "nazir/story/story_terms.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include <gtest/gtest.h>

#include "nazir/normalize/tokenizer.h"
#include "nazir/story/story_features.h"

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
