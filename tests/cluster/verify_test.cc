#include "nazir/cluster/verify.h"

#include <numeric>

#include <gtest/gtest.h>

namespace nazir {
namespace {

std::vector<uint32_t> Range(uint32_t lo, uint32_t hi) {
  std::vector<uint32_t> v(hi - lo);
  std::iota(v.begin(), v.end(), lo);
  return v;
}

TEST(VerifyTest, TruncatedCopyIsContainedButHasLowJaccard) {
  const auto full = Range(0, 600);
  const auto excerpt = Range(0, 150);
  const PairScore s = ScorePair(excerpt, full);
  EXPECT_EQ(s.shared, 150u);
  EXPECT_FLOAT_EQ(s.containment, 1.0f);
  EXPECT_FLOAT_EQ(s.jaccard, 0.25f);
  EXPECT_TRUE(IsNearDuplicate(s, VerifyOptions{}));
}

TEST(VerifyTest, ThresholdAndMinShared) {
  const auto a = Range(0, 100);
  const auto b = Range(60, 200);  // 40 shared of the shorter's 100
  const PairScore s = ScorePair(a, b);
  EXPECT_FLOAT_EQ(s.containment, 0.4f);
  EXPECT_FALSE(IsNearDuplicate(s, VerifyOptions{.threshold = 0.5}));
  EXPECT_TRUE(IsNearDuplicate(s, VerifyOptions{.threshold = 0.4}));
  const PairScore tiny = ScorePair(Range(0, 3), Range(0, 3));
  EXPECT_FLOAT_EQ(tiny.containment, 1.0f);
  EXPECT_FALSE(IsNearDuplicate(tiny, VerifyOptions{.min_shared = 5}));
}

TEST(VerifyTest, EmptyNeverMatches) {
  const PairScore s = ScorePair({}, Range(0, 10));
  EXPECT_EQ(s.shared, 0u);
  EXPECT_FALSE(IsNearDuplicate(s, VerifyOptions{}));
}

TEST(VerifyTest, OptionsValidate) {
  EXPECT_TRUE(VerifyOptions{}.Validate().ok());
  EXPECT_FALSE(VerifyOptions{.threshold = 0}.Validate().ok());
  EXPECT_FALSE(VerifyOptions{.threshold = 1.5}.Validate().ok());
  EXPECT_FALSE(VerifyOptions{.min_shared = 0}.Validate().ok());
}

}  // namespace
}  // namespace nazir
