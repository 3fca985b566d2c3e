#include "nazir/index/df_sketch.h"

#include <random>
#include <unordered_map>

#include <gtest/gtest.h>

namespace nazir {
namespace {

TEST(DfSketchTest, NeverUnderestimatesAndRarelyOverestimatesMuch) {
  DfSketch df(17);  // 131072 counters for ~20000 keys: deliberately small
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
    EXPECT_GE(df.Count(k), c);
    if (df.Count(k) > c + 5) ++big_errors;
  }
  EXPECT_LT(big_errors, static_cast<int>(truth.size() / 100));
}

TEST(DfSketchTest, RemoveUndoesAdd) {
  DfSketch df(12);
  std::vector<uint32_t> keys = {1, 2, 3};
  df.AddDocument(keys);
  df.AddDocument(keys);
  EXPECT_EQ(df.Count(2), 2u);
  df.RemoveDocument(keys);
  EXPECT_EQ(df.Count(2), 1u);
  EXPECT_EQ(df.num_documents(), 1u);
}

}  // namespace
}  // namespace nazir
