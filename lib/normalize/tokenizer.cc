// Tokenizer: ar-nd-1 tokens (spec §4.2) with a table-driven fast path for T2.
//
// T1 (FindEntities) and T3 (SplitSegment) are shared with the reference tokenizer. For T2, each
// piece of text between entities is cut into whitespace-delimited chunks. A chunk whose code
// points are all in the fast alphabet (ASCII, Arabic letters) is segmented by a reimplementation
// of the UAX #29 rules ICU 72 applies to that alphabet:
//   classes  ALetter (a-z, A-Z, '@' [ICU 72 adds '@'], Arabic letters), Numeric (0-9),
//            MidNumLet ('.', and the Single_Quote '\''), MidNum (',', ';'), ExtendNumLet ('_'),
//            everything else in ASCII is a status-0 singleton (':' is not MidLetter in ICU 72,
//            '"' only matters next to Hebrew letters);
//   joins    ALetter/Numeric/ExtendNumLet runs stay together (WB5, WB8-10, WB13a/b),
//            ALetter (MidNumLet) ALetter (WB6/7), Numeric (MidNum|MidNumLet) Numeric (WB11/12).
// Every other chunk goes to ICU's BreakIterator, together with its neighbours whenever the next
// chunk starts with a non-fast code point (which could be an Extend/Format character that ICU
// attaches to the preceding space). A break after a space followed by a fast code point is
// always a boundary that resets ICU's state, so regions cut there segment the same on their own.
#include "nazir/normalize/tokenizer.h"

#include <array>
#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "nazir/base/check.h"

#include "normalize/internal.h"

namespace nazir {
namespace internal {
namespace {

enum Cls : uint8_t {
  kSp,    // ' '
  kLat,   // ASCII letter
  kArab,  // Arabic letter (L*, Word_Break=ALetter, Script=Arabic) in U+0600..U+06FF
  kAt,    // '@': ALetter for T2, split point for T3
  kNum,   // 0-9
  kMnl,   // '.' '\''
  kMn,    // ',' ';'
  kEx,    // '_'
  kOth,   // other ASCII punctuation and symbols
  kSlow,  // anything else: the chunk goes to ICU
};

constexpr bool IsWordCls(uint8_t c) { return c >= kLat && c <= kNum ? true : c == kEx; }
constexpr bool IsALetter(uint8_t c) { return c == kLat || c == kArab || c == kAt; }

// Bits of the flags accumulated per segment to decide whether T3 can change it.
constexpr uint8_t Bit(uint8_t c) { return static_cast<uint8_t>(1u << c); }

constexpr std::array<uint8_t, 128> kAsciiCls = [] {
  std::array<uint8_t, 128> t{};
  for (int c = 0; c < 128; ++c) {
    if (c < 0x20 || c == 0x7F) {
      t[c] = kSlow;  // controls never survive normalization; let ICU handle them
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      t[c] = kLat;
    } else if (c >= '0' && c <= '9') {
      t[c] = kNum;
    } else {
      t[c] = kOth;
    }
  }
  t[' '] = kSp;
  t['@'] = kAt;
  t['.'] = t['\''] = kMnl;
  t[','] = t[';'] = kMn;
  t['_'] = kEx;
  return t;
}();

// The common Arabic letters U+0621..U+063A (D8 A1..D8 BA) and U+0641..U+064A (D9 81..D9 8A):
// every code point of a run skipped by ArabicLetterRun is kArab (checked in ArabicCls).
constexpr bool IsCommonArabicLetter(UChar32 cp) {
  return (cp >= 0x0621 && cp <= 0x063A) || (cp >= 0x0641 && cp <= 0x064A);
}

const std::array<uint8_t, 256>& ArabicCls() {
  static const auto table = [] {
    std::array<uint8_t, 256> t{};
    for (int i = 0; i < 256; ++i) {
      const UChar32 cp = 0x600 + i;
      UErrorCode st = U_ZERO_ERROR;
      const bool letter = (U_MASK(u_charType(cp)) & U_GC_L_MASK) != 0;
      const bool aletter = u_getIntPropertyValue(cp, UCHAR_WORD_BREAK) == U_WB_ALETTER;
      const bool arabic = uscript_getScript(cp, &st) == USCRIPT_ARABIC;
      t[i] = letter && aletter && arabic ? kArab : kSlow;
      NAZIR_CHECK(!IsCommonArabicLetter(cp) || t[i] == kArab);
    }
    return t;
  }();
  return table;
}

// Length in bytes of the run of common Arabic letters (IsCommonArabicLetter) at p[0, avail),
// cut at `limit` <= avail (a code point boundary). Reads up to 16 bytes at a time but never past
// p + avail. Most Arabic words are such a run, which this skips without a branch per letter.
size_t ArabicLetterRun(const uint8_t* p, size_t limit, size_t avail) {
  size_t r = 0;
#if defined(__SSE2__)
  const __m128i d8 = _mm_set1_epi8(static_cast<char>(0xD8));
  const __m128i d9 = _mm_set1_epi8(static_cast<char>(0xD9));
  const __m128i zero = _mm_setzero_si128();
  while (r + 16 <= avail) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + r));
    const __m128i is_d8 = _mm_cmpeq_epi8(v, d8);
    const __m128i is_d9 = _mm_cmpeq_epi8(v, d9);
    // Unsigned range tests: b in [lo, lo + w] iff saturating (b - lo) - w == 0.
    const __m128i in_d8 = _mm_cmpeq_epi8(
        _mm_subs_epu8(_mm_sub_epi8(v, _mm_set1_epi8(static_cast<char>(0xA1))), _mm_set1_epi8(0x19)),
        zero);
    const __m128i in_d9 = _mm_cmpeq_epi8(
        _mm_subs_epu8(_mm_sub_epi8(v, _mm_set1_epi8(static_cast<char>(0x81))), _mm_set1_epi8(0x09)),
        zero);
    // Byte j is a valid second byte if byte j - 1 is the matching lead.
    const __m128i second = _mm_or_si128(_mm_and_si128(_mm_slli_si128(is_d8, 1), in_d8),
                                        _mm_and_si128(_mm_slli_si128(is_d9, 1), in_d9));
    const auto lead_mask = static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(is_d8, is_d9)));
    const auto second_mask = static_cast<uint32_t>(_mm_movemask_epi8(second));
    const uint32_t ok = (lead_mask & 0x5555u) | (second_mask & 0xAAAAu);
    const auto run = static_cast<size_t>(std::countr_zero(~ok)) & ~size_t{1};
    r += run;
    if (run < 16 || r >= limit) return r < limit ? r : limit;
  }
#endif
  while (r + 2 <= limit) {
    const UChar32 cp = p[r] == 0xD8 || p[r] == 0xD9 ? ((p[r] & 0x1F) << 6) | (p[r + 1] & 0x3F) : 0;
    if ((p[r + 1] & 0xC0) != 0x80 || !IsCommonArabicLetter(cp)) break;
    r += 2;
  }
  return r;
}

// Byte masks of p[0, 64) (bit j for byte j): `letter`, the bytes of common Arabic letters
// (IsCommonArabicLetter, both bytes of each), and `space`, the ' ' bytes. A second byte at
// bit 0 is never marked (callers start at a code point). REQUIRES: 64 readable bytes at p.
struct BlockMasks {
  uint64_t letter = 0;
  uint64_t space = 0;
};

#if defined(__SSE2__)
BlockMasks ScanBlock(const uint8_t* p) {
  const __m128i d8 = _mm_set1_epi8(static_cast<char>(0xD8));
  const __m128i d9 = _mm_set1_epi8(static_cast<char>(0xD9));
  const __m128i blank = _mm_set1_epi8(' ');
  const __m128i zero = _mm_setzero_si128();
  uint64_t is_d8 = 0, is_d9 = 0, in_d8 = 0, in_d9 = 0, space = 0;
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    auto bits = [&](__m128i m) {
      return static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(m))) << (16 * k);
    };
    is_d8 |= bits(_mm_cmpeq_epi8(v, d8));
    is_d9 |= bits(_mm_cmpeq_epi8(v, d9));
    // Unsigned range tests: b in [lo, lo + w] iff saturating (b - lo) - w == 0.
    in_d8 |= bits(_mm_cmpeq_epi8(
        _mm_subs_epu8(_mm_sub_epi8(v, _mm_set1_epi8(static_cast<char>(0xA1))), _mm_set1_epi8(0x19)),
        zero));
    in_d9 |= bits(_mm_cmpeq_epi8(
        _mm_subs_epu8(_mm_sub_epi8(v, _mm_set1_epi8(static_cast<char>(0x81))), _mm_set1_epi8(0x09)),
        zero));
    space |= bits(_mm_cmpeq_epi8(v, blank));
  }
  const uint64_t second = ((is_d8 << 1) & in_d8) | ((is_d9 << 1) & in_d9);
  const uint64_t first = (is_d8 | is_d9) & (second >> 1);
  return {first | second, space};
}
#endif

}  // namespace

struct TokenizerState {
  IcuWordSegmenter icu;
  std::vector<Entity> entities;
  const std::array<uint8_t, 256>& arabic = ArabicCls();

  explicit TokenizerState(IcuWordSegmenter s) : icu(std::move(s)) {}

  // Class of the code point at p[i] (i < n); sets len.
  uint8_t ClassAt(const uint8_t* p, size_t i, size_t n, size_t* len) const {
    const uint8_t b = p[i];
    if (b < 0x80) {
      *len = 1;
      return kAsciiCls[b];
    }
    if ((b & 0xFC) == 0xD8 && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
      *len = 2;
      return arabic[((b & 0x03u) << 6) | (p[i + 1] & 0x3Fu)];
    }
    *len = 1;
    return kSlow;
  }

  // Emits the T3 pieces of segment [b, e) with class flags `flags`.
  static void Emit(std::string_view text, size_t b, size_t e, uint32_t flags,
                   std::vector<std::string_view>* tokens) {
    const bool letters = flags & (Bit(kLat) | Bit(kArab));
    const bool needs_split = (flags & (Bit(kAt) | Bit(kEx))) || ((flags & Bit(kNum)) && letters) ||
                             ((flags & Bit(kLat)) && (flags & Bit(kArab)));
    if (needs_split) {
      SplitSegment(text, b, e, tokens);
    } else {
      tokens->push_back(text.substr(b, e - b));
    }
  }

  // Segments the chunk starting at `i` (up to the next space or `end`) if it is all fast.
  // Returns false (tokens possibly appended; caller rolls back) at the first non-fast code point.
  bool FastChunk(std::string_view text, size_t i, size_t end, size_t* chunk_end,
                 std::vector<std::string_view>* tokens) const {
    const auto* p = reinterpret_cast<const uint8_t*>(text.data());
    size_t len;
    while (i < end) {
      const uint8_t c = ClassAt(p, i, end, &len);
      if (c == kSp) break;
      if (c == kSlow) return false;
      if (!IsWordCls(c)) {
        i += len;
        continue;
      }
      const size_t seg = i;
      uint32_t flags = Bit(c);
      uint8_t last = c;
      i += len;
      while (i < end) {
        if (last == kArab) {
          i += ArabicLetterRun(p + i, end - i, text.size() - i);
          if (i >= end) break;
        }
        const uint8_t c2 = ClassAt(p, i, end, &len);
        if (IsWordCls(c2)) {
          flags |= Bit(c2);
          last = c2;
          i += len;
          continue;
        }
        if ((c2 == kMnl || c2 == kMn) && i + len < end) {
          size_t len3;
          const uint8_t c3 = ClassAt(p, i + len, end, &len3);
          if ((c2 == kMnl && IsALetter(last) && IsALetter(c3)) || (last == kNum && c3 == kNum)) {
            flags |= Bit(c3);
            last = c3;
            i += len + len3;
            continue;
          }
        }
        break;
      }
      Emit(text, seg, i, flags, tokens);
    }
    *chunk_end = i;
    return true;
  }

  // First ' ' in text[from, end), or end.
  static size_t FindSpace(std::string_view text, size_t from, size_t end) {
    const void* hit = std::memchr(text.data() + from, ' ', end - from);
    return hit == nullptr ? end : static_cast<size_t>(static_cast<const char*>(hit) - text.data());
  }

  bool FastStart(std::string_view text, size_t i, size_t end) const {
    size_t len;
    return ClassAt(reinterpret_cast<const uint8_t*>(text.data()), i, end, &len) != kSlow;
  }

#if defined(__SSE2__)
  // Emits the tokens of the words of common Arabic letters that start at `pos` (a chunk start)
  // and follow one another within text[pos, pos + 64), each ended by spaces then by another such
  // word or by `end`; returns the position after the last one's spaces (pos if none).
  // REQUIRES: pos + 64 <= text.size().
  static size_t WordsFromMasks(std::string_view text, size_t pos, size_t end,
                               std::vector<std::string_view>* tokens) {
    const BlockMasks m = ScanBlock(reinterpret_cast<const uint8_t*>(text.data()) + pos);
    const size_t limit = end - pos < 64 ? end - pos : 64;
    uint64_t letter = m.letter;
    uint64_t space = m.space;
    if (limit < 64) {
      letter &= (uint64_t{1} << limit) - 1;
      space &= (uint64_t{1} << limit) - 1;
    }
    size_t s = 0;  // start of the current word, relative to pos
    while (s < limit && ((letter >> s) & 1) != 0) {
      const size_t e = s + static_cast<size_t>(std::countr_one(letter >> s));
      if (e == limit && limit < 64) {  // the word ends the piece
        tokens->push_back(text.substr(pos + s, e - s));
        return end;
      }
      if (e >= limit || ((space >> e) & 1) == 0) break;
      const size_t next = e + static_cast<size_t>(std::countr_one(space >> e));
      if (next == limit && limit < 64) {  // spaces to the end of the piece
        tokens->push_back(text.substr(pos + s, e - s));
        return end;
      }
      if (next >= limit || ((letter >> next) & 1) == 0) break;
      tokens->push_back(text.substr(pos + s, e - s));
      s = next;
    }
    return pos + s;
  }
#endif

  // T2 + T3 of the piece text[begin, end).
  void Piece(std::string_view text, size_t begin, size_t end,
             std::vector<std::string_view>* tokens) {
    size_t pos = begin;
    while (pos < end && text[pos] == ' ') ++pos;
    // A piece whose first non-space code point is not fast starts its ICU region at `begin`.
    if (pos < end && pos > begin && !FastStart(text, pos, end)) pos = begin;
    while (pos < end) {
#if defined(__SSE2__)
      // Words of common Arabic letters, each followed by spaces and another such word: the
      // token FastChunk would emit for each, found from masks of 64 bytes at a time (so that
      // finding the next word does not wait on the previous one).
      if (pos + 64 <= text.size()) {
        const size_t pos0 = pos;
        pos = WordsFromMasks(text, pos, end, tokens);
        if (pos != pos0) continue;
      }
#endif
      const size_t mark = tokens->size();
      size_t chunk_end;
      if (FastChunk(text, pos, end, &chunk_end, tokens)) {
        size_t next = chunk_end;
        while (next < end && text[next] == ' ') ++next;
        if (next >= end || FastStart(text, next, end)) {
          pos = next;
          continue;
        }
      }
      // ICU region: this chunk plus every following chunk that starts with a non-fast code point.
      tokens->resize(mark);
      size_t region_end = FindSpace(text, pos, end);
      for (;;) {
        if (region_end >= end) break;
        size_t next = region_end;
        while (next < end && text[next] == ' ') ++next;
        if (next >= end || FastStart(text, next, end)) break;
        region_end = FindSpace(text, next, end);
      }
      icu.Segment(text, pos, region_end, tokens);
      pos = region_end;
      while (pos < end && text[pos] == ' ') ++pos;
    }
  }
};

}  // namespace internal

Tokenizer::Tokenizer(std::unique_ptr<internal::TokenizerState> state) : state_(std::move(state)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

absl::StatusOr<Tokenizer> Tokenizer::Create() {
  auto icu = internal::IcuWordSegmenter::Create();
  if (!icu.ok()) return icu.status();
  return Tokenizer(std::make_unique<internal::TokenizerState>(std::move(*icu)));
}

void Tokenizer::Tokenize(std::string_view normalized, std::vector<std::string_view>* tokens) {
  tokens->clear();
  internal::TokenizerState& s = *state_;
  internal::FindEntities(normalized, &s.entities);
  if (s.entities.empty()) {
    s.Piece(normalized, 0, normalized.size(), tokens);
    return;
  }
  internal::ForEachPiece(
      normalized, s.entities, [&](size_t b, size_t e) { s.Piece(normalized, b, e, tokens); },
      [&](size_t b, size_t e) { tokens->push_back(normalized.substr(b, e - b)); });
}

TextAnalyzer::TextAnalyzer(Normalizer normalizer, Tokenizer tokenizer)
    : normalizer_(std::move(normalizer)), tokenizer_(std::move(tokenizer)) {}

absl::StatusOr<TextAnalyzer> TextAnalyzer::Create(const NormalizerOptions& options) {
  auto normalizer = Normalizer::Create(options);
  if (!normalizer.ok()) return normalizer.status();
  auto tokenizer = Tokenizer::Create();
  if (!tokenizer.ok()) return tokenizer.status();
  return TextAnalyzer(std::move(*normalizer), std::move(*tokenizer));
}

size_t TextAnalyzer::Analyze(std::string_view raw, std::vector<std::string_view>* tokens) {
  const size_t invalid = normalizer_.Normalize(raw, &buffer_);
  tokenizer_.Tokenize(buffer_, tokens);
  return invalid;
}

}  // namespace nazir
