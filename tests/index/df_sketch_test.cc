#include "nazir/index/df_sketch.h"

#include <random>
#include <unordered_map>

#include <gtest/gtest.h>

namespace nazir {
namespace {

TEST(DfSketchTest, NeverUnderestimatesAndRarelyOverestimatesMuch) {
  DfSketch df(18);  // 262144 one-byte counters for ~20000 keys: deliberately small
  std::mt19937 rng(1);
  std::unordered_map<uint32_t, uint32_t> truth;
  std::vector<uint32_t> vocab(20000);
  for (auto& v : vocab) v = rng();
  for (int d = 0; d < 2000; ++d) {
    std::vector<uint32_t> keys;
    for (int i = 0; i < 50; ++i) {
      // Zipf-ish: low indexes are frequent.
      const uint32_t idx = static_cast<uint32_t>(vocab.size() * std::pow((rng() % 10000) / 1e4, 3));
      keys.push_back(vocab[idx]);
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    df.AddDocument(keys);
    for (uint32_t k : keys) ++truth[k];
  }
  EXPECT_EQ(df.num_documents(), 2000u);
  int big_errors = 0;
  for (const auto& [k, c] : truth) {
    EXPECT_GE(df.Count(k), std::min<uint32_t>(c, DfSketch::kSaturated));
    if (df.Count(k) > c + 5) ++big_errors;
  }
  EXPECT_LT(big_errors, static_cast<int>(truth.size() / 100));
}

TEST(DfSketchTest, RemoveUndoesAdd) {
  DfSketch df(12);
  std::vector<uint32_t> keys = {1, 2, 3};
  df.AddDocument(keys, 7);
  df.AddDocument(keys, 7);
  df.AddDocument(keys, 8);
  EXPECT_EQ(df.Count(2), 3u);
  EXPECT_EQ(df.GroupCount(2, 7), 2u);
  EXPECT_EQ(df.GroupCount(2, 8), 1u);
  EXPECT_EQ(df.GroupCount(2, 9), 0u);
  df.RemoveDocument(keys, 7);
  EXPECT_EQ(df.Count(2), 2u);
  EXPECT_EQ(df.GroupCount(2, 7), 1u);
  EXPECT_EQ(df.num_documents(), 2u);
}

// Group counts never underestimate, agree with CountMany, and the overall
// count is not inflated by the group counters sharing its block.
TEST(DfSketchTest, GroupCountsAreUpperBoundsAndIndependentOfOverall) {
  DfSketch df(18);
  std::mt19937 rng(3);
  std::unordered_map<uint64_t, uint32_t> truth_group;
  std::unordered_map<uint32_t, uint32_t> truth;
  std::vector<uint32_t> vocab(5000);
  for (auto& v : vocab) v = rng();
  for (int d = 0; d < 1000; ++d) {
    const uint32_t group = 1 + rng() % 5;
    std::vector<uint32_t> keys;
    for (int i = 0; i < 40; ++i) keys.push_back(vocab[rng() % vocab.size()]);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    df.AddDocument(keys, group);
    for (uint32_t k : keys) {
      ++truth[k];
      ++truth_group[(uint64_t{group} << 32) | k];
    }
  }
  std::vector<uint32_t> keys;
  for (const auto& [k, c] : truth) keys.push_back(k);
  std::vector<uint32_t> overall(keys.size()), in_group(keys.size());
  df.CountMany(keys, 3, overall, in_group);
  int exact = 0;
  for (size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(overall[i], df.Count(keys[i]));
    EXPECT_EQ(in_group[i], df.GroupCount(keys[i], 3));
    EXPECT_GE(overall[i], truth[keys[i]]);
    auto it = truth_group.find((uint64_t{3} << 32) | keys[i]);
    EXPECT_GE(in_group[i], it == truth_group.end() ? 0u : it->second);
    exact += overall[i] == truth[keys[i]];
  }
  EXPECT_GT(exact, static_cast<int>(keys.size() * 9 / 10));
}

}  // namespace
}  // namespace nazir
