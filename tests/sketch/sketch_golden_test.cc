// Golden outputs of the sketch kernels on fixed Arabic input. Persisted
// signatures, shingle sets and indexes depend on these values: a change to
// any hash must fail here and bump ParamsFingerprint::kHashVersion.
#include <cstdint>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "nazir/shingle/shingle.h"
#include "nazir/sketch/minhash.h"
#include "nazir/sketch/shingle_set.h"
#include "nazir/sketch/simhash.h"
#include "nazir/sketch/winnow.h"

namespace nazir {
namespace {

constexpr uint64_t kSeed = 0x6e617a6972ULL;

std::vector<uint64_t> GoldenShingles() {
  const std::vector<std::string_view> tokens = {
      "موسكو",  "التقى", "وزير",     "الخارجية", "الروسي", "سيرغي", "لافروف", "نظيره",
      "السوري", "أسعد",  "الشيباني", "في",       "موسكو",  "اليوم", "الخميس", "في",
      "زيارة",  "تعد",   "الأولى",   "لمسؤول",   "سوري",   "رفيع",  "المستوى"};
  std::vector<uint64_t> th(tokens.size());
  HashTokens(tokens, kSeed, th);
  std::vector<uint64_t> sh(NumShingles(th.size(), 4));
  CombineShingles(th, 4, sh);
  return sh;
}

TEST(SketchGoldenTest, OphMinHash) {
  const auto sh = GoldenShingles();
  std::vector<uint32_t> sig(128);
  OphMinHasher::Create({}).value().Sketch(sh, sig);
  const std::vector<uint32_t> first(sig.begin(), sig.begin() + 8);
  EXPECT_EQ(first, std::vector<uint32_t>({0xefa8168fu, 0x518bfc2du, 0x87d09756u, 0x87d09756u,
                                          0x37fcd324u, 0x5aeea6f5u, 0xaa911816u, 0xefa8168fu}));
}

TEST(SketchGoldenTest, ClassicMinHash) {
  const auto sh = GoldenShingles();
  std::vector<uint32_t> sig(128);
  ClassicMinHasher::Create({}).value().Sketch(sh, sig);
  const std::vector<uint32_t> first(sig.begin(), sig.begin() + 8);
  EXPECT_EQ(first, std::vector<uint32_t>({0x1723b5edu, 0x04c36e6au, 0x0f7efa2cu, 0x16e8dc59u,
                                          0x05467150u, 0x0747e9b1u, 0x1a2e6a3fu, 0x047c87c0u}));
}

TEST(SketchGoldenTest, SimHash) {
  const uint64_t h = SimHash64(GoldenShingles(), kSeed);
  EXPECT_EQ(h, 0x4842fc52a9909714ULL);
}

TEST(SketchGoldenTest, ShingleKeysAndAnchors) {
  const auto sh = GoldenShingles();
  std::vector<uint32_t> keys;
  SortedShingleKeys(std::span<const uint64_t>(sh).first(6), &keys);
  EXPECT_EQ(keys, std::vector<uint32_t>({0x6203f326u, 0x8910e1dau, 0xa2225cf5u, 0xae196ffdu,
                                         0xc527bbd5u, 0xce28f35du}));
  EXPECT_EQ(ShingleKey(0), 0x4e17cf67u);
  std::vector<uint32_t> anchors;
  WinnowAnchors(sh, 4, &anchors);
  EXPECT_EQ(anchors, std::vector<uint32_t>({0x184c91b5u, 0x26d014e4u, 0x277613ebu, 0x383a5a91u,
                                            0x52901903u, 0x6203f326u, 0x8910e1dau}));
}

}  // namespace
}  // namespace nazir
