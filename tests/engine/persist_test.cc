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
