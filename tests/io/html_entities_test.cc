#include "nazir/io/html_entities.h"

#include <cctype>
#include <map>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "io/utf8.h"

namespace nazir {
namespace {

std::string Decode(std::string s, size_t* n = nullptr) {
  const size_t k = DecodeHtmlEntities(&s);
  if (n != nullptr) *n = k;
  return s;
}

TEST(HtmlEntitiesTest, TextWithoutReferencesIsUnchanged) {
  size_t n = 1;
  EXPECT_EQ(Decode("قال الوزير: «لا تغيير»", &n), "قال الوزير: «لا تغيير»");
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(Decode(""), "");
}

// The references found in SaudiNewsNet articles.
TEST(HtmlEntitiesTest, ReferencesSeenInNewsText) {
  size_t n = 0;
  EXPECT_EQ(Decode("&#8220;الرياض&#8221; &quot;جدة&quot;&nbsp;و&ndash;مكة&#39;", &n),
            "\u201Cالرياض\u201D \"جدة\"\u00A0و\u2013مكة'");
  EXPECT_EQ(n, 7u);
  EXPECT_EQ(Decode("&#65271;&rlm;&#8243;&#8211;"), "\uFEF7\u200F\u2033\u2013");
}

TEST(HtmlEntitiesTest, NumericForms) {
  EXPECT_EQ(Decode("&#x627;&#X644;&#1604;"), "الل");
  EXPECT_EQ(Decode("&#0065;&#x0041;"), "AA");  // leading zeros
  EXPECT_EQ(Decode("&#x1F600;"), "\U0001F600");
  // HTML's rules for bad values: U+FFFD, and 0x80..0x9F as Windows-1252.
  EXPECT_EQ(Decode("&#0;&#xD800;&#x110000;&#99999999999999999999;"), "\uFFFD\uFFFD\uFFFD\uFFFD");
  EXPECT_EQ(Decode("&#150;&#x80;&#x81;"), "\u2013\u20AC\u0081");
}

TEST(HtmlEntitiesTest, OnlyCompleteKnownReferencesAreDecoded) {
  EXPECT_EQ(Decode("AT&T"), "AT&T");
  EXPECT_EQ(Decode("&nbsp &amp"), "&nbsp &amp");  // no ';'
  EXPECT_EQ(Decode("&foo; &; &#; &#x; &#12a; &NBSP;"), "&foo; &; &#; &#x; &#12a; &NBSP;");
  EXPECT_EQ(Decode("& & &&amp;"), "& & &&");
  EXPECT_EQ(Decode("trailing &#8220"), "trailing &#8220");
  EXPECT_EQ(Decode("&"), "&");
}

TEST(HtmlEntitiesTest, OnePassLikeABrowser) {
  EXPECT_EQ(Decode("&amp;quot; &amp;#8220;"), "&quot; &#8220;");
}

TEST(HtmlEntitiesTest, EveryNamedReference) {
  EXPECT_EQ(Decode("&amp;&lt;&gt;&quot;&apos;"), "&<>\"'");
  EXPECT_EQ(Decode("&nbsp;&ensp;&emsp;&thinsp;&zwnj;&zwj;&lrm;&rlm;&shy;"),
            "\u00A0\u2002\u2003\u2009\u200C\u200D\u200E\u200F\u00AD");
  EXPECT_EQ(Decode("&lsquo;&rsquo;&sbquo;&ldquo;&rdquo;&bdquo;&laquo;&raquo;"),
            "\u2018\u2019\u201A\u201C\u201D\u201E\u00AB\u00BB");
  EXPECT_EQ(Decode("&ndash;&mdash;&hellip;&bull;&middot;"), "\u2013\u2014\u2026\u2022\u00B7");
  EXPECT_EQ(Decode("&copy;&reg;&trade;&deg;&times;&divide;"),
            "\u00A9\u00AE\u2122\u00B0\u00D7\u00F7");
}

// In-place decoding never writes past what it has read: random strings
// built from references, near-references and text decode as an
// straightforward out-of-place decoder says, and stay valid UTF-8.
std::string OracleDecode(const std::string& in) {
  static const std::map<std::string, std::string> kNames = {
      {"lt", "<"}, {"amp", "&"}, {"zwj", "\u200D"}, {"shy", "\u00AD"}};
  auto is_digit = [](char c, bool hex) {
    return std::isdigit(static_cast<unsigned char>(c)) ||
           (hex && std::isxdigit(static_cast<unsigned char>(c)));
  };
  std::string out;
  for (size_t i = 0; i < in.size();) {
    // A reference is '&', then '#' and digits, '#x' and hex digits, or
    // lower-case letters, then ';'.
    std::string rep;
    size_t end = std::string::npos;
    if (in[i] == '&' && i + 1 < in.size() && in[i + 1] == '#') {
      const bool hex = i + 2 < in.size() && (in[i + 2] == 'x' || in[i + 2] == 'X');
      size_t j = i + (hex ? 3 : 2);
      const size_t digits = j;
      while (j < in.size() && is_digit(in[j], hex)) ++j;
      if (j > digits && j < in.size() && in[j] == ';') {
        const uint64_t v = std::stoull(in.substr(digits, j - digits), nullptr, hex ? 16 : 10);
        // The generator below only makes BMP values that need no HTML fix-up.
        if (v < 0x80) {
          rep = std::string(1, static_cast<char>(v));
        } else if (v < 0x800) {
          rep = {static_cast<char>(0xC0 | (v >> 6)), static_cast<char>(0x80 | (v & 0x3F))};
        } else {
          rep = {static_cast<char>(0xE0 | (v >> 12)), static_cast<char>(0x80 | ((v >> 6) & 0x3F)),
                 static_cast<char>(0x80 | (v & 0x3F))};
        }
        end = j + 1;
      }
    } else if (in[i] == '&') {
      size_t j = i + 1;
      while (j < in.size() && in[j] >= 'a' && in[j] <= 'z') ++j;
      if (j > i + 1 && j < in.size() && in[j] == ';') {
        if (auto it = kNames.find(in.substr(i + 1, j - i - 1)); it != kNames.end()) {
          rep = it->second;
          end = j + 1;
        }
      }
    }
    if (end != std::string::npos) {
      out += rep;
      i = end;
    } else {
      out += in[i++];
    }
  }
  return out;
}

TEST(HtmlEntitiesTest, RandomMixesMatchAnOutOfPlaceDecoder) {
  const char* pieces[] = {"&#1;",  "&#65;", "&#x627;", "&#1604;", "&#xFEF7;", "&lt;",
                          "&zwj;", "&shy;", "&amp;",   "&foo;",   "&",        "#",
                          "x",     ";",     "lt",      "ع",       "a",        " "};
  std::mt19937 rng(7);
  for (int round = 0; round < 5000; ++round) {
    std::string in;
    const int len = static_cast<int>(rng() % 16);
    for (int i = 0; i < len; ++i) in += pieces[rng() % std::size(pieces)];
    const std::string got = Decode(in);
    EXPECT_EQ(got, OracleDecode(in)) << in;
    std::string repaired;
    EXPECT_EQ(internal::AppendRepairedUtf8(got, &repaired), 0u) << in;
  }
}

}  // namespace
}  // namespace nazir
