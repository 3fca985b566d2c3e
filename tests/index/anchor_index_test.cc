#include "nazir/index/anchor_index.h"

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
  std::vector<AnchorIndex::Hit> hits;
  std::vector<uint32_t> scratch;
  auto skip = [](uint32_t a) { return a % 10 == 0; };  // pretend boilerplate
  for (uint32_t q = 0; q < 20; ++q) {
    index.Query(docs[q], skip, &hits, &scratch);
    std::vector<std::pair<uint32_t, uint32_t>> got, want;
    for (const auto& h : hits) got.emplace_back(h.slot, h.shared);
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
  std::vector<AnchorIndex::Hit> hits;
  std::vector<uint32_t> scratch;
  index.Query(
      a, [](uint32_t) { return false; }, &hits, &scratch);
  EXPECT_TRUE(hits.empty()) << "a capped (boilerplate) anchor must not produce candidates";
  AnchorIndex small;
  small.Insert(1, a);
  small.Insert(2, a);
  small.Remove(1, a);
  small.Query(
      a, [](uint32_t) { return false; }, &hits, &scratch);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].slot, 2u);
}

}  // namespace
}  // namespace nazir
