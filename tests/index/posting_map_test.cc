#include "nazir/index/posting_map.h"

#include <algorithm>
#include <map>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace nazir {
namespace {

// Random adds and removes against a std::map of vectors (brute force).
TEST(PostingMapTest, MatchesAReferenceMultimap) {
  std::mt19937 rng(99);
  PostingMap<uint32_t> m;
  std::map<uint32_t, std::vector<uint32_t>> ref;
  for (int step = 0; step < 200000; ++step) {
    const uint32_t key = rng() % 500;
    const uint32_t slot = rng() % 50;
    if (rng() % 3 != 0) {
      m.Add(key, slot, 6);
      if (ref[key].size() < 6) ref[key].push_back(slot);
    } else {
      m.Remove(key, slot);
      auto& v = ref[key];
      auto pos = std::find(v.begin(), v.end(), slot);
      if (pos != v.end()) v.erase(pos);
    }
    if (step % 997 == 0) {
      size_t keys = 0;
      for (const auto& [k, v] : ref) {
        keys += !v.empty();
        std::vector<uint32_t> got;
        m.ForEach(k, [&](uint32_t s) { got.push_back(s); });
        auto want = v;
        std::sort(got.begin(), got.end());
        std::sort(want.begin(), want.end());
        ASSERT_EQ(got, want) << "key " << k << " step " << step;
        ASSERT_EQ(m.Count(k), v.size());
      }
      ASSERT_EQ(m.size(), keys);
    }
  }
}

TEST(PostingMapTest, MaxPostingsHidesCrowdedKeys) {
  PostingMap<uint64_t> m;
  for (uint32_t s = 0; s < 10; ++s) m.Add(7, s);
  int visits = 0;
  m.ForEach(
      7, [&](uint32_t) { ++visits; }, 9);
  EXPECT_EQ(visits, 0);
  m.ForEach(
      7, [&](uint32_t) { ++visits; }, 10);
  EXPECT_EQ(visits, 10);
}

}  // namespace
}  // namespace nazir
