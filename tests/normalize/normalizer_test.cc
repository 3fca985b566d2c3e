// Normalizer properties: idempotence, what never survives normalization, invalid UTF-8, hamza
// modes, identity strings, options validation, buffer reuse.
#include "nazir/normalize/normalizer.h"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "normalize/internal.h"
#include "tests/normalize/test_util.h"

namespace nazir {
namespace {

Normalizer Make(HamzaMode mode = HamzaMode::kHamza) {
  auto n = Normalizer::Create({.hamza_mode = mode});
  EXPECT_TRUE(n.ok()) << n.status();
  return *std::move(n);
}

// Texts for the property tests: golden inputs, seed corpus, random nasty strings.
std::vector<std::string> PropertyTexts() {
  std::vector<std::string> texts;
  std::vector<testing::GoldenRow> rows;
  std::string error;
  EXPECT_TRUE(
      testing::LoadGolden(NAZIR_SOURCE_DIR "/tests/golden/test_vectors.tsv", &rows, &error));
  for (auto& r : rows) texts.push_back(r.input);
  EXPECT_TRUE(testing::LoadJsonlTexts(testing::SeedCorpusPath(), 1000, &texts));
  std::mt19937_64 rng(20240601);
  for (int i = 0; i < 3000; ++i) texts.push_back(testing::NastyString(rng, 1 + rng() % 40));
  return texts;
}

// Checks `s` is valid UTF-8 and returns its code points.
std::vector<UChar32> CodePoints(const std::string& s) {
  std::vector<UChar32> cps;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  for (int32_t i = 0, n = static_cast<int32_t>(s.size()); i < n;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    EXPECT_GE(c, 0) << "invalid UTF-8 in output";
    cps.push_back(c);
  }
  return cps;
}

TEST(NormalizerTest, IdentityStrings) {
  EXPECT_EQ(Make().Id(), "ar-nd-1+hamza+icu72");
  EXPECT_EQ(Make(HamzaMode::kSeatLetter).Id(), "ar-nd-1+seat+icu72");
  EXPECT_EQ(Make(HamzaMode::kKeep).Id(), "ar-nd-1+keep+icu72");
  EXPECT_EQ(Make(HamzaMode::kKeep).options().hamza_mode, HamzaMode::kKeep);
}

TEST(NormalizerTest, ValidateRejectsUnknownMode) {
  NormalizerOptions bad{.hamza_mode = static_cast<HamzaMode>(7)};
  EXPECT_EQ(bad.Validate().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Normalizer::Create(bad).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(NormalizerOptions{}.Validate().ok());
}

TEST(NormalizerTest, Idempotent) {
  for (HamzaMode mode : {HamzaMode::kHamza, HamzaMode::kSeatLetter, HamzaMode::kKeep}) {
    Normalizer n = Make(mode);
    std::string once, twice;
    for (const std::string& text : PropertyTexts()) {
      n.Normalize(text, &once);
      n.Normalize(once, &twice);
      EXPECT_EQ(once, twice) << "input '" << text << "' mode " << static_cast<int>(mode);
    }
  }
}

TEST(NormalizerTest, OutputHasNoMarksTatweelControlsOrFormatChars) {
  Normalizer n = Make();
  std::string out;
  for (const std::string& text : PropertyTexts()) {
    n.Normalize(text, &out);
    EXPECT_TRUE(out.empty() || (out.front() != ' ' && out.back() != ' ')) << out;
    EXPECT_EQ(out.find("  "), std::string::npos) << out;
    for (UChar32 c : CodePoints(out)) {
      EXPECT_FALSE(internal::IsN4Deleted(c)) << "U+" << std::hex << c << " in '" << out << "'";
      EXPECT_NE(u_charType(c), U_FORMAT_CHAR) << "U+" << std::hex << c;
      EXPECT_NE(u_charType(c), U_CONTROL_CHAR) << "U+" << std::hex << c;
      EXPECT_NE(c, 0x0640) << "tatweel in '" << out << "'";
      EXPECT_FALSE(u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
          << "U+" << std::hex << c << " in '" << out << "'";
      EXPECT_FALSE(c >= 0x064B && c <= 0x065F) << "haraka U+" << std::hex << c;
      EXPECT_FALSE(internal::IsN7Space(c) && c != ' ') << "U+" << std::hex << c;
      EXPECT_NE(c, 0xFFFD);
    }
  }
}

TEST(NormalizerTest, InvalidUtf8IsReplacedAndCounted) {
  Normalizer n = Make();
  struct Case {
    std::string in;
    std::string want;
    size_t invalid;
  };
  const Case cases[] = {
      {"\xD9\x84\xFF\xD8\xA7", "ل ا", 1},  // stray byte
      {"a\xC0\xAF"
       "b",
       "a b", 2},  // overlong '/': two invalid bytes
      {"a\xE0\x80\xAF"
       "b",
       "a b", 3},  // 3-byte overlong
      {"a\xED\xA0\x80"
       "b",
       "a b", 3},  // UTF-8-encoded surrogate
      {"a\xF4\x90\x80\x80"
       "b",
       "a b", 4},                              // beyond U+10FFFF
      {"\xD8", "", 1},                         // truncated at end
      {"\xE2\x82 x", "x", 1},                  // truncated 3-byte sequence
      {"\xF0\x9F\x98", "", 1},                 // truncated 4-byte sequence
      {"\xD9\x84\x80\x80\xD8\xA7", "ل ا", 2},  // lone continuation bytes
      {"\xEF\xBF\xBD", "", 0},                 // a real U+FFFD is not invalid input
  };
  std::string out;
  for (const Case& c : cases) {
    EXPECT_EQ(n.Normalize(c.in, &out), c.invalid) << c.want;
    EXPECT_EQ(out, c.want);
  }
}

TEST(NormalizerTest, RandomBytesNeverCrashAndMatchReference) {
  Normalizer n = Make();
  std::mt19937_64 rng(7);
  std::string in, got, want;
  for (int iter = 0; iter < 20000; ++iter) {
    in.clear();
    const size_t len = rng() % 24;
    for (size_t i = 0; i < len; ++i) {
      const uint64_t r = rng();
      // Bias towards bytes that form (or almost form) Arabic and multi-byte sequences.
      static constexpr uint8_t kBytes[] = {0xD8, 0xD9, 0xDA, 0xDB, 0x80, 0xA7, 0xBF,
                                           0xC0, 0xC1, 0xE0, 0xED, 0xEF, 0xF0, 0xF4,
                                           0xF5, 0xFF, 'a',  ' ',  '.',  0x00};
      in.push_back(static_cast<char>(r % 3 == 0 ? (r >> 8) & 0xFF : kBytes[(r >> 8) % 20]));
    }
    const size_t got_invalid = n.Normalize(in, &got);
    const size_t want_invalid = internal::ReferenceNormalize(in, HamzaMode::kHamza, &want);
    ASSERT_EQ(got, want) << "iteration " << iter;
    ASSERT_EQ(got_invalid, want_invalid) << "iteration " << iter;
    CodePoints(got);  // valid UTF-8
  }
}

TEST(NormalizerTest, SeatLetterMode) {
  Normalizer n = Make(HamzaMode::kSeatLetter);
  EXPECT_EQ(n.Normalize("مسؤول مسئول"), "مسوول مسيول");
  EXPECT_EQ(n.Normalize("مؤتمر موتمر"), "موتمر موتمر");
  EXPECT_EQ(n.Normalize("شاطى\u0654 ر\u064A\u0654يس"), "شاطي رييس");
  EXPECT_EQ(n.Normalize("ۓ ء أ"), "ي ء ا");
}

TEST(NormalizerTest, KeepMode) {
  Normalizer n = Make(HamzaMode::kKeep);
  EXPECT_EQ(n.Normalize("مسؤول مسئول"), "مسؤول مسئول");
  EXPECT_EQ(n.Normalize("رئيس ر\u064A\u0654يس"), "رئيس رئيس");
  EXPECT_EQ(n.Normalize("شاطى\u0654"), "شاطئ");
  EXPECT_EQ(n.Normalize("رئِيس"), "رئيس");  // the kasra goes, the hamza stays
  EXPECT_EQ(n.Normalize("أ إ آ ى ة"), "ا ا ا ي ه");
}

TEST(NormalizerTest, HamzaModeOnlyChangesHamzaSeats) {
  Normalizer hamza = Make(HamzaMode::kHamza), seat = Make(HamzaMode::kSeatLetter),
             keep = Make(HamzaMode::kKeep);
  const std::string text = "وزير الخارجية الروسي سيرغي لافروف ١٥ أكتوبر";
  EXPECT_EQ(hamza.Normalize(text), seat.Normalize(text));
  EXPECT_EQ(hamza.Normalize(text), keep.Normalize(text));
  EXPECT_EQ(hamza.Normalize("مسؤول"), "مسءول");
}

TEST(NormalizerTest, ReusesBufferCapacity) {
  Normalizer n = Make();
  std::string out;
  out.reserve(4096);
  const char* data = out.data();
  for (int i = 0; i < 10; ++i) {
    n.Normalize("قَالَ وَزِيرُ الخَارِجِيَّةِ LAVROV", &out);
    EXPECT_EQ(out.data(), data);
  }
  EXPECT_EQ(out, "قال وزير الخارجيه lavrov");
}

TEST(NormalizerTest, SlowChunksGrowTheOutput) {
  Normalizer n = Make();
  // Word ligatures expand a lot; the output must grow past the input size.
  std::string in;
  for (int i = 0; i < 200; ++i) in += "ﷺ ﷽ ";
  std::string want;
  internal::ReferenceNormalize(in, HamzaMode::kHamza, &want);
  EXPECT_EQ(n.Normalize(in), want);
  EXPECT_GT(want.size(), in.size());
}

TEST(NormalizerTest, CopiesShareTables) {
  Normalizer a = Make();
  Normalizer b = a;
  EXPECT_EQ(a.Normalize("ﻻ"), b.Normalize("ﻻ"));
  EXPECT_EQ(b.Id(), a.Id());
}

}  // namespace
}  // namespace nazir
