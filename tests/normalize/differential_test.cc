// Differential tests: the fast normalizer and tokenizer against the all-ICU reference
// implementation on real news text (seed corpus, SaudiNewsNet when present) and random nasty
// strings. Normalized text and tokens must be identical.
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "nazir/normalize/normalizer.h"
#include "nazir/normalize/tokenizer.h"

#include "normalize/internal.h"
#include "tests/normalize/test_util.h"

namespace nazir {
namespace {

// Compares both paths on every text; returns the number of texts compared.
size_t CompareAll(const std::vector<std::string>& texts, HamzaMode mode = HamzaMode::kHamza) {
  auto normalizer = Normalizer::Create({.hamza_mode = mode});
  auto tokenizer = Tokenizer::Create();
  auto reference = internal::ReferenceTokenizer::Create();
  EXPECT_TRUE(normalizer.ok() && tokenizer.ok() && reference.ok());
  std::string fast_norm, ref_norm;
  std::vector<std::string_view> fast_tokens, ref_tokens;
  int failures = 0;
  for (const std::string& text : texts) {
    const size_t fast_invalid = normalizer->Normalize(text, &fast_norm);
    const size_t ref_invalid = internal::ReferenceNormalize(text, mode, &ref_norm);
    if (fast_norm != ref_norm || fast_invalid != ref_invalid) {
      if (++failures > 5) break;
      // Report the first differing position with some context.
      size_t k = 0;
      while (k < fast_norm.size() && k < ref_norm.size() && fast_norm[k] == ref_norm[k]) ++k;
      const size_t from = k > 60 ? k - 60 : 0;
      ADD_FAILURE() << "normalized text differs at byte " << k << "\n  fast: '"
                    << fast_norm.substr(from, 120) << "'\n  ref:  '" << ref_norm.substr(from, 120)
                    << "'\n  input: '" << text.substr(0, 300) << "'";
      continue;
    }
    tokenizer->Tokenize(ref_norm, &fast_tokens);
    reference->Tokenize(ref_norm, &ref_tokens);
    if (fast_tokens != ref_tokens) {
      if (++failures > 5) break;
      size_t k = 0;
      while (k < fast_tokens.size() && k < ref_tokens.size() && fast_tokens[k] == ref_tokens[k])
        ++k;
      ADD_FAILURE() << "tokens differ at token " << k << ": fast '"
                    << (k < fast_tokens.size() ? fast_tokens[k] : "<end>") << "' ref '"
                    << (k < ref_tokens.size() ? ref_tokens[k] : "<end>") << "'\n  text: '"
                    << ref_norm.substr(0, 300) << "'";
    }
  }
  EXPECT_EQ(failures, 0);
  return texts.size();
}

TEST(NormalizeDifferentialTest, SeedCorpus) {
  std::vector<std::string> texts;
  ASSERT_TRUE(testing::LoadJsonlTexts(testing::SeedCorpusPath(), 100000, &texts))
      << testing::SeedCorpusPath();
  ASSERT_FALSE(texts.empty());
  for (HamzaMode mode : {HamzaMode::kHamza, HamzaMode::kSeatLetter, HamzaMode::kKeep}) {
    CompareAll(texts, mode);
  }
}

TEST(NormalizeDifferentialTest, SaudiNewsNetFirst3000Articles) {
  std::vector<std::string> texts;
  if (!testing::LoadJsonlTexts(testing::SaudiNewsNetPath(), 3000, &texts) || texts.empty()) {
    GTEST_SKIP() << "SaudiNewsNet not available at " << testing::SaudiNewsNetPath()
                 << " (needs ../shared and the zstd binary)";
  }
  EXPECT_GE(CompareAll(texts), 3000u);
}

TEST(NormalizeDifferentialTest, RandomNastyStrings) {
  std::mt19937_64 rng(42);
  std::vector<std::string> texts;
  for (int i = 0; i < 30000; ++i) texts.push_back(testing::NastyString(rng, 1 + rng() % 30));
  CompareAll(texts);
  CompareAll(texts, HamzaMode::kKeep);
}

// Long Arabic words (the fast normalizer copies runs of unchanged letters and single spaces 16
// bytes at a time and the tokenizer skips runs of common letters): letters that every mode keeps,
// letters that modes fold, harakat, tatweel, combining hamza/madda, Arabic punctuation and digits,
// spaces and ASCII, so runs stop at every kind of neighbour, cross 16-byte blocks and reach the end
// of the text.
TEST(NormalizeDifferentialTest, LongArabicWords) {
  constexpr uint32_t kLetters[] = {0x0621, 0x0627, 0x0628, 0x062A, 0x0639, 0x063A, 0x0641, 0x0644,
                                   0x0645, 0x0647, 0x0648, 0x064A, 0x0627, 0x0644, 0x0645, 0x064A};
  constexpr uint32_t kOthers[] = {0x0622, 0x0623, 0x0624, 0x0625, 0x0626, 0x0629, 0x0649, 0x0640,
                                  0x064B, 0x0651, 0x0652, 0x0653, 0x0654, 0x0655, 0x060C, 0x0661,
                                  0x063B, 0x0671, 0x06A9, 0x06CC, 0x0020, 0x0020, 0x0020, 0x002E,
                                  0x0031, 0x0061, 0x00A0, 0x200C, 0x000A, 0xFEFF, 0x00E9, 0x0301};
  std::mt19937_64 rng(44);
  std::vector<std::string> texts;
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const size_t items = 1 + rng() % 100;
    for (size_t j = 0; j < items; ++j) {
      const uint64_t r = rng() % 100;
      if (r < 75) {
        testing::AppendUtf8(kLetters[rng() % std::size(kLetters)], &s);
      } else if (r < 85) {
        s += ' ';  // single spaces between words: runs are copied across them
      } else {
        testing::AppendUtf8(kOthers[rng() % std::size(kOthers)], &s);
      }
    }
    texts.push_back(std::move(s));
  }
  for (HamzaMode mode : {HamzaMode::kHamza, HamzaMode::kSeatLetter, HamzaMode::kKeep}) {
    CompareAll(texts, mode);
  }
}

// Tokenizer on valid but un-normalized text (outside its contract, but the fast path must still
// agree with ICU: it only claims characters whose behaviour it reproduces).
TEST(NormalizeDifferentialTest, TokenizerOnRawText) {
  auto tokenizer = Tokenizer::Create();
  auto reference = internal::ReferenceTokenizer::Create();
  ASSERT_TRUE(tokenizer.ok() && reference.ok());
  std::mt19937_64 rng(43);
  std::vector<std::string_view> a, b;
  int failures = 0;
  for (int i = 0; i < 30000 && failures < 5; ++i) {
    const std::string s = testing::NastyString(rng, 1 + rng() % 30);
    tokenizer->Tokenize(s, &a);
    reference->Tokenize(s, &b);
    if (a != b) {
      ++failures;
      ADD_FAILURE() << "input '" << s << "'\n  fast [" << testing::JoinTokens(a) << "]\n  ref  ["
                    << testing::JoinTokens(b) << "]";
    }
  }
}

}  // namespace
}  // namespace nazir
