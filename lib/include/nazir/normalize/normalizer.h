// Normalizer: the Arabic near-duplicate character normalization, rule set ar-nd-1.
//
// Turns raw UTF-8 article text into the canonical form that shingles and sketches are computed
// from: input hygiene (N0), pre-NFKC fixups (N1), ICU NFKC_Casefold (N2), Arabic letter folding
// (N3: alef/yeh/teh-marbuta/hamza/Persian letters, tatweel deleted), deletion of diacritics,
// Quranic marks, Latin accents and format characters (N4), digits to ASCII (N5), Arabic
// punctuation to ASCII (N6) and whitespace collapse (N7). The rules are specified in
// ../shared/arabic/NORMALIZATION.md §3 and pinned by tests/golden/test_vectors.tsv.
//
//   NAZIR_ASSIGN_OR_RETURN(nazir::Normalizer norm, nazir::Normalizer::Create());
//   std::string out;
//   norm.Normalize("قَالَ وَزِيرُ الخَارِجِيَّةِ", &out);   // out == "قال وزير الخارجيه"
//   fingerprint.normalizer = norm.Id();                   // "ar-nd-1+hamza+icu72"
//
// Ownership: Normalize borrows its input and writes into a caller-owned string.
// Thread-safety: a Normalizer is immutable after Create; one instance may be shared by any number
// of threads, and copies are cheap (they share the lookup tables).
// Failure: only Create can fail (invalid options, ICU data missing). Normalize never fails:
// invalid UTF-8 is repaired (each invalid sequence becomes U+FFFD, which N0 turns into a space)
// and the number of repaired sequences is returned.
//
// Speed: text made of ASCII, Latin-1/Latin Extended-A, the Arabic block U+0600–U+06FF and common
// General Punctuation is normalized by one table-driven pass over code points; whitespace-delimited
// chunks containing anything else go through the full ICU pipeline. Both give identical output
// (tests/normalize/differential_test.cc).
#ifndef NAZIR_NORMALIZE_NORMALIZER_H_
#define NAZIR_NORMALIZE_NORMALIZER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace nazir {

// How hamza on a waw/yeh seat is folded (spec §3.4.4).
enum class HamzaMode {
  kHamza,  // ؤ ئ ۓ → ء (ar-nd-1 default: unifies مسؤول/مسئول, شؤون/شئون)
  kSeatLetter,  // ؤ → و, ئ ۓ → ي (unifies مؤتمر/موتمر)
  kKeep,        // ؤ ئ kept as they are (Lucene ArabicNormalizer behaviour)
};

struct NormalizerOptions {
  // Hamza-seat folding. Changing it changes every shingle: it is part of Normalizer::Id().
  HamzaMode hamza_mode = HamzaMode::kHamza;

  // InvalidArgument if hamza_mode is not one of the enumerators.
  absl::Status Validate() const;
};

namespace internal {
struct NormalizerTables;  // lookup tables shared by every Normalizer with the same options
}  // namespace internal

class Normalizer {
 public:
  // Validates `options` and loads the tables (built once per process and hamza mode).
  // InvalidArgument for bad options; Internal if ICU's normalization data cannot be loaded.
  static absl::StatusOr<Normalizer> Create(const NormalizerOptions& options = {});

  // Replaces *out with the ar-nd-1 normalization of `text` (N0..N7). Invalid UTF-8 sequences
  // become U+FFFD then space (N0); returns how many invalid sequences were replaced (0 for valid
  // input). Never fails. Reuses *out's capacity (no allocation in steady state).
  // REQUIRES: out != nullptr and out does not alias text.
  size_t Normalize(std::string_view text, std::string* out) const;

  // Convenience form of the above; allocates the result.
  std::string Normalize(std::string_view text) const;

  // Identity recorded in every fingerprint: "ar-nd-1+<mode>+icu<major>", mode being hamza, seat
  // or keep, e.g. "ar-nd-1+hamza+icu72".
  const std::string& Id() const { return id_; }

  const NormalizerOptions& options() const { return options_; }

 private:
  Normalizer(NormalizerOptions options, std::string id,
             std::shared_ptr<const internal::NormalizerTables> tables);

  NormalizerOptions options_;
  std::string id_;
  std::shared_ptr<const internal::NormalizerTables> tables_;
};

}  // namespace nazir

#endif  // NAZIR_NORMALIZE_NORMALIZER_H_
