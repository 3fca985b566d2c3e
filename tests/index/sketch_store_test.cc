#include "nazir/index/sketch_store.h"

#include <gtest/gtest.h>

namespace nazir {
namespace {

TEST(SketchStoreTest, AddFilterRemove) {
  SketchStore store(3);
  DocSketch a;
  a.keys = {1, 2, 3, 4};
  a.anchors = {2, 4};
  a.sig = {1, 2, 3, 4, 5, 6, 7, 8};  // not kept: the store keeps band keys
  const std::vector<uint32_t> band_keys = {11, 12, 13};
  a.simhash = 99;
  a.num_tokens = 7;
  DocSketch b;  // empty document: no signature
  const uint32_t sa = store.Add(a, band_keys);
  const uint32_t sb = store.Add(b, {});
  EXPECT_EQ(sa, 0u);
  EXPECT_EQ(sb, 1u);
  EXPECT_TRUE(store.has_lsh_keys(sa));
  EXPECT_FALSE(store.has_lsh_keys(sb));
  EXPECT_EQ(store.simhash(sa), 99u);
  auto even = [](uint32_t, uint32_t k) { return k % 2 == 0; };
  EXPECT_EQ(store.FilterKeys(sa, even, even), 2u);
  EXPECT_EQ(std::vector<uint32_t>(store.keys(sa).begin(), store.keys(sa).end()),
            (std::vector<uint32_t>{1, 3}));
  EXPECT_TRUE(store.anchors(sa).empty());
  EXPECT_EQ(store.lsh_keys(sa)[2], 13u);
  store.Remove(sa);
  EXPECT_FALSE(store.alive(sa));
  EXPECT_TRUE(store.alive(sb));
}

}  // namespace
}  // namespace nazir
