#include "nazir/index/anchor_index.h"

#include <map>
#include <random>

#include <gtest/gtest.h>

namespace nazir {
namespace {

TEST(AnchorIndexTest, CountsSharedAnchorsLikeBruteForce) {
  std::mt19937 rng(5);
  std::vector<std::vector<uint32_t>> docs(200);
  for (auto& d : docs) {
    for (int i = 0; i < 30; ++i) d.push_back(rng() % 500);
    std::sort(d.begin(), d.end());
    d.erase(std::unique(d.begin(), d.end()), d.end());
  }
  AnchorIndex index;
  for (uint32_t i = 0; i < docs.size(); ++i) index.Insert(i, docs[i]);
  auto skip = [](uint32_t a) { return a % 10 == 0; };  // pretend boilerplate
  for (uint32_t q = 0; q < 20; ++q) {
    std::vector<uint32_t> query;
    for (uint32_t a : docs[q]) {
      if (!skip(a)) query.push_back(a);
    }
    std::map<uint32_t, uint32_t> counts;
    index.ForEachPosting(query, [&](uint32_t slot) { ++counts[slot]; });
    std::vector<std::pair<uint32_t, uint32_t>> got(counts.begin(), counts.end()), want;
    for (uint32_t i = 0; i < docs.size(); ++i) {
      uint32_t shared = 0;
      for (uint32_t a : docs[q]) {
        if (!skip(a) && std::binary_search(docs[i].begin(), docs[i].end(), a)) ++shared;
      }
      if (shared > 0) want.emplace_back(i, shared);
    }
    EXPECT_EQ(got, want);
  }
}

TEST(AnchorIndexTest, RemoveAndPostingCap) {
  AnchorIndex index;
  std::vector<uint32_t> a = {7};
  for (uint32_t s = 0; s < AnchorIndex::kMaxPostings + 10; ++s) index.Insert(s, a);
  std::vector<uint32_t> hits;
  auto collect = [&](uint32_t slot) { hits.push_back(slot); };
  index.ForEachPosting(a, collect);
  EXPECT_TRUE(hits.empty()) << "a capped (boilerplate) anchor must not produce candidates";
  AnchorIndex small;
  small.Insert(1, a);
  small.Insert(2, a);
  small.Remove(1, a);
  small.ForEachPosting(a, collect);
  EXPECT_EQ(hits, std::vector<uint32_t>{2});
}

}  // namespace
}  // namespace nazir
