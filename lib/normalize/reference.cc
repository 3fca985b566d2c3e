// All-ICU reference implementation of ar-nd-1 normalization (spec §3, N0..N7), written to follow
// the spec step by step on the whole text. The fast path in normalizer.cc must agree with it
// exactly; it also handles the chunks the fast path's tables do not cover.
//
// The N3/N4/N6 tables are literal code-point lists (spec §8: pin behaviour); tests check the N4
// delete set against the ICU UnicodeSet pattern of spec §3.5.
#include <cstdint>
#include <string>
#include <string_view>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "nazir/base/check.h"

#include "normalize/internal.h"

namespace nazir::internal {
namespace {

constexpr UChar32 kSpace = 0x20;

// ---- N0 -----------------------------------------------------------------------------------
bool IsN0Space(UChar32 c) {
  return c == 0xFFFD || (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D) ||
         (c >= 0x7F && c <= 0x9F);
}

// ---- N1 -----------------------------------------------------------------------------------
constexpr char16_t kBasmala[] = u"بسم الله الرحمن الرحيم";

bool IsN1Deleted(UChar32 c) {
  return (c >= 0xFE70 && c <= 0xFE72) || c == 0xFE74 || (c >= 0xFE76 && c <= 0xFE7F) ||
         (c >= 0xFC5E && c <= 0xFC63);
}

// ---- N3 -----------------------------------------------------------------------------------
constexpr UChar32 kHamza = 0x0621, kAlef = 0x0627, kYeh = 0x064A, kHeh = 0x0647, kKaf = 0x0643;
constexpr UChar32 kWaw = 0x0648, kHamzaAbove = 0x0654;
constexpr UChar32 kDelete = -1;

// Seats that NFKC cannot compose with a following U+0654 (N3.0).
bool IsUncomposableYehSeat(UChar32 c) {
  return c == 0x0649 || c == 0x06CC || c == 0x06CD || c == 0x06CE || c == 0x06D0 || c == 0x06D2;
}

// The letter a yeh-seat hamza becomes in each mode.
UChar32 YehSeatHamza(HamzaMode mode) {
  switch (mode) {
    case HamzaMode::kHamza:
      return kHamza;
    case HamzaMode::kSeatLetter:
      return kYeh;
    case HamzaMode::kKeep:
      return 0x0626;
  }
  return kHamza;
}

// N3 one-to-one folding; returns c unchanged when no rule applies, kDelete for deletions.
UChar32 FoldLetter(UChar32 c, HamzaMode mode) {
  switch (c) {
    // 3.4.1 alef variants
    case 0x0622:
    case 0x0623:
    case 0x0625:
    case 0x0671:
    case 0x0672:
    case 0x0673:
      return kAlef;
    // 3.4.2 alef maksura
    case 0x0649:
      return kYeh;
    // 3.4.3 teh marbuta (and Urdu goal form)
    case 0x0629:
    case 0x06C3:
      return kHeh;
    // 3.4.4 hamza on waw/yeh seats
    case 0x0624:
      return mode == HamzaMode::kHamza ? kHamza : mode == HamzaMode::kSeatLetter ? kWaw : c;
    case 0x0626:
    case 0x06D3:
      return mode == HamzaMode::kHamza ? kHamza : mode == HamzaMode::kSeatLetter ? kYeh : c;
    // 3.4.5 Persian, Urdu, Kurdish letters
    case 0x06A9:
    case 0x06AA:
    case 0x063B:
    case 0x063C:
      return kKaf;
    case 0x06CC:
    case 0x06CD:
    case 0x06CE:
    case 0x06D0:
    case 0x06D1:
    case 0x06D2:
    case 0x0620:
    case 0x063D:
    case 0x063E:
    case 0x063F:
      return kYeh;
    case 0x06C0:
    case 0x06C1:
    case 0x06C2:
    case 0x06D5:
    case 0x06BE:
    case 0x06FF:
      return kHeh;
    // 3.4.6 letters for foreign sounds
    case 0x067E:
      return 0x0628;  // پ → ب
    case 0x0686:
      return 0x062C;  // چ → ج
    case 0x0698:
      return 0x0632;  // ژ → ز
    case 0x06A4:
      return 0x0641;  // ڤ → ف
    case 0x06A8:
      return 0x0642;  // ڨ → ق
    case 0x06AF:
      return kKaf;  // گ → ك
    // 3.4.7 deletions: tatweel, high hamza, small waw, small yeh
    case 0x0640:
    case 0x0674:
    case 0x06E5:
    case 0x06E6:
      return kDelete;
    default:
      return c;
  }
}

// ---- N4 -----------------------------------------------------------------------------------
// Spec §3.5, resolved against Unicode 15.0 (ICU 72). Sorted, inclusive ranges.
struct Range {
  UChar32 lo, hi;
};
constexpr Range kN4Delete[] = {
    {0x00AD, 0x00AD},   {0x0300, 0x036F},   {0x0600, 0x0605},   {0x0610, 0x061A},
    {0x061C, 0x061C},   {0x064B, 0x065F},   {0x0670, 0x0670},   {0x06D6, 0x06DD},
    {0x06DF, 0x06E4},   {0x06E7, 0x06E8},   {0x06EA, 0x06ED},   {0x070F, 0x070F},
    {0x0890, 0x0891},   {0x0898, 0x089F},   {0x08CA, 0x08FF},   {0x180E, 0x180E},
    {0x1AB0, 0x1ABD},   {0x1ABF, 0x1ACE},   {0x1DC0, 0x1DFF},   {0x200B, 0x200F},
    {0x202A, 0x202E},   {0x2060, 0x2064},   {0x2066, 0x206F},   {0x20D0, 0x20F0},
    {0xFE20, 0xFE2F},   {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},   {0x110BD, 0x110BD},
    {0x110CD, 0x110CD}, {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A},
    {0x10EFD, 0x10EFF}, {0xE0001, 0xE0001}, {0xE0020, 0xE007F},
};

// Letters kept with their hamza in HamzaMode::kKeep; NFD must not take them apart.
bool IsKeptHamzaLetter(UChar32 c) { return c == 0x0624 || c == 0x0626 || c == 0x06D3; }

// ---- N6 -----------------------------------------------------------------------------------
UChar32 MapPunct(UChar32 c) {
  switch (c) {
    case 0x060C:
      return ',';
    case 0x061B:
      return ';';
    case 0x061F:
      return '?';
    case 0x06D4:
    case 0x061E:
      return '.';
    case 0x060D:
      return '/';
    case 0x066B:
      return '.';
    case 0x066C:
      return ',';
    case 0x066A:
      return '%';
    case 0x066D:
      return '*';
    case 0x00AB:
    case 0x00BB:
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:
    case 0x2033:
      return '"';
    case 0x2039:
    case 0x203A:
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201B:
    case 0x2032:
      return '\'';
    case 0x2212:
      return '-';
    default:
      if (c >= 0x2010 && c <= 0x2015) return '-';
      return c;
  }
}

struct Nfs {
  const icu::Normalizer2* nfkc_cf;
  const icu::Normalizer2* nfd;
  const icu::Normalizer2* nfc;
};

const Nfs& GetNfs() {
  static const Nfs nfs = [] {
    UErrorCode st = U_ZERO_ERROR;
    Nfs n{icu::Normalizer2::getNFKCCasefoldInstance(st), icu::Normalizer2::getNFDInstance(st),
          icu::Normalizer2::getNFCInstance(st)};
    NAZIR_CHECK(U_SUCCESS(st));
    return n;
  }();
  return nfs;
}

// N4 on `s` (NFD, delete, NFC). In keep mode the kept hamza letters split the text so that NFD
// leaves them whole; they are NFC boundaries on both sides, so this equals whole-text NFD/NFC
// for every other character.
icu::UnicodeString ApplyN4(const icu::UnicodeString& s, HamzaMode mode) {
  const Nfs& nfs = GetNfs();
  icu::UnicodeString result;
  icu::UnicodeString segment;
  auto flush = [&] {
    if (segment.isEmpty()) return;
    UErrorCode st = U_ZERO_ERROR;
    icu::UnicodeString d = nfs.nfd->normalize(segment, st);
    icu::UnicodeString kept;
    for (int32_t i = 0; i < d.length();) {
      UChar32 c = d.char32At(i);
      i += U16_LENGTH(c);
      if (!IsN4Deleted(c)) kept.append(c);
    }
    result.append(nfs.nfc->normalize(kept, st));
    NAZIR_CHECK(U_SUCCESS(st));
    segment.remove();
  };
  for (int32_t i = 0; i < s.length();) {
    UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    if (mode == HamzaMode::kKeep && IsKeptHamzaLetter(c)) {
      flush();
      result.append(c);
    } else {
      segment.append(c);
    }
  }
  flush();
  return result;
}

}  // namespace

bool IsN4Deleted(int32_t c) {
  if (c < 0x00AD) return false;
  for (const Range& r : kN4Delete) {
    if (c >= r.lo && c <= r.hi) return true;
  }
  return false;
}

// ---- N7 -----------------------------------------------------------------------------------
bool IsN7Space(int32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0x2028 || c == 0x2029 ||
         u_charType(c) == U_SPACE_SEPARATOR;
}

size_t AppendReference(std::string_view text, HamzaMode mode, bool collapse, std::string* out) {
  const Nfs& nfs = GetNfs();
  // N0 + N1 (both are per code point).
  icu::UnicodeString s;
  size_t invalid = 0;
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const auto n = static_cast<int32_t>(text.size());
  NAZIR_CHECK(text.size() < (size_t{1} << 31));
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) {
      ++invalid;
      c = 0xFFFD;
    }
    if (IsN0Space(c)) c = kSpace;
    if (c == 0xFDFD) {
      s.append(icu::UnicodeString(kBasmala));
    } else if (IsN1Deleted(c)) {
      // deleted
    } else {
      s.append(c == 0x200B ? kSpace : c);
    }
  }
  // N2
  UErrorCode st = U_ZERO_ERROR;
  icu::UnicodeString n2 = nfs.nfkc_cf->normalize(s, st);
  NAZIR_CHECK(U_SUCCESS(st));
  // N3
  icu::UnicodeString n3;
  for (int32_t i = 0; i < n2.length();) {
    UChar32 c = n2.char32At(i);
    i += U16_LENGTH(c);
    if (IsUncomposableYehSeat(c) && i < n2.length() && n2.char32At(i) == kHamzaAbove) {
      n3.append(YehSeatHamza(mode));
      i += 1;
      continue;
    }
    UChar32 f = FoldLetter(c, mode);
    if (f != kDelete) n3.append(f);
  }
  // N4
  icu::UnicodeString n4 = ApplyN4(n3, mode);
  // N5, N6, N7
  icu::UnicodeString result;
  bool pending_space = false;
  for (int32_t i = 0; i < n4.length();) {
    UChar32 c = n4.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_DECIMAL_DIGIT_NUMBER) c = '0' + u_charDigitValue(c);
    c = MapPunct(c);
    if (collapse && IsN7Space(c)) {
      pending_space = !result.isEmpty();
      continue;
    }
    if (pending_space) result.append(kSpace);
    pending_space = false;
    result.append(c);
  }
  result.toUTF8String(*out);
  return invalid;
}

size_t ReferenceNormalize(std::string_view text, HamzaMode mode, std::string* out) {
  out->clear();
  return AppendReference(text, mode, /*collapse=*/true, out);
}

}  // namespace nazir::internal
