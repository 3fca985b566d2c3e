// Tokenizer: T1 entity rules, T3 splits, the fast T2 path against ICU on random strings over
// (and just outside) the fast alphabet, token views, moves.
#include "nazir/normalize/tokenizer.h"

#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "normalize/internal.h"
#include "tests/normalize/test_util.h"

namespace nazir {
namespace {

std::string Tok(std::string_view normalized) {
  static Tokenizer* tokenizer = new Tokenizer(*Tokenizer::Create());
  std::vector<std::string_view> tokens;
  tokenizer->Tokenize(normalized, &tokens);
  return "[" + testing::JoinTokens(tokens) + "]";
}

TEST(NormalizeTokenizerTest, Urls) {
  EXPECT_EQ(Tok("see https://t.co/abc?x=1, then"), "[see then]");
  EXPECT_EQ(Tok("(http://a.b/c)."), "[]");
  EXPECT_EQ(Tok("https:// x"), "[https x]");  // scheme alone is not a URL
  EXPECT_EQ(Tok("www.rt.com"), "[]");         // www. needs no path
  EXPECT_EQ(Tok("bit.ly/x1 ok"), "[ok]");
  EXPECT_EQ(Tok("aljazeera.net ok"), "[aljazeera.net ok]");  // bare domain without path
  EXPECT_EQ(Tok("u.s./x"), "[u.s x]");                       // 1-letter TLD: not a host
  EXPECT_EQ(Tok("a..b.com/x"), "[a]");                       // host starts after the ".."
  EXPECT_EQ(Tok("x.c0m/y"), "[x.c 0 m y]");  // TLD must be letters; then T3 letter/digit splits
  EXPECT_EQ(Tok("15/10/2024"), "[15 10 2024]");
}

TEST(NormalizeTokenizerTest, EmailsAndHandles) {
  EXPECT_EQ(Tok("mail a.b+c@ex-ample.co.uk now"), "[mail now]");
  EXPECT_EQ(Tok("a@b.c"), "[a b.c]");  // TLD too short: not an e-mail; '@' splits (T3)
  EXPECT_EQ(Tok("@mfa_russia: hi"), "[@mfa_russia hi]");
  EXPECT_EQ(Tok("x@abc"), "[x abc]");            // preceded by a letter
  EXPECT_EQ(Tok("@abcلافروف"), "[abc لافروف]");  // followed by a letter
  EXPECT_EQ(Tok("@" + std::string(50, 'a')), "[@" + std::string(50, 'a') + "]");
  EXPECT_EQ(Tok("@" + std::string(51, 'a')), "[" + std::string(51, 'a') + "]");
  EXPECT_EQ(Tok("@_"), "[@_]");
  EXPECT_EQ(Tok("(@ab)"), "[@ab]");
}

TEST(NormalizeTokenizerTest, Hashtags) {
  EXPECT_EQ(Tok("#سوريا_الان"), "[سوريا الان]");
  EXPECT_EQ(Tok("#abc.def"), "[abc def]");  // the hashtag body ends at '.'
  EXPECT_EQ(Tok("&#1234;"), "[1234]");      // not a hashtag (HTML entity residue)
  EXPECT_EQ(Tok("a#b"), "[a b]");
  // The hashtag matches first; "@def.com" is then neither an e-mail (its local part was taken)
  // nor a handle (preceded by a letter), so it is plain text and T3 drops the '@'.
  EXPECT_EQ(Tok("#abc@def.com"), "[abc def.com]");
}

TEST(NormalizeTokenizerTest, PostSplits) {
  EXPECT_EQ(Tok("كوفيد19 2024م f16 وf16 الcnn"), "[كوفيد 19 2024 م f 16 و f 16 ال cnn]");
  EXPECT_EQ(Tok("3.5 1,234 lavrov's u.s."), "[3.5 1,234 lavrov's u.s]");
  EXPECT_EQ(Tok("a_b __ _"), "[a b]");
  EXPECT_EQ(Tok("a1.5"), "[a 1.5]");
  EXPECT_EQ(Tok("privet привет"), "[privet привет]");
  EXPECT_EQ(Tok("abcпривет"), "[abc привет]");
}

TEST(NormalizeTokenizerTest, TokensAreViewsIntoInput) {
  auto tokenizer = Tokenizer::Create();
  ASSERT_TRUE(tokenizer.ok());
  const std::string text = "وقال لافروف 15 ﷺ @abc #x_y";
  std::vector<std::string_view> tokens;
  tokenizer->Tokenize(text, &tokens);
  ASSERT_FALSE(tokens.empty());
  for (std::string_view t : tokens) {
    EXPECT_GE(t.data(), text.data());
    EXPECT_LE(t.data() + t.size(), text.data() + text.size());
    EXPECT_FALSE(t.empty());
  }
  Tokenizer moved = std::move(*tokenizer);
  std::vector<std::string_view> again;
  moved.Tokenize(text, &again);
  EXPECT_EQ(tokens, again);
}

// The fast T2 path against the all-ICU reference on random strings.
void CompareOnRandomStrings(uint64_t seed, double slow_rate, int iterations) {
  auto fast = Tokenizer::Create();
  auto ref = internal::ReferenceTokenizer::Create();
  ASSERT_TRUE(fast.ok() && ref.ok());
  std::mt19937_64 rng(seed);
  std::vector<std::string_view> a, b;
  int failures = 0;
  for (int i = 0; i < iterations && failures < 10; ++i) {
    const std::string s = testing::FastAlphabetString(rng, 1 + rng() % 16, slow_rate);
    fast->Tokenize(s, &a);
    ref->Tokenize(s, &b);
    if (a != b) {
      ++failures;
      ADD_FAILURE() << "input '" << s << "': fast [" << testing::JoinTokens(a) << "] ICU ["
                    << testing::JoinTokens(b) << "]";
    }
  }
}

TEST(NormalizeTokenizerTest, FastAlphabetMatchesIcu) { CompareOnRandomStrings(1, 0.0, 200000); }
TEST(NormalizeTokenizerTest, FastAlphabetWithSlowCodePointsMatchesIcu) {
  CompareOnRandomStrings(2, 0.08, 200000);
}

// Long words of Arabic letters (the fast path skips runs of U+0621..U+063A and U+0641..U+064A
// up to 16 bytes at a time): letters at and just outside both ranges, broken by spaces, ASCII
// word characters and punctuation, a few slow code points; runs cross 16-byte blocks and the
// end of the text.
TEST(NormalizeTokenizerTest, ArabicLetterRunsMatchIcu) {
  auto fast = Tokenizer::Create();
  auto ref = internal::ReferenceTokenizer::Create();
  ASSERT_TRUE(fast.ok() && ref.ok());
  constexpr uint32_t kCommon[] = {0x0621, 0x0622, 0x0627, 0x0628, 0x0629, 0x0639,
                                  0x063A, 0x0641, 0x0644, 0x0647, 0x0649, 0x064A};
  constexpr uint32_t kOther[] = {0x0620, 0x063B, 0x063F, 0x0640, 0x064B, 0x0660, 0x066E,
                                 0x0671, 0x06A9, 0x06CC, 0x0700, 0x05D0, 0x00E9, 0x2019};
  constexpr const char* kAscii[] = {" ", " ", " ", ".", ",", "a", "7", "_", "@", ":", "\"", "'"};
  std::mt19937_64 rng(17);
  std::vector<std::string_view> a, b;
  int failures = 0;
  for (int i = 0; i < 30000 && failures < 10; ++i) {
    std::string s;
    const size_t items = 1 + rng() % 80;
    for (size_t j = 0; j < items; ++j) {
      const uint64_t r = rng() % 100;
      if (r < 75) {
        testing::AppendUtf8(kCommon[rng() % std::size(kCommon)], &s);
      } else if (r < 93) {
        s += kAscii[rng() % std::size(kAscii)];
      } else {
        testing::AppendUtf8(kOther[rng() % std::size(kOther)], &s);
      }
    }
    fast->Tokenize(s, &a);
    ref->Tokenize(s, &b);
    if (a != b) {
      ++failures;
      ADD_FAILURE() << "input '" << s << "': fast [" << testing::JoinTokens(a) << "] ICU ["
                    << testing::JoinTokens(b) << "]";
    }
  }
}

// The raw ICU segmentation of fast-alphabet strings: every segment with a letter or digit has
// status >= 100 and no other segment does (the fast path's assumption), ICU 72's '@' is a letter.
TEST(NormalizeTokenizerTest, IcuStatusAssumptions) {
  auto seg = internal::IcuWordSegmenter::Create();
  ASSERT_TRUE(seg.ok());
  std::vector<internal::IcuWordSegmenter::RawSegment> segments;
  seg->RawSegments("a@b", &segments);
  ASSERT_EQ(segments.size(), 1u) << "ICU's '@' rule changed";
  seg->RawSegments("a:b", &segments);
  EXPECT_EQ(segments.size(), 3u) << "ICU's ':' rule changed";
  std::mt19937_64 rng(3);
  for (int i = 0; i < 20000; ++i) {
    const std::string s = testing::FastAlphabetString(rng, 1 + rng() % 12, 0.0);
    seg->RawSegments(s, &segments);
    for (const auto& g : segments) {
      bool alnum = false;
      for (size_t k = g.begin; k < g.end; ++k) {
        const unsigned char c = s[k];
        alnum |= (c >= 0x80) || (c >= '0' && c <= '9') ||
                 ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '@';
      }
      if (alnum) {
        EXPECT_GE(g.status, 100) << "'" << s.substr(g.begin, g.end - g.begin) << "'";
      } else if (g.end - g.begin == 1) {
        EXPECT_LT(g.status, 100) << "'" << s.substr(g.begin, g.end - g.begin) << "'";
      }
    }
  }
}

}  // namespace
}  // namespace nazir

namespace nazir {
namespace {

// Long inputs without spaces that defeat the chunking: every step must stay linear. A quadratic
// step would take minutes on these (each is ~0.5 MB); linear work takes milliseconds.
TEST(NormalizeTokenizerTest, PathologicalInputsStayLinear) {
  auto analyzer = TextAnalyzer::Create();
  ASSERT_TRUE(analyzer.ok());
  const std::vector<std::string> patterns = {"a/",      "#a",   "a@",  "@a", "a.b/",    "ﷺ",
                                             "x\u0301", "www.", "a..", "1,", "#\u0301", "a\u200D"};
  std::vector<std::string_view> tokens;
  for (const std::string& p : patterns) {
    std::string text;
    while (text.size() < 500000) text += p;
    const auto start = std::chrono::steady_clock::now();
    analyzer->Analyze(text, &tokens);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 20.0) << "pattern '" << p << "'";
  }
}

TEST(NormalizeTokenizerTest, NormalizerIsThreadSafe) {
  auto normalizer = Normalizer::Create();
  ASSERT_TRUE(normalizer.ok());
  std::vector<std::string> texts;
  std::mt19937_64 rng(11);
  for (int i = 0; i < 2000; ++i) texts.push_back(testing::NastyString(rng, 30));
  std::vector<std::string> expected;
  for (const auto& t : texts) expected.push_back(normalizer->Normalize(t));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      auto tokenizer = Tokenizer::Create();  // one per thread
      std::string out;
      std::vector<std::string_view> tokens;
      for (size_t i = 0; i < texts.size(); ++i) {
        normalizer->Normalize(texts[i], &out);
        tokenizer->Tokenize(out, &tokens);
        mismatches[k] += out != expected[i];
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int k = 0; k < 4; ++k) EXPECT_EQ(mismatches[k], 0) << "thread " << k;
}

}  // namespace
}  // namespace nazir
