// The fast normalizer's tables: the N4 delete set matches the spec's ICU pattern, every table
// entry equals the reference path on its own, and no two table code points interact (exhaustive
// over all pairs), which is what makes the per-code-point fast path exact.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unicode/uniset.h>
#include <unicode/unistr.h>

#include "nazir/normalize/normalizer.h"

#include "normalize/internal.h"
#include "tests/normalize/test_util.h"

namespace nazir {
namespace {

using internal::NormalizerTables;

TEST(NormalizeTablesTest, DeleteSetMatchesSpecPattern) {
  UErrorCode st = U_ZERO_ERROR;
  icu::UnicodeSet set(icu::UnicodeString::fromUTF8(
                          "[[[:Mn:]&[:sc=Arab:]] [\\u064B-\\u0655\\u0670]"
                          " [[:Mn:]&[\\u0300-\\u036F\\u1AB0-\\u1AFF\\u1DC0-\\u1DFF\\uFE20-\\uFE2F]]"
                          " [[:M:]&[\\u20D0-\\u20FF]] [:Cf:]]"),
                      st);
  ASSERT_TRUE(U_SUCCESS(st)) << u_errorName(st);
  int mismatches = 0;
  for (UChar32 cp = 0; cp <= 0x10FFFF && mismatches < 20; ++cp) {
    if (internal::IsN4Deleted(cp) != static_cast<bool>(set.contains(cp))) {
      ++mismatches;
      ADD_FAILURE() << "U+" << std::hex << cp << ": hard-coded " << internal::IsN4Deleted(cp)
                    << ", ICU pattern " << set.contains(cp);
    }
  }
}

TEST(NormalizeTablesTest, EveryEntryMatchesReference) {
  for (HamzaMode mode : {HamzaMode::kHamza, HamzaMode::kSeatLetter, HamzaMode::kKeep}) {
    auto normalizer = Normalizer::Create({.hamza_mode = mode});
    ASSERT_TRUE(normalizer.ok());
    auto tables = internal::GetNormalizerTables(mode);
    int fast = 0;
    std::string in, got, want;
    for (int32_t cp : internal::FastTableCandidates()) {
      in.clear();
      testing::AppendUtf8(static_cast<uint32_t>(cp), &in);
      normalizer->Normalize(in, &got);
      internal::ReferenceNormalize(in, mode, &want);
      EXPECT_EQ(got, want) << "U+" << std::hex << cp << " mode " << static_cast<int>(mode);
      if (!(tables->Lookup(cp) & NormalizerTables::kSlow)) ++fast;
    }
    // ASCII, Latin-1 and nearly all of the Arabic block are on the fast path.
    EXPECT_GT(fast, 600) << "mode " << static_cast<int>(mode);
  }
}

TEST(NormalizeTablesTest, ArabicLettersAndAsciiAreFast) {
  auto tables = internal::GetNormalizerTables(HamzaMode::kHamza);
  for (int32_t cp = 0x20; cp < 0x7F; ++cp)
    EXPECT_FALSE(tables->Lookup(cp) & NormalizerTables::kSlow);
  for (int32_t cp = 0x0621; cp <= 0x064A; ++cp) {
    EXPECT_EQ(tables->Lookup(cp) & NormalizerTables::kSpecial, 0u) << std::hex << cp;
  }
  for (int32_t cp = 0x0653; cp <= 0x0655; ++cp) {
    EXPECT_TRUE(tables->Lookup(cp) & NormalizerTables::kSlow) << "composes with the letter before";
  }
}

// For every pair (a, b) of non-slow table code points, the fast path on "ab" equals the reference
// path. Any composition, canonical reordering or N3.0 pair between table code points would show
// up here; with it ruled out for pairs it cannot happen in longer runs either (composition is
// pairwise, reordering only moves marks, which the tables delete).
void CheckAllPairs(HamzaMode mode, bool arabic_only) {
  auto normalizer = Normalizer::Create({.hamza_mode = mode});
  ASSERT_TRUE(normalizer.ok());
  auto tables = internal::GetNormalizerTables(mode);
  std::vector<std::string> fast;
  for (int32_t cp : internal::FastTableCandidates()) {
    if (tables->Lookup(cp) & NormalizerTables::kSlow) continue;
    if (arabic_only && (cp < 0x0600 || cp > 0x06FF)) continue;
    std::string s;
    testing::AppendUtf8(static_cast<uint32_t>(cp), &s);
    fast.push_back(std::move(s));
  }
  // ASCII, Latin-1 and Latin Extended-A, the Arabic block, General Punctuation.
  EXPECT_GT(fast.size(), arabic_only ? 240u : 600u);
  int failures = 0;
  std::string in, got, want;
  for (const std::string& a : fast) {
    for (const std::string& b : fast) {
      in = a;
      in += b;
      normalizer->Normalize(in, &got);
      internal::ReferenceNormalize(in, mode, &want);
      if (got != want && ++failures <= 20) {
        ADD_FAILURE() << "pair '" << a << "' '" << b << "': fast '" << got << "' reference '"
                      << want << "'";
      }
    }
  }
  EXPECT_EQ(failures, 0);
}

TEST(NormalizeTablesTest, NoTwoTableCodePointsInteractHamza) {
  CheckAllPairs(HamzaMode::kHamza, false);
}
TEST(NormalizeTablesTest, NoTwoTableCodePointsInteractSeat) {
  CheckAllPairs(HamzaMode::kSeatLetter, true);
}
TEST(NormalizeTablesTest, NoTwoTableCodePointsInteractKeep) {
  CheckAllPairs(HamzaMode::kKeep, true);
}

}  // namespace
}  // namespace nazir
