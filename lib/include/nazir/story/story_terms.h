// StoryTermizer: the story-clustering term layer, rule set ar-sc-1 (spec:
// ../shared/arabic/NORMALIZATION.md §5), applied to ar-nd-1 tokens.
//
//   C1  month canonicalization: month names of every naming system (يناير, كانون الثاني,
//       جانفي, ...) become one token `month:NN`; ambiguous names (مارس, آب, جوان, ماي, أوت)
//       only in date context; adjacent identical months collapse (ديسمبر/كانون الأول);
//   C2  stopwords: a function-word list normalized with ar-nd-1 at load, plus single-letter
//       Arabic tokens;
//   C3  optional Lucene-compatible light stemming (prefixes ال وال بال كال فال لل و, suffixes
//       ها ان ات ون ين يه ية ه ة ي) with a protected-term list checked on the token and again after
//       prefix removal (names are stored without ال: الشيباني -> شيباني, بوتين stays).
//
//   NAZIR_ASSIGN_OR_RETURN(nazir::StoryTermizer termizer, nazir::StoryTermizer::Create());
//   std::vector<std::string> terms;
//   termizer.Terms(nd_tokens, &terms);   // "ديسمبر/كانون الأول" -> {"month:12"}
//
// The built-in stopword list is the project's own (lib/story/story_lists.cc): Arabic function
// words (particles, prepositions, pronouns, demonstratives, relative pronouns, kana and its
// sisters) and a few news fillers (قال, اضاف, اكد, ...; NORMALIZATION.md §5.2 candidates).
// Month, weekday, number, currency and direction words are deliberately not in it. The built-in
// protected list holds countries, capitals, frequent names and common nouns that start with و.
//
// Ownership: Terms borrows its input. Thread-safety: immutable after Create; share freely
// (copies are cheap, they share the tables). Failure: only Create/LoadWordList fail
// (InvalidArgument for bad options, NotFound for a missing file, ICU errors from Normalizer).
#ifndef NAZIR_STORY_STORY_TERMS_H_
#define NAZIR_STORY_STORY_TERMS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include "nazir/normalize/normalizer.h"

namespace nazir {

struct StoryTermOptions {
  // C3 light stemming. Default true: it unifies plural/nisba/article forms (المفاوضات ->
  // مفاوض, السورية -> سور) which raises recall of story matching; protected terms keep names
  // intact. false = C1+C2 only.
  bool stem = true;

  // C2 stopword list, one entry per string in ordinary spelling; normalized with ar-nd-1 and
  // deduplicated at Create. nullopt (default) = the built-in project list. An empty vector
  // disables stopwords (single-letter Arabic tokens are still dropped).
  std::optional<std::vector<std::string>> stopwords;

  // C3 protected terms (stem exclusions), written without the article ال. nullopt (default) =
  // the built-in list.
  std::optional<std::vector<std::string>> protected_terms;

  // The ar-nd-1 options used to normalize the lists (and, in StoryFeaturizer, the title). Must
  // equal the options the body tokens were made with.
  NormalizerOptions normalizer;

  // --- StoryFeaturizer only ---

  // Featurize reads at most this many body tokens (the lead of the article; news is written as
  // an inverted pyramid, so the event is in the first paragraphs). Bounds the cost per document
  // and keeps long analysis pieces from drifting into side topics. Default 400 ar-nd-1 tokens
  // (about 2-3 paragraphs); 0 = the whole body.
  size_t max_body_tokens = 400;

  // The first lead_tokens body tokens are the lead: their terms are counted in
  // StoryFeatures::Term::lead_tf too (StoryOptions::lead_weight). Default 50 (the dateline and
  // first sentence or two, where a report, a reaction or an analysis names its event).
  size_t lead_tokens = 50;

  // Spelling-variant folding of term ids (term skeletons): a term's id is the hash of its
  // skeleton, not of its spelling. Skeleton: for pure-Arabic terms, a final transliterated
  // "-ia" ending يا/يه is dropped when >= 3 letters remain (سوريا/سورية -> سور, the stem of
  // السورية), and in terms of >= 6 letters the long vowels ا و ي between the first and the last
  // letter are dropped (بيلوسوف/بيلاوسوف, نتنياهو/نتانياهو). Merges spelling variants of
  // transliterated names and of -ia/-iya country names; collisions between native words of >= 6
  // letters are mostly words of one root (مراكز/مركز). Default true.
  bool fold_variants = true;

  // Featurize fills StoryFeatures::new_strings with the spelling of each term id the featurizer
  // has not emitted before (for StorySummary::top_terms). Costs one hash set per featurizer.
  bool emit_strings = true;

  // Size bound of the featurizer's token cache, in distinct token spellings. Each featurizer
  // remembers what it made of a token (dropped or not, term id, clitic candidate id) so that a
  // repeated token costs one hash lookup instead of the list lookups, stemming, skeleton and
  // hashing. When full, the tokens not seen again since they were cached are evicted. Memory:
  // at most 136 bytes per entry (two 68-byte slots: the table is at most half full), 8.5 MiB
  // per featurizer (so per thread) for the default 2^16; on SaudiNewsNet that misses ~8% of
  // tokens (an unbounded cache: ~5%). Speed only: the features are the same for any value.
  // 0 = no cache.
  size_t token_cache_entries = size_t{1} << 16;

  // InvalidArgument if max_body_tokens > 1'000'000, token_cache_entries > 2^26 or the
  // normalizer options are invalid.
  absl::Status Validate() const;
};

namespace internal {
struct StoryTermTables;  // normalized lists and month table, shared by copies
struct TokenInfo;
struct StoryFeaturizerState;
}  // namespace internal

class StoryTermizer {
 public:
  // Normalizes and loads the lists. Errors: options.Validate(), Normalizer::Create.
  static absl::StatusOr<StoryTermizer> Create(const StoryTermOptions& options = {});

  // Appends the ar-sc-1 terms of the ar-nd-1 tokens `nd_tokens` (in order) to *terms.
  void Terms(std::span<const std::string_view> nd_tokens, std::vector<std::string>* terms) const;

  // Allocation-free form: calls sink(term) for each term in order. A term is a view into one of
  // the input tokens (a stem is a substring) or into static storage (`month:NN`), valid as long
  // as the tokens are.
  void ForEachTerm(std::span<const std::string_view> nd_tokens,
                   absl::FunctionRef<void(std::string_view)> sink) const;

  // Clitic candidate of a term as ForEachTerm emits it: the term with one attached clitic
  // the light stemmer keeps removed (a suffix نا هم كم ها if there is one, else a prefix
  // ب ل ف ك; a ت left before the suffix is read as the folded teh marbuta ه), light-stemmed
  // again (بعسير -> عسير,
  // لحمتنا -> لحم, تزيدنا -> تزيد). At least 3 letters must remain. Returns an empty view if
  // no clitic applies, the term is protected or not an Arabic word, or stemming is off. The
  // result is a view into `term` or into *buf. Whether the candidate is the right reading is
  // a corpus question (see StoryOptions::clitic_min_df): ب in بريطانيا is not a clitic.
  std::string_view CliticCandidate(std::string_view term, std::string* buf) const;

  const StoryTermOptions& options() const { return options_; }

 private:
  // ForEachTerm in two parts, for StoryFeaturizer's token cache: what a token becomes outside a
  // month phrase depends on the token alone (PlainTerm), month phrases depend on the context
  // (MonthPhraseAt). ForEachTerm is the loop that combines them.
  friend struct internal::StoryFeaturizerState;

  // The list entry of an ar-nd-1 token, or nullptr. Points into the shared tables.
  const internal::TokenInfo* Find(std::string_view token) const;

  // C2 + C3 of a token that is not part of a month phrase (ti = Find(token)): false if the
  // token is dropped, else true and *term = the term (a view into `token`).
  bool PlainTerm(std::string_view token, const internal::TokenInfo* ti,
                 std::string_view* term) const;

  // PlainTerm and then CliticCandidate of its term, for StoryFeaturizer's cache misses: the
  // same results, but the token's entry ti, its protection and whether it is an Arabic word
  // are looked up and tested once. If the token is kept: *term as PlainTerm, *arabic =
  // IsArabicWord(*term), *candidate = CliticCandidate(*term, buf).
  bool PlainTermAndCandidate(std::string_view token, const internal::TokenInfo* ti,
                             std::string_view* term, bool* arabic, std::string_view* candidate,
                             std::string* buf) const;

  // CliticCandidate of an Arabic word `term` that is protected iff term_protected (1 yes,
  // 0 no, -1 look it up).
  std::string_view ArabicCliticCandidate(std::string_view term, int term_protected,
                                         std::string* buf) const;

  // C1 state of one walk over a token sequence.
  struct MonthState {
    int last_month = 0;  // month of the phrase that ended at last_end
    bool last_unambiguous = false;
    size_t last_end = SIZE_MAX;  // token index of the last month phrase's last token
  };
  // C1 at tok[i], whose entry ti has months: 0 if no month phrase is read there; else the
  // number of tokens the phrase takes, with *term = its `month:NN` token, or empty if it
  // collapses into the previous one.
  size_t MonthPhraseAt(std::span<const std::string_view> tok, size_t i,
                       const internal::TokenInfo& ti, MonthState* state,
                       std::string_view* term) const;

  StoryTermizer(StoryTermOptions options, std::shared_ptr<const internal::StoryTermTables> t);

  StoryTermOptions options_;
  std::shared_ptr<const internal::StoryTermTables> tables_;
};

// Reads a word list: one entry per line, UTF-8; blank lines and lines starting with '#' are
// skipped; surrounding whitespace is trimmed. NotFound / DataLoss naming the path.
absl::StatusOr<std::vector<std::string>> LoadWordList(const std::string& path);

// The built-in lists (ordinary spelling, before normalization), for inspection and tests.
std::span<const std::string_view> DefaultStoryStopwords();
std::span<const std::string_view> DefaultStoryProtectedTerms();

}  // namespace nazir

#endif  // NAZIR_STORY_STORY_TERMS_H_
