#include "io/utf8.h"

#include <random>
#include <string>

#include <gtest/gtest.h>
#include <simdjson.h>

namespace nazir::internal {
namespace {

std::string Repair(std::string_view s, size_t* n = nullptr) {
  std::string out;
  size_t r = AppendRepairedUtf8(s, &out);
  if (n != nullptr) *n = r;
  return out;
}

TEST(Utf8Test, ValidInputUnchanged) {
  size_t n = 1;
  EXPECT_EQ(Repair("abc مرحبا 😀 \u20AC", &n), "abc مرحبا 😀 \u20AC");
  EXPECT_EQ(n, 0u);
}

// Examples from the Unicode Standard §3.9 (Table 3-8 and the text around
// it): one U+FFFD per maximal subpart.
TEST(Utf8Test, MaximalSubparts) {
  size_t n = 0;
  EXPECT_EQ(Repair("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64", &n),
            "a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFDd");
  EXPECT_EQ(n, 6u);
  EXPECT_EQ(Repair("\xC0\xAF"), "\uFFFD\uFFFD");                      // overlong lead
  EXPECT_EQ(Repair("\xE0\x80\xAF"), "\uFFFD\uFFFD\uFFFD");            // E0 needs A0..BF
  EXPECT_EQ(Repair("\xED\xA0\x80"), "\uFFFD\uFFFD\uFFFD");            // surrogate D800
  EXPECT_EQ(Repair("\xF4\x90\x80\x80"), "\uFFFD\uFFFD\uFFFD\uFFFD");  // > U+10FFFF
  EXPECT_EQ(Repair("\xF0\x9F\x98"), "\uFFFD");  // truncated 4-byte sequence at end
  EXPECT_EQ(Repair("\xD8"), "\uFFFD");
}

TEST(Utf8Test, RandomBytesAlwaysBecomeValid) {
  std::mt19937 rng(1);
  for (int t = 0; t < 5000; ++t) {
    std::string s;
    const int len = static_cast<int>(rng() % 16);
    for (int i = 0; i < len; ++i) s += static_cast<char>(rng() % 256);
    size_t n = 0;
    std::string out = Repair(s, &n);
    EXPECT_TRUE(simdjson::validate_utf8(out));
    EXPECT_EQ(n == 0, simdjson::validate_utf8(s));
    if (n == 0) {
      EXPECT_EQ(out, s);
    }
  }
}

TEST(Utf8Test, LoneSurrogateEscapes) {
  auto fix = [](std::string_view s, size_t want) {
    std::string out;
    EXPECT_EQ(AppendWithoutLoneSurrogates(s, &out), want) << s;
    return out;
  };
  EXPECT_EQ(fix(R"("\ud83d\ude00")", 0), R"("\ud83d\ude00")");
  EXPECT_EQ(fix(R"("\ud83d")", 1), R"("\ufffd")");
  EXPECT_EQ(fix(R"("\uDE00x\uD83Dy")", 2), R"("\ufffdx\ufffdy")");
  EXPECT_EQ(fix(R"("\\ud83d")", 0), R"("\\ud83d")");
  EXPECT_EQ(fix(R"("\ud83d\u0041")", 1), R"("\ufffd\u0041")");
  EXPECT_EQ(fix(R"("\u00e9\n")", 0), R"("\u00e9\n")");
}

TEST(Utf8Test, Truncate) {
  EXPECT_EQ(TruncateUtf8("abc", 5), "abc");
  EXPECT_EQ(TruncateUtf8("abcdef", 3), "abc...");
  EXPECT_EQ(TruncateUtf8("ااا", 3), "ا...");  // never splits a 2-byte letter
}

}  // namespace
}  // namespace nazir::internal
