#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

#include "nazir/engine/engine.h"

#include "test_corpus.h"
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

}  // namespace
}  // namespace nazir
