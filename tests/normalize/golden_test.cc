// tests/golden/test_vectors.tsv (spec §7): every row's normalized text and tokens, through the
// fast path, the all-ICU reference path and TextAnalyzer.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "nazir/normalize/normalizer.h"
#include "nazir/normalize/tokenizer.h"

#include "normalize/internal.h"
#include "tests/normalize/test_util.h"

namespace nazir {
namespace {

std::vector<testing::GoldenRow> LoadRows() {
  std::vector<testing::GoldenRow> rows;
  std::string error;
  EXPECT_TRUE(testing::LoadGolden(NAZIR_SOURCE_DIR "/tests/golden/test_vectors.tsv", &rows, &error))
      << error;
  return rows;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? " " : "") + v[i];
  return out;
}

// Prints tokens as [a|b|c] so that empty and multi-word tokens are visible.
std::string Show(const std::vector<std::string_view>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) (out += i ? "|" : "") += v[i];
  return out + "]";
}

TEST(NormalizeGoldenTest, FileHasAllRows) {
  std::vector<testing::GoldenRow> rows = LoadRows();
  EXPECT_EQ(rows.size(), 104u);
}

TEST(NormalizeGoldenTest, FastPath) {
  auto normalizer = Normalizer::Create();
  ASSERT_TRUE(normalizer.ok()) << normalizer.status();
  auto tokenizer = Tokenizer::Create();
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();
  std::string normalized;
  std::vector<std::string_view> tokens;
  for (const testing::GoldenRow& row : LoadRows()) {
    EXPECT_EQ(normalizer->Normalize(row.input, &normalized), 0u) << row.name;
    EXPECT_EQ(normalized, row.expected_normalized)
        << "case " << row.name << " (line " << row.line << "): normalized text";
    tokenizer->Tokenize(row.expected_normalized, &tokens);
    EXPECT_EQ(testing::JoinTokens(tokens), Join(row.expected_tokens))
        << "case " << row.name << " (line " << row.line << "): tokens " << Show(tokens);
  }
}

TEST(NormalizeGoldenTest, ReferencePath) {
  auto tokenizer = internal::ReferenceTokenizer::Create();
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();
  std::string normalized;
  std::vector<std::string_view> tokens;
  for (const testing::GoldenRow& row : LoadRows()) {
    internal::ReferenceNormalize(row.input, HamzaMode::kHamza, &normalized);
    EXPECT_EQ(normalized, row.expected_normalized)
        << "case " << row.name << " (line " << row.line << "): reference normalized text";
    tokenizer->Tokenize(row.expected_normalized, &tokens);
    EXPECT_EQ(testing::JoinTokens(tokens), Join(row.expected_tokens))
        << "case " << row.name << " (line " << row.line << "): reference tokens " << Show(tokens);
  }
}

TEST(NormalizeGoldenTest, TextAnalyzer) {
  auto analyzer = TextAnalyzer::Create();
  ASSERT_TRUE(analyzer.ok()) << analyzer.status();
  std::vector<std::string_view> tokens;
  for (const testing::GoldenRow& row : LoadRows()) {
    analyzer->Analyze(row.input, &tokens);
    EXPECT_EQ(analyzer->normalized(), row.expected_normalized) << "case " << row.name;
    EXPECT_EQ(testing::JoinTokens(tokens), Join(row.expected_tokens)) << "case " << row.name;
    for (std::string_view t : tokens) {
      // Tokens are views into the analyzer's buffer.
      EXPECT_GE(t.data(), analyzer->normalized().data()) << "case " << row.name;
      EXPECT_LE(t.data() + t.size(), analyzer->normalized().data() + analyzer->normalized().size())
          << "case " << row.name;
    }
  }
}

}  // namespace
}  // namespace nazir
