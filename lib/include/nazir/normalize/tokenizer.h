// Tokenizer and TextAnalyzer: the ar-nd-1 word tokens of normalized Arabic news text.
//
// Tokenizer implements spec §4.2 (../shared/arabic/NORMALIZATION.md) on the output of
// Normalizer::Normalize:
//   T1  URLs and e-mail addresses are dropped, `@handle` (ASCII, 1-50 chars) is one token with its
//       `@`, a `#hashtag` loses its `#` and its body is tokenized normally;
//   T2  ICU word segmentation (root locale, ICU 72 rules); segments with rule status < 100
//       (spaces, punctuation, symbols, emoji) are dropped;
//   T3  segments are split at `_` and `@`, between a letter and an ASCII digit, and between
//       letters of different scripts (Arabic/Latin);
//   T4  nothing else: no stopwords, no stemming, no length filter.
//
//   NAZIR_ASSIGN_OR_RETURN(nazir::TextAnalyzer analyzer, nazir::TextAnalyzer::Create());
//   std::vector<std::string_view> tokens;
//   analyzer.Analyze("قتل 15 و١٥ آخرون", &tokens);   // {"قتل", "15", "و", "15", "اخرون"}
//
// Ownership: Tokenizer::Tokenize returns views into its input; TextAnalyzer::Analyze returns views
// into its own buffer, valid until the next Analyze call or until the analyzer is destroyed.
// Thread-safety: neither class is thread-safe (each holds an ICU BreakIterator and scratch space);
// use one per thread. Both are movable, not copyable.
// Failure: only Create can fail (ICU break rules missing: Internal). Tokenize/Analyze never fail.
//
// Speed: whitespace-delimited chunks made only of ASCII and Arabic letters are segmented by a
// table-driven reimplementation of the UAX #29 rules that ICU applies to them; any chunk with
// another character goes to ICU's BreakIterator (over UTF-8 via UText). The two agree exactly
// (tests/normalize/differential_test.cc).
#ifndef NAZIR_NORMALIZE_TOKENIZER_H_
#define NAZIR_NORMALIZE_TOKENIZER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

#include "nazir/normalize/normalizer.h"

namespace nazir {

namespace internal {
struct TokenizerState;  // ICU BreakIterator + UText, private to lib/normalize
}  // namespace internal

class Tokenizer {
 public:
  // Internal if ICU's word break rules cannot be loaded.
  static absl::StatusOr<Tokenizer> Create();

  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  ~Tokenizer();

  // Clears *tokens and fills it with the ar-nd-1 tokens (T1..T4) of `normalized`, which must be
  // output of Normalizer::Normalize. Every token is a view into `normalized` (all ar-nd-1 tokens
  // are substrings of it), valid as long as `normalized` is. No allocation in steady state.
  void Tokenize(std::string_view normalized, std::vector<std::string_view>* tokens);

 private:
  explicit Tokenizer(std::unique_ptr<internal::TokenizerState> state);
  std::unique_ptr<internal::TokenizerState> state_;
};

// Normalizer + Tokenizer + scratch buffer, for callers that want raw text -> tokens in one call.
// NOT thread-safe; one per thread.
class TextAnalyzer {
 public:
  // Errors from Normalizer::Create and Tokenizer::Create.
  static absl::StatusOr<TextAnalyzer> Create(const NormalizerOptions& options = {});

  // Normalizes `raw` into an internal buffer and tokenizes it. Tokens are views into that buffer,
  // valid until the next call. Returns the invalid-UTF-8 count from Normalize.
  size_t Analyze(std::string_view raw, std::vector<std::string_view>* tokens);

  // The normalized text of the last Analyze call (the buffer the tokens point into).
  std::string_view normalized() const { return buffer_; }

  const Normalizer& normalizer() const { return normalizer_; }

 private:
  TextAnalyzer(Normalizer normalizer, Tokenizer tokenizer);

  Normalizer normalizer_;
  Tokenizer tokenizer_;
  std::string buffer_;
};

}  // namespace nazir

#endif  // NAZIR_NORMALIZE_TOKENIZER_H_
