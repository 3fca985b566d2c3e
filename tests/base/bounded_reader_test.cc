#include "base/bounded_reader.h"

#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace nazir::internal {
namespace {

std::string Le32(uint32_t v) { return std::string(reinterpret_cast<const char*>(&v), 4); }

TEST(BoundedReaderTest, ReadsFieldsStringsAndArrays) {
  const std::string in = Le32(7) + Le32(3) + "abc" + Le32(2) + Le32(10) + Le32(20);
  BoundedReader r(in);
  uint32_t v = 0;
  std::string s;
  std::vector<uint32_t> a;
  ASSERT_TRUE(r.Get(&v));
  EXPECT_EQ(v, 7u);
  ASSERT_TRUE(r.Bytes<uint32_t>(&s));
  EXPECT_EQ(s, "abc");
  ASSERT_TRUE(r.Array<uint32_t>(&a));
  EXPECT_EQ(a, (std::vector<uint32_t>{10, 20}));
  EXPECT_TRUE(r.done());
  EXPECT_TRUE(r.ok());
  EXPECT_FALSE(r.Get(&v));  // nothing left
  EXPECT_FALSE(r.ok());
}

// A count is refused, before anything is sized by it, when count x the
// smallest element does not fit in the bytes left; the failure is sticky.
TEST(BoundedReaderTest, RefusesCountsTheRestCannotHold) {
  const std::string in = Le32(0xFFFFFFFFu) + std::string(100, 'x');
  {
    BoundedReader r(in);
    std::vector<uint32_t> a;
    EXPECT_FALSE(r.Array<uint32_t>(&a));
    EXPECT_TRUE(a.empty());
    EXPECT_EQ(r.error(), "4294967295 elements of >= 4 bytes cannot fit in the 100 bytes left");
    EXPECT_FALSE(r.Fits(0, 1));  // sticky
  }
  {
    BoundedReader r(in);
    std::string s;
    EXPECT_FALSE(r.Bytes<uint32_t>(&s));
    EXPECT_TRUE(s.empty());
  }
  {
    const std::string fits = Le32(25) + std::string(100, 'x'),
                      over = Le32(26) + std::string(100, 'x'),
                      two = Le32(2) + std::string(100, 'x');
    uint32_t n = 0;
    BoundedReader r(fits);
    EXPECT_TRUE(r.Count(&n, 4));  // 25 x 4 = 100: exactly fits
    BoundedReader r2(over);
    EXPECT_FALSE(r2.Count(&n, 4));
    // A huge element size cannot overflow the check.
    BoundedReader r3(two);
    EXPECT_FALSE(r3.Count(&n, ~uint64_t{0}));
  }
}

TEST(BoundedReaderTest, ReadsAFileThroughItsBuffer) {
  std::string in;
  for (uint32_t i = 0; i < 700'000; ++i) in += Le32(i);  // 2.8 MB: three buffer fills
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(std::fwrite(in.data(), 1, in.size(), f), in.size());
  std::rewind(f);
  BoundedReader r(f, in.size() - 4);  // the last value is not part of it
  std::vector<uint32_t> a;
  ASSERT_TRUE(r.Vector(699'999, &a));
  EXPECT_EQ(a[123'456], 123'456u);
  EXPECT_EQ(a.back(), 699'998u);
  EXPECT_TRUE(r.done());
  uint32_t v;
  EXPECT_FALSE(r.Get(&v));
  std::fclose(f);
}

}  // namespace
}  // namespace nazir::internal
