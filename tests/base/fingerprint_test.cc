#include "nazir/base/fingerprint.h"

#include <gtest/gtest.h>

namespace nazir {
namespace {

ParamsFingerprint Make() {
  return {.normalizer = "ar-nd-1+hamza+icu72",
          .shingle_size = 8,
          .winnow_window = 12,
          .num_perm = 128,
          .seed = 42,
          .story = "ar-sc-1+stem"};
}

TEST(FingerprintTest, CanonicalStringIsPinned) {
  EXPECT_EQ(Make().ToString(),
            "norm=ar-nd-1+hamza+icu72;n=8;w=12;k=128;seed=42;story=ar-sc-1+stem;hv=1");
}

TEST(FingerprintTest, DigestIsPinned) {
  // Saved indexes store this digest: a change here breaks every saved file.
  EXPECT_EQ(Make().Digest(), 0xa4d981f6d1a9564aULL) << std::hex << Make().Digest();
}

TEST(FingerprintTest, EveryFieldMatters) {
  const ParamsFingerprint base = Make();
  EXPECT_TRUE(base.CheckCompatible(Make()).ok());
  auto a = base;
  a.normalizer = "ar-nd-1+seat+icu72";
  auto b = base;
  b.shingle_size = 5;
  auto c = base;
  c.num_perm = 256;
  auto d = base;
  d.seed = 43;
  auto e = base;
  e.hash_version = 2;
  auto f = base;
  f.winnow_window = 8;
  auto g = base;
  g.story = "";
  for (const auto& other : {a, b, c, d, e, f, g}) {
    absl::Status s = base.CheckCompatible(other);
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << other.ToString();
    EXPECT_NE(base.Digest(), other.Digest());
  }
}

}  // namespace
}  // namespace nazir
