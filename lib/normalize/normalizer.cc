// Normalizer: table-driven fast path for ar-nd-1 (spec §3), exact with respect to the all-ICU
// reference in reference.cc.
//
// The text is cut into chunks at whitespace (ASCII whitespace and controls, NBSP and the other
// table code points that normalize to a space, invalid UTF-8). Whitespace is a boundary for every
// step of the pipeline (NFKC, NFD/NFC, the N3.0 pair rule), so each chunk can be normalized on its
// own and the results joined with single spaces (N7). A chunk made only of table code points is
// normalized by one lookup per code point; any other chunk goes through the reference path.
#include "nazir/normalize/normalizer.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <mutex>
#include <string>

#include <unicode/utf8.h>
#include <unicode/uversion.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "nazir/base/check.h"
#include "nazir/base/status.h"

#include "normalize/internal.h"

namespace nazir {
namespace internal {
namespace {

std::string Utf8(int32_t cp) {
  char buf[4];
  int32_t len = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buf), len, 4, cp, error);
  NAZIR_CHECK(!error);
  return std::string(buf, static_cast<size_t>(len));
}

// The Arabic letters that the 16-byte runs (LetterRun) copy or fold: U+0621..U+063A but the
// hamza seats U+0624 and U+0626 (their folding depends on the mode), and U+0641..U+064A. Every
// hamza mode leaves them unchanged except آ أ إ -> ا, ة -> ه and ى -> ي (RunLetterOutput;
// BuildTables checks the tables agree), and none interacts with a neighbour.
constexpr bool IsRunArabicLetter(int32_t cp) {
  return (cp >= 0x0621 && cp <= 0x063A && cp != 0x0624 && cp != 0x0626) ||
         (cp >= 0x0641 && cp <= 0x064A);
}

constexpr int32_t RunLetterOutput(int32_t cp) {
  return cp == 0x0622 || cp == 0x0623 || cp == 0x0625 ? 0x0627
         : cp == 0x0629                               ? 0x0647
         : cp == 0x0649                               ? 0x064A
                                                      : cp;
}

// Normalizes the run at p[0, 16) made of IsRunArabicLetter code points and, if `spaces`, of
// single ' ' between two of them (p[-1] is taken to end such a letter): writes 16 bytes at out,
// of which the first returned length (0..16, the run ends after a letter) are the run's output
// (same length: every fold is two bytes to two bytes). *after_space is the offset just past the
// run's last space, 0 if none. A space in such a run is a chunk separator with a non-empty chunk
// on both sides once the chunk before the run has non-empty output. REQUIRES: 16 readable bytes
// at p, 16 writable at out. Without SSE2, returns 0.
size_t LetterRun(const uint8_t* p, bool spaces, size_t* after_space, uint8_t* out) {
#if defined(__SSE2__)
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i zero = _mm_setzero_si128();
  auto byte = [](uint8_t b) { return _mm_set1_epi8(static_cast<char>(b)); };
  auto eq = [&](uint8_t b) { return _mm_cmpeq_epi8(v, byte(b)); };
  // b in [lo, lo + w] iff the saturating difference (b - lo) - w is zero.
  auto in = [&](uint8_t lo, uint8_t w) {
    return _mm_cmpeq_epi8(_mm_subs_epu8(_mm_sub_epi8(v, byte(lo)), byte(w)), zero);
  };
  // Byte j is the second byte of a run letter: byte j - 1 is the matching lead.
  const __m128i is_d8 = eq(0xD8);
  const __m128i is_d9 = eq(0xD9);
  const __m128i second_d8 = _mm_and_si128(
      _mm_slli_si128(is_d8, 1), _mm_andnot_si128(_mm_or_si128(eq(0xA4), eq(0xA6)), in(0xA1, 0x19)));
  const __m128i second_d9 = _mm_and_si128(_mm_slli_si128(is_d9, 1), in(0x81, 0x09));
  const auto second = static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(second_d8, second_d9)));
  const auto lead = static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(is_d8, is_d9)));
  const uint32_t space = spaces ? static_cast<uint32_t>(_mm_movemask_epi8(eq(' '))) : 0;
  const uint32_t letter_start = lead & (second >> 1);
  const uint32_t single_space = space & ((second << 1) | 1) & (letter_start >> 1);
  const uint32_t ok = letter_start | second | single_space;
  const auto run = static_cast<size_t>(std::countr_zero(~ok));
  const uint32_t run_spaces = single_space & ((1u << run) - 1);
  *after_space = run_spaces == 0 ? 0 : static_cast<size_t>(std::bit_width(run_spaces));
  // Folds: D8 A2/A3/A5 -> D8 A7, D8 A9 -> D9 87, D9 89 -> D9 8A.
  auto blend = [](__m128i a, __m128i b, __m128i m) {
    return _mm_or_si128(_mm_andnot_si128(m, a), _mm_and_si128(m, b));
  };
  const __m128i alef =
      _mm_and_si128(second_d8, _mm_or_si128(_mm_or_si128(eq(0xA2), eq(0xA3)), eq(0xA5)));
  const __m128i teh = _mm_and_si128(second_d8, eq(0xA9));
  const __m128i yeh = _mm_and_si128(second_d9, eq(0x89));
  __m128i o = blend(v, byte(0xA7), alef);
  o = blend(o, byte(0x87), teh);
  o = blend(o, byte(0xD9), _mm_srli_si128(teh, 1));
  o = blend(o, byte(0x8A), yeh);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), o);
  return run;
#else
  (void)p;
  (void)spaces;
  (void)out;
  *after_space = 0;
  return 0;
#endif
}

// Code points whose N2 result depends on the preceding letter (they compose with it).
bool ComposesBackward(int32_t cp) { return cp >= 0x0653 && cp <= 0x0655; }

uint32_t MakeEntry(int32_t cp, HamzaMode mode) {
  if (ComposesBackward(cp)) return NormalizerTables::kSlow;
  const std::string in = Utf8(cp);
  std::string out;
  AppendReference(in, mode, /*collapse=*/false, &out);
  bool all_space = !out.empty();
  bool any_space = false;
  for (size_t i = 0; i < out.size();) {
    size_t len;
    const bool space = IsN7Space(DecodeAt(out, i, &len));
    all_space &= space;
    any_space |= space;
    i += len;
  }
  if (all_space) return NormalizerTables::kSpace;
  if (any_space || out.size() > in.size() || out.size() > 3) return NormalizerTables::kSlow;
  uint32_t e = static_cast<uint32_t>(out.size());
  for (size_t i = 0; i < out.size(); ++i)
    e |= uint32_t{static_cast<uint8_t>(out[i])} << (8 * (i + 1));
  return e;
}

std::unique_ptr<NormalizerTables> BuildTables(HamzaMode mode) {
  auto t = std::make_unique<NormalizerTables>();
  t->mode = mode;
  std::fill(std::begin(t->low), std::end(t->low), NormalizerTables::kSlow);
  std::fill(std::begin(t->punct), std::end(t->punct), NormalizerTables::kSlow);
  for (int32_t cp : FastTableCandidates()) {
    const uint32_t e = MakeEntry(cp, mode);
    if (cp < 0x800) {
      t->low[cp] = e;
    } else if (cp >= 0x2000 && cp < 0x2070) {
      t->punct[cp - 0x2000] = e;
    } else if (cp == 0xFEFF) {
      t->bom = e;
    } else if (cp == 0xFFFD) {
      t->replacement = e;
    }
  }
  NAZIR_CHECK(t->replacement == NormalizerTables::kSpace);
  for (int32_t cp = 0x0600; cp < 0x0700; ++cp) {
    const int32_t o = RunLetterOutput(cp);
    const uint32_t expected = 2 | (uint32_t{0xC0} | static_cast<uint32_t>(o >> 6)) << 8 |
                              (uint32_t{0x80} | static_cast<uint32_t>(o & 0x3F)) << 16;
    NAZIR_CHECK(!IsRunArabicLetter(cp) || t->low[cp] == expected);
  }
  return t;
}

// Thread-local scratch for the reference path (no allocation in steady state).
std::string& Scratch() {
  thread_local std::string scratch;
  return scratch;
}

}  // namespace

constexpr size_t kSlack = 8;  // the fast path writes 4 bytes at a time

std::vector<int32_t> FastTableCandidates() {
  std::vector<int32_t> cps;
  for (int32_t cp = 0; cp <= 0x017F; ++cp) cps.push_back(cp);       // ASCII, Latin-1, Latin Ext-A
  for (int32_t cp = 0x0600; cp <= 0x06FF; ++cp) cps.push_back(cp);  // Arabic
  for (int32_t cp = 0x2000; cp <= 0x206F; ++cp) cps.push_back(cp);  // General Punctuation
  cps.push_back(0xFEFF);
  cps.push_back(0xFFFD);
  return cps;
}

std::shared_ptr<const NormalizerTables> GetNormalizerTables(HamzaMode mode) {
  static std::mutex mu;
  static std::array<std::shared_ptr<const NormalizerTables>, 3> tables;
  const auto index = static_cast<size_t>(mode);
  std::lock_guard<std::mutex> lock(mu);
  if (tables[index] == nullptr) tables[index] = BuildTables(mode);
  return tables[index];
}

}  // namespace internal

absl::Status NormalizerOptions::Validate() const {
  switch (hamza_mode) {
    case HamzaMode::kHamza:
    case HamzaMode::kSeatLetter:
    case HamzaMode::kKeep:
      return absl::OkStatus();
  }
  return absl::InvalidArgumentError("NormalizerOptions.hamza_mode: unknown HamzaMode value " +
                                    std::to_string(static_cast<int>(hamza_mode)));
}

Normalizer::Normalizer(NormalizerOptions options, std::string id,
                       std::shared_ptr<const internal::NormalizerTables> tables)
    : options_(options), id_(std::move(id)), tables_(std::move(tables)) {}

absl::StatusOr<Normalizer> Normalizer::Create(const NormalizerOptions& options) {
  NAZIR_RETURN_IF_ERROR(options.Validate());
  const char* mode = options.hamza_mode == HamzaMode::kHamza        ? "hamza"
                     : options.hamza_mode == HamzaMode::kSeatLetter ? "seat"
                                                                    : "keep";
  UVersionInfo version;
  u_getVersion(version);
  std::string id = std::string(internal::kRuleSet) + "+" + mode + "+icu" +
                   std::to_string(static_cast<int>(version[0]));
  return Normalizer(options, std::move(id), internal::GetNormalizerTables(options.hamza_mode));
}

std::string Normalizer::Normalize(std::string_view text) const {
  std::string out;
  Normalize(text, &out);
  return out;
}

size_t Normalizer::Normalize(std::string_view text, std::string* out) const {
  using T = internal::NormalizerTables;
  const T& t = *tables_;
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const size_t n = text.size();
  size_t invalid = 0;

  // The fast path never writes more than it reads, so n + kSlack bytes suffice until a slow
  // chunk's output is longer than its input.
  out->resize(n + internal::kSlack);
  char* d = out->data();
  size_t w = 0;

  // Table entry of the code point at p[i]; sets len.
  auto next = [&](size_t i, size_t* len) -> uint32_t {
    const uint8_t b = p[i];
    if (b < 0x80) {
      *len = 1;
      return t.low[b];
    }
    if (b >= 0xC2 && b <= 0xDF && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
      *len = 2;
      return t.low[((b & 0x1Fu) << 6) | (p[i + 1] & 0x3Fu)];
    }
    auto j = static_cast<int64_t>(i);
    UChar32 c;
    U8_NEXT(p, j, static_cast<int64_t>(n), c);
    *len = static_cast<size_t>(j) - i;
    if (c < 0) {
      ++invalid;
      return T::kSpace;
    }
    return t.Lookup(c);
  };

  size_t i = 0;
  size_t len = 0;
  uint32_t e = n > 0 ? next(0, &len) : 0;
  while (i < n) {
    // Whitespace between chunks.
    if (e & T::kSpace) {
      i += len;
      if (i < n) e = next(i, &len);
      continue;
    }
    // A chunk: a separating space first (taken back if the chunk comes out empty). On exit from
    // the loop, e/len describe the whitespace code point at i (or i == n).
    size_t chunk_in = i;
    if (w > 0) d[w++] = ' ';
    size_t chunk_out = w;
    bool slow = false;
    for (;;) {
      if (e & T::kSpecial) {
        if (e & T::kSpace) break;
        slow = true;
      } else {
        const uint32_t bytes = e >> 8;
        std::memcpy(d + w, &bytes, 4);
        w += e & T::kLenMask;
      }
      i += len;
      // After a two-byte code point, a run of Arabic letters is copied or folded 16 bytes at a
      // time, across single spaces (into the following chunks) while this chunk is fast and
      // non-empty. The out buffer has room: out->size() >= w + (n - i) + kSlack.
      while (len == 2 && i + 16 <= n) {
        size_t after_space;
        const size_t run = internal::LetterRun(p + i, !slow && w > chunk_out, &after_space,
                                               reinterpret_cast<uint8_t*>(d + w));
        if (after_space != 0) {
          chunk_in = i + after_space;
          chunk_out = w + after_space;
        }
        w += run;
        i += run;
        if (run < 16) break;
      }
      if (i >= n) break;
      e = next(i, &len);
    }
    if (slow) {
      std::string& scratch = internal::Scratch();
      scratch.clear();
      internal::AppendReference(text.substr(chunk_in, i - chunk_in), t.mode, /*collapse=*/true,
                                &scratch);
      w = chunk_out;
      const size_t need = w + scratch.size() + (n - i) + internal::kSlack;
      if (need > out->size()) {
        out->resize(std::max(need, out->size() * 2));
        d = out->data();
      }
      std::memcpy(d + w, scratch.data(), scratch.size());
      w += scratch.size();
    }
    if (w == chunk_out && chunk_out > 0) --w;  // empty chunk: no separator
  }
  out->resize(w);
  return invalid;
}

}  // namespace nazir
