// The issue targets as regression tests, through the `nazir` binary on real
// news (SaudiNewsNet in ../shared; skipped when it is absent). Label: slow.
//
//   near-duplicate pairs vs the silver pairs' components: P >= 0.98, R >= 0.97
//   stories vs datasets/stories (347 hand-labelled articles): B-cubed F1 >= 0.90
//   stories vs the second gold set (egnews13, 676 articles, when ../shared has it)
//   stories are events: none spans weeks (SaudiNewsNet and egnews13)
//   the seed mixed into the corpus: one story, which no 2015 article joins
//   the feed path (nazir add) across a restart: the same as without it
//   the feed's stories settled (nazir export --settle): closer to the gold
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "simdjson.h"
#include <gtest/gtest.h>

#include "nazir/io/corpus_reader.h"
#include "nazir/io/json_writer.h"

#include "tests/tools/cli_util.h"

namespace {

const std::string kShared = NAZIR_SHARED_DIR "/datasets/saudinewsnet";
const std::string kCorpus = kShared + "/saudinewsnet.jsonl.zst";
const std::string kEg13 = NAZIR_SHARED_DIR "/datasets/egnews13/egnews13.jsonl.zst";

using nazir::testing::Temp;

// Runs the CLI; returns its stdout, or fails the test.
std::string Nazir(const std::string& args) {
  const nazir::testing::CliRun r = nazir::testing::Nazir(args);
  EXPECT_EQ(r.status, 0) << args << "\n" << r.err;
  return r.out;
}

// The article as one JSONL line (what CorpusReader reads back).
std::string JsonLine(const nazir::Article& a) {
  std::string line = "{\"id\":";
  nazir::AppendJsonString(&line, a.id);
  line += ",\"title\":";
  nazir::AppendJsonString(&line, a.title);
  line += ",\"source\":";
  nazir::AppendJsonString(&line, a.source);
  if (a.date != nazir::Article::kNoDate) {
    line += ",\"date\":\"" + nazir::FormatDateTime(a.date) + "\"";
  }
  line += ",\"text\":";
  nazir::AppendJsonString(&line, a.text);
  return line + "}\n";
}

bool HaveCorpus() { return std::ifstream(kCorpus).good(); }

// B-cubed scores of the "story" field of `pred` against the hand-labelled
// stories (-1 where nazir eval did not give them).
struct BCubed {
  double p = -1, r = -1, f1 = -1;
};
BCubed StoryScores(const std::string& pred, const std::string& gold = NAZIR_SOURCE_DIR
                                            "/datasets/stories/snn_stories_gold.tsv") {
  const std::string json = Nazir("eval --json --pred " + pred + " --gold " + gold +
                                 " --gold-field story --pred-field story");
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  BCubed b;
  EXPECT_EQ(parser.parse(json).get(e), simdjson::SUCCESS) << json;
  EXPECT_EQ(e["bcubed"]["precision"].get(b.p), simdjson::SUCCESS) << json;
  EXPECT_EQ(e["bcubed"]["recall"].get(b.r), simdjson::SUCCESS) << json;
  EXPECT_EQ(e["bcubed"]["f1"].get(b.f1), simdjson::SUCCESS) << json;
  return b;
}

class QualityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!HaveCorpus()) return;
    out_ = Temp("out.jsonl");
    Nazir("cluster " + kCorpus + " -o " + out_ + " --quiet --max-messages 0");
  }
  static void TearDownTestSuite() {
    if (!out_.empty()) std::remove(out_.c_str());
  }
  void SetUp() override {
    if (!HaveCorpus()) GTEST_SKIP() << kCorpus << " not found";
  }
  static std::string out_;
};
std::string QualityTest::out_;

TEST_F(QualityTest, NearDuplicatePairsMeetTheTargets) {
  const std::string json = Nazir("eval --json --pred " + out_ + " --gold-pairs " + kShared +
                                 "/silver_neardup_pairs.tsv");
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  ASSERT_EQ(parser.parse(json).get(e), simdjson::SUCCESS) << json;
  const double p = e["pairwise"]["precision"], r = e["pairwise"]["recall"];
  std::printf("near-duplicates: P %.4f R %.4f\n", p, r);
  EXPECT_GE(p, 0.98);
  EXPECT_GE(r, 0.97);
}

TEST_F(QualityTest, StoriesStayAboveTheMeasuredFloor) {
  const auto [p, r, f1] = StoryScores(out_);
  std::printf("stories: B-cubed P %.4f R %.4f F1 %.4f\n", p, r, f1);
  // Measured 0.909 (P 0.918, R 0.901): tests/story/README.md.
  EXPECT_GE(f1, 0.90);
  EXPECT_GE(p, 0.90);
}

// The longest span (last - first date) of the stories in a --stories file, in days, and how
// many span more than `days`.
std::pair<double, int> LongestSpan(const std::string& stories, double days) {
  simdjson::dom::parser parser;
  double longest = 0;
  int over = 0;
  for (const std::string& line : nazir::testing::Lines(nazir::testing::Slurp(stories))) {
    simdjson::dom::element e;
    EXPECT_EQ(parser.parse(line).get(e), simdjson::SUCCESS) << line;
    std::string_view first, last;
    if (e["first_date"].get(first) != simdjson::SUCCESS ||
        e["last_date"].get(last) != simdjson::SUCCESS) {
      continue;  // undated
    }
    auto parsed = [](std::string_view s) { return nazir::ParseDate(s).value_or(0); };
    const double span = static_cast<double>(parsed(last) - parsed(first)) / 86400.0;
    longest = std::max(longest, span);
    if (span > days) ++over;
  }
  return {longest, over};
}

// A story is an event: before stories had cores (80f1d0f) the biggest ones were topics that
// chained events for weeks (SaudiNewsNet: 188 stories over 10 days, the longest 21.7 days).
TEST_F(QualityTest, StoriesDoNotSpanWeeks) {
  const std::string stories = Temp("spans_stories.jsonl");
  Nazir("cluster " + kCorpus + " -o /dev/null --stories " + stories + " --quiet --max-messages 0");
  const auto [longest, over] = LongestSpan(stories, 10);
  std::printf("SaudiNewsNet stories: longest %.1f days, %d over 10 days\n", longest, over);
  EXPECT_LE(longest, 12.0);  // measured 10.7
  EXPECT_LE(over, 5);        // measured 2
  std::remove(stories.c_str());
}

// The second gold set (datasets/stories/EG13_GOLD.md): two whole days of four outlets of
// egnews13, labelled by ../shared/stories/GUIDELINE.md, never used to tune a default.
TEST_F(QualityTest, SecondGoldSetAndItsCorpus) {
  if (!std::ifstream(kEg13).good()) GTEST_SKIP() << kEg13 << " not found";
  const std::string out = Temp("eg13_out.jsonl"), stories = Temp("eg13_stories.jsonl");
  Nazir("cluster " + kEg13 + " -o " + out + " --stories " + stories + " --quiet --max-messages 0");
  const auto [p, r, f1] =
      StoryScores(out, NAZIR_SOURCE_DIR "/datasets/stories/eg13_stories_gold.tsv");
  const auto [longest, over] = LongestSpan(stories, 10);
  std::printf("egnews13 stories: B-cubed P %.4f R %.4f F1 %.4f; longest %.1f days, %d over 10\n", p,
              r, f1, longest, over);
  EXPECT_GE(f1, 0.84);       // measured 0.857 (0.830 before stories had cores)
  EXPECT_LE(longest, 15.0);  // measured 12.2 (57 days before)
  EXPECT_LE(over, 40);       // measured 16 (893 before)
  std::remove(out.c_str());
  std::remove(stories.c_str());
}

// The seed's four articles (July/August 2025) inserted among the 31k
// articles of 2015, which include Lavrov, Syria and Moscow: no seed article
// may join a story of 2015 articles (dates keep them apart), the four form one
// story, and their near-duplicate groups stay apart (one story, not copies).
TEST_F(QualityTest, SeedMixedIntoTheCorpusJoinsNo2015Story) {
  const std::string mixed = Temp("mixed.jsonl"), out = Temp("mixed_out.jsonl");
  std::set<std::string> seed_ids;
  {
    std::ofstream f(mixed);
    std::ifstream seed(NAZIR_SOURCE_DIR "/datasets/seed/seed_docs.jsonl");
    simdjson::dom::parser parser;
    for (std::string line; std::getline(seed, line);) {
      simdjson::dom::element e;
      ASSERT_EQ(parser.parse(line).get(e), simdjson::SUCCESS);
      seed_ids.emplace(std::string_view(e["id"]));
      f << line << "\n";
    }
    auto reader = nazir::CorpusReader::Open(kCorpus);
    ASSERT_TRUE(reader.ok()) << reader.status();
    std::vector<nazir::Article> batch;
    while (reader->NextBatch(4096, &batch, nullptr)) {
      for (const nazir::Article& a : batch) f << JsonLine(a);
    }
  }
  ASSERT_EQ(seed_ids.size(), 4u);
  Nazir("cluster " + mixed + " -o " + out + " --quiet --max-messages 0");
  // story id -> its members
  std::map<std::string, std::vector<std::string>> stories;
  std::set<std::string> seed_groups;
  std::ifstream in(out);
  simdjson::dom::parser parser;
  size_t lines = 0;
  for (std::string line; std::getline(in, line); ++lines) {
    simdjson::dom::element e;
    ASSERT_EQ(parser.parse(line).get(e), simdjson::SUCCESS) << line;
    const std::string id{std::string_view(e["id"])};
    stories[std::string(std::string_view(e["story"]))].push_back(id);
    if (seed_ids.count(id)) seed_groups.emplace(std::string_view(e["group"]));
  }
  EXPECT_EQ(lines, 31034u);
  EXPECT_EQ(seed_groups.size(), 4u) << "the seed articles are not near-duplicates";
  std::set<std::string> seed_stories;
  for (const auto& [story, members] : stories) {
    const bool has_seed = std::any_of(members.begin(), members.end(),
                                      [&](const std::string& m) { return seed_ids.count(m) > 0; });
    if (!has_seed) continue;
    seed_stories.insert(story);
    for (const std::string& m : members) {
      EXPECT_TRUE(seed_ids.count(m)) << m << " (2015) shares story " << story << " with the seed";
    }
  }
  std::printf("seed mixed into SaudiNewsNet: %zu stories\n", seed_stories.size());
  EXPECT_EQ(seed_stories.size(), 1u) << "the four seed articles are one story";
  std::remove(mixed.c_str());
  std::remove(out.c_str());
}

// The feed path across a restart: 3,000 real articles added one at a time in
// two runs of `nazir add` (save, reopen) get the same groups and stories as in
// one run. (Before the story clusterer saved its candidate index, 11 of them
// got another story.)
TEST_F(QualityTest, FeedAcrossARestartMatchesOneRun) {
  const std::string first = Temp("feed1.jsonl"), second = Temp("feed2.jsonl"),
                    all = Temp("feed_all.jsonl"), one = Temp("one.nzi"), two = Temp("two.nzi");
  {
    std::ofstream f1(first), f2(second), fa(all);
    auto reader = nazir::CorpusReader::Open(kCorpus);
    ASSERT_TRUE(reader.ok()) << reader.status();
    std::vector<nazir::Article> batch;
    ASSERT_TRUE(reader->NextBatch(3000, &batch, nullptr));
    ASSERT_EQ(batch.size(), 3000u);
    for (size_t i = 0; i < batch.size(); ++i) {
      const std::string line = JsonLine(batch[i]);
      (i < 1500 ? f1 : f2) << line;
      fa << line;
    }
  }
  std::remove(one.c_str());
  std::remove(two.c_str());
  const std::string straight = Nazir("add --quiet --max-messages 0 --index " + one + " " + all);
  const std::string part1 = Nazir("add --quiet --max-messages 0 --index " + two + " " + first);
  const std::string part2 = Nazir("add --quiet --max-messages 0 --index " + two + " " + second);
  const auto a = nazir::testing::Lines(straight), b = nazir::testing::Lines(part1 + part2);
  ASSERT_EQ(a.size(), 3000u);
  ASSERT_EQ(b.size(), 3000u);
  int differ = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i] && ++differ <= 5)
      ADD_FAILURE() << "line " << i + 1 << ":\n" << a[i] << "\n" << b[i];
  }
  EXPECT_EQ(differ, 0);
  for (const std::string& p : {first, second, all, one, two}) std::remove(p.c_str());
}

// Both output files are a function of the input, not of the threads: with one
// thread and with two (documents split differently among the featurizers)
// the groups and the stories, top-term spellings included, are the same
// bytes. (Before the featurizers emitted every spelling, a term's shown
// spelling was whichever a thread met first: 335 SaudiNewsNet stories
// differed between two runs.)
TEST_F(QualityTest, OutputDoesNotDependOnThreads) {
  const std::string in = Temp("threads_in.jsonl");
  {
    std::ofstream f(in);
    auto reader = nazir::CorpusReader::Open(kCorpus);
    ASSERT_TRUE(reader.ok()) << reader.status();
    std::vector<nazir::Article> batch;
    ASSERT_TRUE(reader->NextBatch(3000, &batch, nullptr));
    for (const nazir::Article& a : batch) f << JsonLine(a);
  }
  std::string groups[2], stories[2];
  for (int t = 0; t < 2; ++t) {
    const std::string st = Temp("threads_stories.jsonl");
    groups[t] = Nazir("cluster --quiet --max-messages 0 --threads " + std::to_string(t + 1) +
                      " --stories " + st + " " + in);
    stories[t] = nazir::testing::Slurp(st);
    std::remove(st.c_str());
  }
  EXPECT_GT(stories[0].size(), 10000u);
  EXPECT_EQ(groups[0], groups[1]);
  const auto a = nazir::testing::Lines(stories[0]), b = nazir::testing::Lines(stories[1]);
  ASSERT_EQ(a.size(), b.size());
  int differ = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i] && ++differ <= 3) {
      ADD_FAILURE() << "story line " << i + 1 << ":\n" << a[i] << "\n" << b[i];
    }
  }
  EXPECT_EQ(differ, 0);
  std::remove(in.c_str());
}

// A feed gives a story its second look only when the stream has moved a
// window past it, so the gold set's days (the corpus' last two) are still
// open when the feed ends: as of arrival, and as the index stands, their
// satellites are stories of their own. `nazir export --settle` gives the
// open stories the look a batch gives at its end (measured: B-cubed F1 0.842
// as of arrival, 0.842 now, 0.894 settled; the batch 0.909). Groups do not
// change.
TEST_F(QualityTest, FeedStoriesSettledGetTheSecondLook) {
  const std::string index = Temp("settle.nzi"), arrival = Temp("settle_arrival.jsonl"),
                    now = Temp("settle_now.jsonl"), settled = Temp("settle_settled.jsonl");
  std::remove(index.c_str());
  Nazir("add --quiet --max-messages 0 --index " + index + " -o " + arrival + " " + kCorpus);
  Nazir("export --quiet --index " + index + " -o " + now);
  Nazir("export --quiet --settle --index " + index + " -o " + settled);
  const double f_arrival = StoryScores(arrival).f1, f_now = StoryScores(now).f1,
               f_settled = StoryScores(settled).f1;
  std::printf("feed stories: B-cubed F1 %.4f as of arrival, %.4f now, %.4f settled\n", f_arrival,
              f_now, f_settled);
  EXPECT_GE(f_arrival, 0.82);
  EXPECT_GE(f_settled, 0.86);
  EXPECT_GE(f_settled, f_now + 0.02);
  const auto a = nazir::testing::Lines(nazir::testing::Slurp(now));
  const auto b = nazir::testing::Lines(nazir::testing::Slurp(settled));
  ASSERT_EQ(a.size(), 31030u);
  ASSERT_EQ(b.size(), a.size());
  int differ = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    // Everything before "story" (id, group, group_size, similarity, status).
    const std::string ga = a[i].substr(0, a[i].find(",\"story\":"));
    const std::string gb = b[i].substr(0, b[i].find(",\"story\":"));
    if (ga != gb && ++differ <= 3) ADD_FAILURE() << a[i] << "\n" << b[i];
  }
  EXPECT_EQ(differ, 0);
  for (const std::string& p : {index, arrival, now, settled}) std::remove(p.c_str());
}

}  // namespace
