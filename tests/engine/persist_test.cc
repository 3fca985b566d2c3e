#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

#include "xxhash.h"
#include <gtest/gtest.h>

#include "nazir/engine/engine.h"

#include "test_corpus.h"
#include "tests/base/address_space_limit.h"
#include <unistd.h>

namespace nazir {
namespace {

using testing::Join;
using testing::RandomWords;

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "/" + name + "." + std::to_string(getpid());
}

TEST(PersistTest, SaveOpenRoundTripContinuesLikeAnUninterruptedEngine) {
  std::mt19937 rng(77);
  std::vector<std::pair<std::string, std::string>> docs;
  for (int s = 0; s < 15; ++s) {
    const auto words = RandomWords(120 + static_cast<int>(rng() % 200), rng);
    for (int c = 0; c < 3; ++c) {
      docs.emplace_back("s" + std::to_string(s) + "c" + std::to_string(c),
                        Join(words, rng() % 20, words.size() - rng() % 20));
    }
  }
  std::shuffle(docs.begin(), docs.end(), rng);
  docs.emplace_back("empty", "");
  auto straight = Engine::Create({});
  auto first = Engine::Create({});
  ASSERT_TRUE(straight.ok() && first.ok());
  const size_t half = docs.size() / 2;
  for (size_t i = 0; i < docs.size(); ++i) {
    DocMeta meta{docs[i].first, "src" + std::to_string(i % 3), static_cast<int64_t>(i)};
    ASSERT_TRUE((*straight)->Add(meta, docs[i].second).ok());
    if (i < half) {
      ASSERT_TRUE((*first)->Add(meta, docs[i].second).ok());
    }
  }
  ASSERT_TRUE((*first)->Remove(docs[0].first).ok());
  ASSERT_TRUE((*straight)->Remove(docs[0].first).ok());
  const std::string path = TempPath("nazir_persist");
  ASSERT_TRUE((*first)->Save(path).ok());
  auto reopened = Engine::Open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->fingerprint(), (*first)->fingerprint());
  for (size_t i = half; i < docs.size(); ++i) {
    DocMeta meta{docs[i].first, "src" + std::to_string(i % 3), static_cast<int64_t>(i)};
    ASSERT_TRUE((*reopened)->Add(meta, docs[i].second).ok());
  }
  for (size_t i = 1; i < docs.size(); ++i) {
    auto a = (*straight)->Lookup(docs[i].first);
    auto b = (*reopened)->Lookup(docs[i].first);
    ASSERT_TRUE(a.ok() && b.ok()) << docs[i].first;
    EXPECT_EQ(a->group, b->group) << docs[i].first;
    EXPECT_EQ(a->group_size, b->group_size) << docs[i].first;
    EXPECT_FLOAT_EQ(a->similarity, b->similarity) << docs[i].first;
    EXPECT_EQ(a->status, b->status);
    EXPECT_EQ(a->story, b->story) << docs[i].first;
  }
  EXPECT_EQ((*reopened)->Lookup(docs[0].first).status().code(), absl::StatusCode::kNotFound);
  std::remove(path.c_str());
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// An engine sketching without story features (nazir cluster --no-stories
// --save) reopens: whether the sketches carried them is in the fingerprint,
// not in the options record, and Open used to assume they did ("index was
// built with {...story=;...}"). Every combination of the two switches
// reopens to an engine with the same fingerprint that saves the same bytes.
TEST(PersistTest, OpensWhateverTheStorySwitches) {
  std::mt19937 rng(11);
  const auto words = RandomWords(200, rng);
  for (const auto& [stories, features] :
       std::vector<std::pair<bool, bool>>{{true, true}, {false, false}, {false, true}}) {
    SCOPED_TRACE(::testing::Message() << "stories " << stories << " features " << features);
    EngineOptions o;
    o.stories = stories;
    o.sketch.story_features = features;
    auto engine = Engine::Create(o);
    ASSERT_TRUE(engine.ok()) << engine.status();
    ASSERT_TRUE((*engine)->Add({"a", "s", 1}, Join(words, 0, 150)).ok());
    ASSERT_TRUE((*engine)->Add({"b", "s", 2}, Join(words, 10, 160)).ok());
    const std::string path = TempPath("nazir_switches"), again = TempPath("nazir_switches2");
    ASSERT_TRUE((*engine)->Save(path).ok());
    auto reopened = Engine::Open(path);
    ASSERT_TRUE(reopened.ok()) << reopened.status();
    EXPECT_EQ((*reopened)->fingerprint(), (*engine)->fingerprint());
    EXPECT_EQ((*reopened)->options().sketch.story_features, features);
    auto c = (*reopened)->Add({"c", "s", 3}, Join(words, 20, 170));
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(c->group, "a");
    ASSERT_TRUE((*reopened)->Remove("c").ok());
    ASSERT_TRUE((*engine)->Add({"c", "s", 3}, Join(words, 20, 170)).ok());
    ASSERT_TRUE((*engine)->Remove("c").ok());
    ASSERT_TRUE((*reopened)->Save(again).ok());
    ASSERT_TRUE((*engine)->Save(path).ok());
    EXPECT_EQ(Slurp(again), Slurp(path));
    std::remove(path.c_str());
    std::remove(again.c_str());
  }
}

// The file is a function of the state: saving twice, or saving what was
// reopened, writes the same bytes.
TEST(PersistTest, SaveIsDeterministicAndOpenSaveIsTheIdentity) {
  std::mt19937 rng(5);
  auto engine = Engine::Create({});
  ASSERT_TRUE(engine.ok());
  for (int s = 0; s < 12; ++s) {
    const auto words = RandomWords(150, rng);
    for (int c = 0; c < 2; ++c) {
      DocMeta meta{"d" + std::to_string(s) + "_" + std::to_string(c), "src" + std::to_string(s % 4),
                   s * 600};
      ASSERT_TRUE((*engine)->Add(meta, Join(words, c * 10, words.size())).ok());
    }
  }
  const std::string a = TempPath("nazir_det_a"), b = TempPath("nazir_det_b"),
                    c = TempPath("nazir_det_c");
  ASSERT_TRUE((*engine)->Save(a).ok());
  ASSERT_TRUE((*engine)->Save(b).ok());
  auto reopened = Engine::Open(a);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  ASSERT_TRUE((*reopened)->Save(c).ok());
  const std::string bytes = Slurp(a);
  EXPECT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes, Slurp(b));
  EXPECT_EQ(bytes, Slurp(c));
  for (const std::string& p : {a, b, c}) std::remove(p.c_str());
}

// What RemoveBefore drops is gone from the saved file: a feed that keeps a
// window of days saves and reopens an index the size of that window, and the
// reopened engine answers as the one that removed them. Checked with and
// without stories (the story statistics learned from removed documents stay:
// on these random-word documents, a vocabulary that never repeats, they are
// most of the file, so the size is checked without stories).
class RemovedDocumentsTest : public ::testing::TestWithParam<bool> {};

TEST_P(RemovedDocumentsTest, AreNotSaved) {
  constexpr int64_t kDay = 86400;
  std::mt19937 rng(11);
  EngineOptions options;
  options.stories = GetParam();
  options.df_log2_width = 16;  // 64 KiB: the documents, not the DF sketch, make the file
  auto engine = Engine::Create(options);
  ASSERT_TRUE(engine.ok());
  std::vector<std::string> ids;
  for (int s = 0; s < 40; ++s) {
    const auto words = RandomWords(200, rng);
    for (int c = 0; c < 2; ++c) {
      ids.push_back("d" + std::to_string(s) + "_" + std::to_string(c));
      ASSERT_TRUE(
          (*engine)->Add({ids.back(), "src", (s + 3 * c) * kDay}, Join(words, c * 10)).ok());
    }
  }
  const std::string all = TempPath("nazir_keep_all"), kept = TempPath("nazir_keep_recent"),
                    again = TempPath("nazir_keep_again");
  ASSERT_TRUE((*engine)->Save(all).ok());
  EXPECT_EQ((*engine)->RemoveBefore(30 * kDay), 57u);  // 30 first copies, 27 second ones
  ASSERT_TRUE((*engine)->Save(kept).ok());
  // 23 of 80 documents kept; the DF sketch and the ids of removed ones stay.
  const size_t df_bytes = size_t{1} << options.df_log2_width;
  const size_t all_bytes = Slurp(all).size() - df_bytes, kept_bytes = Slurp(kept).size() - df_bytes;
  if (!GetParam()) {
    EXPECT_LT(kept_bytes, all_bytes * 2 / 5) << all_bytes << " -> " << kept_bytes;
  }
  EXPECT_LT(kept_bytes, all_bytes);
  auto reopened = Engine::Open(kept);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  for (const std::string& id : ids) {
    auto a = (*engine)->Lookup(id);
    auto b = (*reopened)->Lookup(id);
    ASSERT_EQ(a.ok(), b.ok()) << id;
    if (!a.ok()) continue;
    EXPECT_EQ(a->group, b->group) << id;
    EXPECT_EQ(a->story, b->story) << id;
    EXPECT_FLOAT_EQ(a->similarity, b->similarity) << id;
  }
  ASSERT_TRUE((*reopened)->Save(again).ok());
  EXPECT_EQ(Slurp(again), Slurp(kept));
  for (const std::string& p : {all, kept, again}) std::remove(p.c_str());
}

INSTANTIATE_TEST_SUITE_P(Stories, RemovedDocumentsTest, ::testing::Bool());

// Retention forgets stories (StoryClusterer::Forget, from RemoveBefore) without
// changing any later decision: one engine keeps a window with RemoveBefore,
// the other removes the same documents one at a time with Remove (which
// forgets nothing); both take the same documents day by day, and are saved
// and reopened halfway. Every lookup and the story list stay equal, and
// the forgetting engine's file is the smaller one.
struct DatedDoc {
  DocMeta meta;
  std::string text;
};

void ExpectSameAnswers(const Engine& a, const Engine& b, const std::vector<DatedDoc>& docs,
                       size_t upto, const std::string& when) {
  for (size_t i = 0; i < upto; ++i) {
    const std::string& id = docs[i].meta.id;
    auto x = a.Lookup(id);
    auto y = b.Lookup(id);
    ASSERT_EQ(x.ok(), y.ok()) << when << ' ' << id;
    if (!x.ok()) continue;
    EXPECT_EQ(x->group, y->group) << when << ' ' << id;
    EXPECT_EQ(x->story, y->story) << when << ' ' << id;
    EXPECT_EQ(x->group_size, y->group_size) << when << ' ' << id;
    EXPECT_EQ(x->similarity, y->similarity) << when << ' ' << id;
  }
  const std::vector<StoryInfo> sa = a.Stories(), sb = b.Stories();
  ASSERT_EQ(sa.size(), sb.size()) << when;
  for (size_t i = 0; i < sa.size(); ++i) {
    EXPECT_EQ(sa[i].id, sb[i].id) << when;
    EXPECT_EQ(sa[i].size, sb[i].size) << when << ' ' << sa[i].id;
    EXPECT_EQ(sa[i].groups, sb[i].groups) << when << ' ' << sa[i].id;
    EXPECT_EQ(sa[i].sources, sb[i].sources) << when << ' ' << sa[i].id;
    EXPECT_EQ(sa[i].first_date, sb[i].first_date) << when << ' ' << sa[i].id;
    EXPECT_EQ(sa[i].last_date, sb[i].last_date) << when << ' ' << sa[i].id;
    EXPECT_EQ(sa[i].title, sb[i].title) << when << ' ' << sa[i].id;
    EXPECT_EQ(sa[i].top_terms, sb[i].top_terms) << when << ' ' << sa[i].id;
  }
}

// `docs` sorted by date; kept for `keep_days` days before the newest day.
void CheckForgettingChangesNothing(const std::vector<DatedDoc>& docs, int64_t keep_days,
                                   const EngineOptions& options, const std::string& name) {
  constexpr int64_t kDay = 86400;
  ASSERT_FALSE(docs.empty());
  auto forgetting = Engine::Create(options);
  auto removing = Engine::Create(options);
  ASSERT_TRUE(forgetting.ok() && removing.ok());
  std::unique_ptr<Engine> a = std::move(*forgetting), b = std::move(*removing);
  const std::string path = TempPath("nazir_forget_" + name),
                    path_b = TempPath("nazir_forget_b_" + name);
  const int64_t first_day = docs.front().meta.date / kDay, last_day = docs.back().meta.date / kDay;
  const int64_t middle_day = (first_day + last_day) / 2;
  size_t next = 0, removed = 0;
  for (int64_t day = first_day; day <= last_day; ++day) {
    const size_t begin = next;
    while (next < docs.size() && docs[next].meta.date / kDay == day) {
      ASSERT_TRUE(a->Add(docs[next].meta, docs[next].text).ok()) << docs[next].meta.id;
      ASSERT_TRUE(b->Add(docs[next].meta, docs[next].text).ok()) << docs[next].meta.id;
      ++next;
    }
    if (next == begin) continue;
    const int64_t cutoff = (day - keep_days) * kDay;
    // What RemoveBefore removes, in its order (newest first, later slot first).
    std::vector<size_t> old;
    for (size_t i = 0; i < next; ++i) {
      if (docs[i].meta.date < cutoff && b->Lookup(docs[i].meta.id).ok()) old.push_back(i);
    }
    std::sort(old.begin(), old.end(), [&docs](size_t x, size_t y) {
      return std::make_pair(docs[x].meta.date, x) > std::make_pair(docs[y].meta.date, y);
    });
    for (size_t i : old) ASSERT_TRUE(b->Remove(docs[i].meta.id).ok());
    ASSERT_EQ(a->RemoveBefore(cutoff), old.size()) << name << " day " << day;
    removed += old.size();
    ExpectSameAnswers(*a, *b, docs, next, name + " day " + std::to_string(day));
    if (day == middle_day) {
      // Both are saved and reopened: Save writes the spellings of centroid
      // terms only, and a reopened engine's featurizer spells a term again,
      // maybe otherwise, so top terms after a reopen are compared with a
      // reopened engine.
      ASSERT_TRUE(b->Save(path_b).ok());
      auto reopened_b = Engine::Open(path_b);
      ASSERT_TRUE(reopened_b.ok()) << reopened_b.status();
      b = std::move(*reopened_b);
      ASSERT_TRUE(a->Save(path).ok());
      auto reopened = Engine::Open(path);
      ASSERT_TRUE(reopened.ok()) << reopened.status();
      a = std::move(*reopened);
      ExpectSameAnswers(*a, *b, docs, next, name + " reopened");
    }
  }
  EXPECT_GT(removed, docs.size() / 2) << name;
  ASSERT_TRUE(a->Save(path).ok());
  ASSERT_TRUE(b->Save(path_b).ok());
  const size_t bytes_a = Slurp(path).size(), bytes_b = Slurp(path_b).size();
  EXPECT_LT(bytes_a, bytes_b) << name;
  std::printf("[ %s ] %zu documents, %zu removed: saved %zu bytes forgetting, %zu not\n",
              name.c_str(), docs.size(), removed, bytes_a, bytes_b);
  auto reopened = Engine::Open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  ExpectSameAnswers(**reopened, *b, docs, docs.size(), name + " end, reopened");
  for (const std::string& p : {path, path_b}) std::remove(p.c_str());
}

// Synthetic events: each a vocabulary of its own, reported for one to three
// days by several sources, some reports republished days later (near
// duplicates whose first copy is removed before the republication).
TEST(PersistTest, ForgettingStoriesChangesNoDecisionSynthetic) {
  constexpr int64_t kDay = 86400;
  std::mt19937 rng(2024);
  std::vector<DatedDoc> docs;
  const auto noise = RandomWords(3000, rng);
  for (int e = 0; e < 600; ++e) {  // > 2048 documents: the clusterer retires stories every 1024
    const auto vocab = RandomWords(40, rng);
    const int64_t start = (e / 20) * kDay + static_cast<int64_t>(rng() % 20000);
    const int reports = 2 + static_cast<int>(rng() % 5);
    for (int r = 0; r < reports; ++r) {
      std::vector<std::string> words;
      for (int k = 0; k < 70; ++k) {
        words.push_back(k % 3 == 2 ? noise[rng() % noise.size()] : vocab[rng() % vocab.size()]);
      }
      const int64_t date = start + static_cast<int64_t>(rng() % (2 * kDay));
      const std::string id = "e" + std::to_string(e) + "r" + std::to_string(r);
      const std::string source = "src" + std::to_string(rng() % 5);
      docs.push_back({{id, source, date, "عنوان " + vocab[0] + " " + vocab[1]}, Join(words)});
      if (rng() % 3 == 0) {  // republished a few days later
        const int64_t later = date + static_cast<int64_t>(2 + rng() % 5) * kDay;
        docs.push_back({{id + "copy", "src9", later, ""}, Join(words, 2)});
      }
    }
  }
  std::stable_sort(docs.begin(), docs.end(),
                   [](const DatedDoc& x, const DatedDoc& y) { return x.meta.date < y.meta.date; });
  EngineOptions options;
  options.df_log2_width = 16;  // small sketches: small files
  options.story.source_df_log2_width = 12;
  CheckForgettingChangesNothing(docs, 3, options, "synthetic");
}

// The same on SaudiNewsNet: every 10th article of all its days (~3,100).
TEST(PersistTest, ForgettingStoriesChangesNoDecisionSaudiNewsNet) {
  const std::string path =
      std::string(NAZIR_SHARED_DIR) + "/datasets/saudinewsnet/saudinewsnet.jsonl.zst";
  if (!std::ifstream(path).good()) GTEST_SKIP() << path << " not found";
  auto reader = CorpusReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::vector<Article> all, batch;
  while (reader->NextBatch(1000, &batch, nullptr)) {
    for (Article& x : batch) {
      if (x.date != Article::kNoDate) all.push_back(std::move(x));
    }
  }
  ASSERT_TRUE(reader->status().ok()) << reader->status();
  std::stable_sort(all.begin(), all.end(),
                   [](const Article& x, const Article& y) { return x.date < y.date; });
  std::vector<DatedDoc> docs;
  for (size_t i = 0; i < all.size(); i += 10) {
    Article& x = all[i];
    docs.push_back({{x.id, x.source, x.date, x.title}, std::move(x.text)});
  }
  ASSERT_GT(docs.size(), 2000u);
  CheckForgettingChangesNothing(docs, 3, EngineOptions{}, "saudinewsnet");
}

TEST(PersistTest, CorruptTruncatedAndForeignFilesAreRefused) {
  auto engine = Engine::Create({});
  ASSERT_TRUE(engine.ok());
  ASSERT_TRUE(
      (*engine)->Add({"a", "", 0}, "وزير الخارجية الروسي سيرغي لافروف في موسكو اليوم").ok());
  const std::string path = TempPath("nazir_corrupt");
  ASSERT_TRUE((*engine)->Save(path).ok());
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto write = [&](const std::string& b) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << b;
  };
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x40;
  write(flipped);
  EXPECT_EQ(Engine::Open(path).status().code(), absl::StatusCode::kDataLoss);
  write(bytes.substr(0, bytes.size() - 20));
  EXPECT_EQ(Engine::Open(path).status().code(), absl::StatusCode::kDataLoss);
  std::string longer = bytes;
  longer.insert(bytes.size() - 8, "x");  // one byte more than the records hold
  write(longer);
  EXPECT_EQ(Engine::Open(path).status().code(), absl::StatusCode::kDataLoss);
  write("");
  EXPECT_EQ(Engine::Open(path).status().code(), absl::StatusCode::kDataLoss);
  write("not an index at all");
  EXPECT_EQ(Engine::Open(path).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Engine::Open(path + ".missing").status().code(), absl::StatusCode::kNotFound);
  std::remove(path.c_str());
}

// A crafted index with a valid checksum and a huge count is refused with
// DataLoss before anything is sized by that count: every count read from the
// file is checked against the bytes left (count x smallest encoded element)
// first. Open used to size two arrays from the slot count (32 GB for
// 0xFFFFFFFF slots) and the DF sketch from df_log2_width (1 GiB at 30) before
// reading any of it. Each Open runs in a child that may grow by 256 MiB at
// most, so the old code died there instead of eating the machine's memory.
TEST(PersistTest, CraftedCountsAreRefusedBeforeTheyAllocate) {
  EngineOptions o;
  o.stories = false;
  o.df_log2_width = 12;
  auto engine = Engine::Create(o);
  ASSERT_TRUE(engine.ok()) << engine.status();
  const std::string path = TempPath("nazir_crafted");
  ASSERT_TRUE((*engine)->Save(path).ok());
  const std::string bytes = Slurp(path);
  // An empty index without stories ends with: u32 #sources = 1, u32 #slots,
  // u32 #pending, u64 #documents, 2^12 DF counters, u64 #counted,
  // u8 has_story, u64 checksum; the options record ends with i32
  // df_log2_width, u8 record_pairs, u8 stories.
  ASSERT_GT(bytes.size(), 4200u);
  const size_t slots_at = bytes.size() - 8 - 1 - 8 - 4096 - 8 - 4 - 4;
  const size_t width_at = slots_at - 4 - 1 - 1 - 4;
  auto u32_at = [&](size_t at) {
    uint32_t v;
    std::memcpy(&v, bytes.data() + at, 4);
    return v;
  };
  ASSERT_EQ(u32_at(slots_at), 0u);
  ASSERT_EQ(u32_at(slots_at - 4), 1u);
  ASSERT_EQ(u32_at(width_at), 12u);
  ASSERT_TRUE(Engine::Open(path).ok());
  auto craft = [&](size_t at, uint32_t value) {
    std::string b = bytes;
    std::memcpy(b.data() + at, &value, 4);
    const uint64_t sum = XXH64(b.data(), b.size() - 8, 0);
    std::memcpy(b.data() + b.size() - 8, &sum, 8);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << b;
  };
  auto expect_refused = [&](const char* what) {
    EXPECT_EXIT(
        {
          if (!testing::LimitAddressSpaceGrowth(size_t{256} << 20)) std::_Exit(3);
          const absl::Status st = Engine::Open(path).status();
          std::fprintf(stderr, "%s\n", st.ToString().c_str());
          std::_Exit(st.code() == absl::StatusCode::kDataLoss ? 0 : 2);
        },
        ::testing::ExitedWithCode(0), what);
  };
  // The limit itself does not make Open fail: the file as saved opens.
  EXPECT_EXIT(
      {
        if (!testing::LimitAddressSpaceGrowth(size_t{256} << 20)) std::_Exit(3);
        std::_Exit(Engine::Open(path).ok() ? 0 : 2);
      },
      ::testing::ExitedWithCode(0), "");
  craft(slots_at, 0xFFFFFFFFu);
  expect_refused("slot count: 4294967295 .* bytes left");
  craft(slots_at, 100);  // 100 slots need at least 5,100 bytes, not there
  expect_refused("slot count: 100 ");
  craft(width_at, 30);  // a 1 GiB DF sketch, 4 KiB of counters in the file
  expect_refused("DF sketch of 2\\^30 counters");
  std::remove(path.c_str());
}

}  // namespace
}  // namespace nazir
