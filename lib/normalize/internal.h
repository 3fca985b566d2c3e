// Private pieces of the ar-nd-1 normalizer and tokenizer, shared by the fast paths
// (normalizer.cc, tokenizer.cc), the all-ICU reference path (reference.cc) and the tests.
// No ICU types appear here so that tests and tools can include it without ICU headers.
#ifndef NAZIR_NORMALIZE_INTERNAL_H_
#define NAZIR_NORMALIZE_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

#include "nazir/normalize/normalizer.h"

namespace nazir::internal {

// ---------------------------------------------------------------------------------------------
// Reference normalization: a literal, all-ICU implementation of spec §3 (N0..N7). Slow; used for
// chunks the fast path cannot handle, to build the fast tables, and by the differential tests.

// Replaces *out with the ar-nd-1 normalization of `text`; returns the number of invalid UTF-8
// sequences (each replaced by U+FFFD, then by a space in N0).
size_t ReferenceNormalize(std::string_view text, HamzaMode mode, std::string* out);

// Appends N0..N6 of `text` to *out; with `collapse`, N7 is applied as well (whitespace runs become
// one space, the appended text is trimmed). Returns the invalid UTF-8 count.
size_t AppendReference(std::string_view text, HamzaMode mode, bool collapse, std::string* out);

// N4's delete set (spec §3.5), hard-coded for Unicode 15.0.
bool IsN4Deleted(int32_t cp);

// N7's whitespace: Zs, TAB, LF, VT, FF, CR, U+0085, U+2028, U+2029.
bool IsN7Space(int32_t cp);

// The rule-set identity without the mode and ICU parts.
inline constexpr std::string_view kRuleSet = "ar-nd-1";

// ---------------------------------------------------------------------------------------------
// Fast-path normalization tables (normalizer.cc).
//
// Each entry packs what one code point becomes when it stands in a chunk (a maximal run between
// whitespace) made only of table code points: bits 0-1 the UTF-8 length of the output (0..3),
// bit 2 "whitespace" (the code point ends the chunk; N0/N1/N2/N7 turn it into a space), bit 3
// "slow" (the chunk must go through the reference path), bits 8-31 the output bytes. Entries are
// computed from the reference path, one code point at a time; the fast path is exact because no
// two table code points interact (no composition, reordering or N3.0 pair between them), which
// tests/normalize/tables_test.cc checks exhaustively over all pairs.
struct NormalizerTables {
  static constexpr uint32_t kLenMask = 0x3;
  static constexpr uint32_t kSpace = 0x4;
  static constexpr uint32_t kSlow = 0x8;
  static constexpr uint32_t kSpecial = kSpace | kSlow;

  HamzaMode mode = HamzaMode::kHamza;
  uint32_t low[0x800] = {};       // U+0000..U+07FF
  uint32_t punct[0x70] = {};      // U+2000..U+206F
  uint32_t bom = kSlow;           // U+FEFF
  uint32_t replacement = kSpace;  // U+FFFD and invalid sequences

  // Entry for any code point (kSlow outside the tables).
  uint32_t Lookup(int32_t cp) const {
    if (cp >= 0 && cp < 0x800) return low[cp];
    if (cp >= 0x2000 && cp < 0x2070) return punct[cp - 0x2000];
    if (cp == 0xFEFF) return bom;
    if (cp == 0xFFFD) return replacement;
    return kSlow;
  }
};

// The code points the tables cover (a candidate may still be kSlow, e.g. when its output is
// longer than its input).
std::vector<int32_t> FastTableCandidates();

// Process-wide tables for `mode`, built on first use.
std::shared_ptr<const NormalizerTables> GetNormalizerTables(HamzaMode mode);

// ---------------------------------------------------------------------------------------------
// Character classes used by the token rules (T1, T3).

enum class CharKind : uint8_t {
  kOther,       // punctuation, symbols, spaces, non-ASCII digits
  kLetter,      // General_Category L*
  kMark,        // General_Category M*
  kAsciiDigit,  // 0-9
  kSplit,       // '_' and '@': T3 split points
};

struct CharInfo {
  CharKind kind = CharKind::kOther;
  bool word = false;   // L*, M*, Nd or '_' (T1 "word character")
  int16_t script = 0;  // UScriptCode of letters; 0 (Common) / 1 (Inherited) for the rest
};

CharInfo Classify(int32_t cp);

// Decodes the code point at text[pos]; sets *len to its UTF-8 length. Invalid bytes decode as
// U+FFFD with *len == 1 (never happens on Normalizer output).
int32_t DecodeAt(std::string_view text, size_t pos, size_t* len);

// Code point ending right before `pos` (pos > 0), or -1 at pos == 0.
int32_t DecodeBefore(std::string_view text, size_t pos);

// ---------------------------------------------------------------------------------------------
// T1: entity pre-pass.

struct Entity {
  enum Kind : uint8_t {
    kDrop,     // URL or e-mail: no tokens
    kHandle,   // @handle: one token [begin, end)
    kHashtag,  // '#' at begin, body [begin + 1, end) tokenized as its own piece
  };
  size_t begin;
  size_t end;
  Kind kind;
};

// Clears *entities and fills it with the T1 matches of `text`, left to right, non-overlapping.
void FindEntities(std::string_view text, std::vector<Entity>* entities);

// ---------------------------------------------------------------------------------------------
// T3: splits the kept word segment text[begin, end) and appends the non-empty pieces.
void SplitSegment(std::string_view text, size_t begin, size_t end,
                  std::vector<std::string_view>* tokens);

// ---------------------------------------------------------------------------------------------
// T2 with ICU: word BreakIterator (root locale) over UTF-8. Not thread-safe; movable.
class IcuWordSegmenter {
 public:
  static absl::StatusOr<IcuWordSegmenter> Create();
  IcuWordSegmenter(IcuWordSegmenter&&) noexcept;
  IcuWordSegmenter& operator=(IcuWordSegmenter&&) noexcept;
  ~IcuWordSegmenter();

  // Segments text[begin, end) as a text of its own and appends the T3 pieces of every segment
  // whose rule status is >= UBRK_WORD_NUMBER.
  void Segment(std::string_view text, size_t begin, size_t end,
               std::vector<std::string_view>* tokens);

  // Raw segmentation for tests: (begin, end, rule status) of every segment of `text`.
  struct RawSegment {
    size_t begin, end;
    int32_t status;
  };
  void RawSegments(std::string_view text, std::vector<RawSegment>* segments);

 private:
  struct Impl;
  explicit IcuWordSegmenter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Calls piece(begin, end) for every text piece between T1 entities and handle(begin, end) for
// every handle, in text order. Hashtag bodies are pieces.
template <typename PieceFn, typename HandleFn>
void ForEachPiece(std::string_view text, const std::vector<Entity>& entities, PieceFn&& piece,
                  HandleFn&& handle) {
  size_t pos = 0;
  for (const Entity& e : entities) {
    if (e.begin > pos) piece(pos, e.begin);
    if (e.kind == Entity::kHandle) handle(e.begin, e.end);
    if (e.kind == Entity::kHashtag) piece(e.begin + 1, e.end);
    pos = e.end;
  }
  if (pos < text.size()) piece(pos, text.size());
}

// The all-ICU reference tokenizer: T1, then ICU's BreakIterator over each whole piece, then T3.
class ReferenceTokenizer {
 public:
  static absl::StatusOr<ReferenceTokenizer> Create();
  void Tokenize(std::string_view normalized, std::vector<std::string_view>* tokens);

 private:
  explicit ReferenceTokenizer(IcuWordSegmenter segmenter) : segmenter_(std::move(segmenter)) {}
  IcuWordSegmenter segmenter_;
  std::vector<Entity> entities_;
};

}  // namespace nazir::internal

#endif  // NAZIR_NORMALIZE_INTERNAL_H_
