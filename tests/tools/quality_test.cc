// The issue targets as regression tests, through the `nazir` binary on real
// news (SaudiNewsNet in ../shared; skipped when it is absent). Label: slow.
//
//   near-duplicate pairs vs the silver pairs' components: P >= 0.98, R >= 0.97
//   stories vs datasets/stories (347 hand-labelled articles): B-cubed F1 floor
//   the seed mixed into the corpus: no seed article joins a 2015 story
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "simdjson.h"
#include <gtest/gtest.h>

#include "nazir/io/corpus_reader.h"
#include "nazir/io/json_writer.h"

#include "tests/tools/cli_util.h"

namespace {

const std::string kShared = NAZIR_SHARED_DIR "/datasets/saudinewsnet";
const std::string kCorpus = kShared + "/saudinewsnet.jsonl.zst";

using nazir::testing::Temp;

// Runs the CLI; returns its stdout, or fails the test.
std::string Nazir(const std::string& args) {
  const nazir::testing::CliRun r = nazir::testing::Nazir(args);
  EXPECT_EQ(r.status, 0) << args << "\n" << r.err;
  return r.out;
}

bool HaveCorpus() { return std::ifstream(kCorpus).good(); }

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
  const std::string json = Nazir("eval --json --pred " + out_ +
                                 " --gold " NAZIR_SOURCE_DIR
                                 "/datasets/stories/snn_stories_gold.tsv --gold-field story "
                                 "--pred-field story");
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  ASSERT_EQ(parser.parse(json).get(e), simdjson::SUCCESS) << json;
  const double p = e["bcubed"]["precision"], r = e["bcubed"]["recall"], f1 = e["bcubed"]["f1"];
  std::printf("stories: B-cubed P %.4f R %.4f F1 %.4f\n", p, r, f1);
  // A floor below the measured figure (see tests/story/README.md), so that a
  // regression is seen; the target is 0.90.
  EXPECT_GE(f1, 0.87);
  EXPECT_GE(p, 0.93);
}

// The seed's four articles (July/August 2025) inserted among the 31k
// articles of 2015, which include Lavrov, Syria and Moscow: no seed article
// may join a story of 2015 articles (dates keep them apart), and the seed's
// near-duplicate groups stay apart (they are one story, not copies).
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
    std::string line;
    while (reader->NextBatch(4096, &batch, nullptr)) {
      for (const nazir::Article& a : batch) {
        line = "{\"id\":";
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
        f << line << "}\n";
      }
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
  EXPECT_LE(seed_stories.size(), 2u);
  std::remove(mixed.c_str());
  std::remove(out.c_str());
}

}  // namespace
