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
  EXPECT_EQ(first, std::vector<uint32_t>({0x6b2e32eeu, 0x6b2e32eeu, 0xc1203320u, 0xc1203320u,
                                          0xbad472bbu, 0x646227a5u, 0x88609f8eu, 0xe1dd03c8u}));
}

TEST(SketchGoldenTest, ClassicMinHash) {
  const auto sh = GoldenShingles();
  std::vector<uint32_t> sig(128);
  ClassicMinHasher::Create({}).value().Sketch(sh, sig);
  const std::vector<uint32_t> first(sig.begin(), sig.begin() + 8);
  EXPECT_EQ(first, std::vector<uint32_t>({0x19d96abbu, 0x0c76b3f2u, 0x0d2e6116u, 0x050ed59du,
                                          0x0442453bu, 0x02196db5u, 0x01dd23d4u, 0x0b1a0008u}));
}

TEST(SketchGoldenTest, SimHash) {
  const uint64_t h = SimHash64(GoldenShingles(), kSeed);
  EXPECT_EQ(h, 0xee25a3f0d07ef4acULL);
}

TEST(SketchGoldenTest, ShingleKeysAndAnchors) {
  const auto sh = GoldenShingles();
  std::vector<uint32_t> keys;
  SortedShingleKeys(std::span<const uint64_t>(sh).first(6), &keys);
  EXPECT_EQ(keys, std::vector<uint32_t>({0x06868a0au, 0x1e27fc96u, 0x553c986cu, 0x864d2e85u,
                                         0x8e1e7e5au, 0xc30782cau}));
  EXPECT_EQ(ShingleKey(0), 0x4e17cf67u);
  std::vector<uint32_t> anchors;
  WinnowAnchors(sh, 4, &anchors);
  EXPECT_EQ(anchors, std::vector<uint32_t>({0x06868a0au, 0x0f9bb295u, 0x1140f99bu, 0x1e27fc96u,
                                            0x35b01050u, 0x5aeb82fbu, 0xe86ad065u}));
}

}  // namespace
}  // namespace nazir
