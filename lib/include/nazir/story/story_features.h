// StoryFeatures and StoryFeaturizer: the per-document input of story clustering.
//
// A StoryFeaturizer turns one article (raw title + the ar-nd-1 tokens of its body, which the
// engine already has) into a bag of ar-sc-1 term ids with separate title and body counts. Ids
// are 63-bit hashes of the term's variant skeleton (see StoryTermOptions::fold_variants), so
// سوريا and سورية, or بيلوسوف and بيلاوسوف, get one id. Weights (tf-idf, chrome discount) are
// applied later by StoryClusterer, which owns the corpus statistics.
//
//   NAZIR_ASSIGN_OR_RETURN(auto fz, nazir::StoryFeaturizer::Create());
//   nazir::StoryFeatures f;
//   fz.Featurize(article.title, body_tokens, &f);   // then clusterer.Assign(slot, f, ...)
//
// Featurizing is the parallel part of the pipeline: use one StoryFeaturizer per thread, and give
// each document its position in the input (`order`), so that the spellings the clusterer shows
// do not depend on which thread saw which document when:
//
//   #pragma omp parallel for schedule(dynamic, 16)  // any schedule
//   for (int64_t i = 0; i < n; ++i)
//     fz[omp_get_thread_num()].Featurize(title[i], body[i], {}, 0, /*order=*/i, &f[i]);
//   for (int64_t i = 0; i < n; ++i) clusterer.CountDocument(f[i], src[i]);  // in input order
//
// Ownership: Featurize borrows its inputs and overwrites *out (reusing its capacity).
// Thread-safety: a StoryFeaturizer is NOT thread-safe (it holds a TextAnalyzer, scratch tables
// and a token cache of up to StoryTermOptions::token_cache_entries tokens, 8.5 MiB by default);
// it is movable. Its output for a document does not depend on the documents it saw before,
// except that new_strings leaves out spellings it has emitted before (see
// StoryFeatures::new_strings). Failure: only Create fails (see
// StoryTermizer::Create, TextAnalyzer::Create). Featurize never fails.
#ifndef NAZIR_STORY_STORY_FEATURES_H_
#define NAZIR_STORY_STORY_FEATURES_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

#include "nazir/story/story_terms.h"

namespace nazir {

struct StoryFeatures {
  static constexpr uint64_t kNoAlt = ~uint64_t{0};
  struct Term {
    uint64_t id;        // < 2^63
    uint16_t title_tf;  // occurrences in the title (saturating)
    uint16_t body_tf;   // occurrences in the body (its first max_body_tokens; saturating)
    uint16_t lead_tf;   // of which in the lead (first lead_tokens body tokens)
    // The id of the term's clitic candidate (StoryTermizer::CliticCandidate: بعسير -> عسير),
    // or kNoAlt. StoryClusterer counts the term under `id` and reads it as `alt_id` when the
    // corpus supports that (StoryOptions::clitic_min_df). Makes Term 24 bytes (was 16): a
    // caller that keeps features of a whole batch pays 8 bytes more per term.
    uint64_t alt_id = kNoAlt;
  };
  std::vector<Term> terms;  // sorted by id, unique

  // Spellings of term ids (parallel vectors), so the clusterer can show top terms without every
  // document carrying strings: for each id of the document's terms and clitic candidates, in
  // the order they first occur in it, the spelling of that first occurrence, unless the
  // featurizer knows it emitted the id for a document of a lower order (Featurize's `order`):
  // always in a document whose order is above all it has seen; in one below, only for those
  // emitted since it last went down (a document out of order may repeat a few spellings). So
  // the document of lowest order that has an id always carries its spelling, whichever
  // featurizer made its features and whatever it saw before or after: a reader that keeps the
  // first spelling of each id it receives in input order (StoryClusterer::CountDocument) gets
  // the same spellings on any number of threads under any schedule. Empty if
  // StoryTermOptions::emit_strings is false.
  std::vector<std::string> new_strings;
  std::vector<uint64_t> new_string_ids;

  void Clear() {
    terms.clear();
    new_strings.clear();
    new_string_ids.clear();
  }
};

// The id of one ar-sc-1 term, as Featurize computes it (hash of the skeleton if fold_variants).
uint64_t StoryTermId(std::string_view term, bool fold_variants = true);

// The variant skeleton of a term (see StoryTermOptions::fold_variants); the term itself if no
// rule applies.
std::string StoryTermSkeleton(std::string_view term);

namespace internal {
struct StoryFeaturizerState;
}  // namespace internal

class StoryFeaturizer {
 public:
  static absl::StatusOr<StoryFeaturizer> Create(const StoryTermOptions& options = {});

  StoryFeaturizer(StoryFeaturizer&&) noexcept;
  StoryFeaturizer& operator=(StoryFeaturizer&&) noexcept;
  ~StoryFeaturizer();

  // `title`: raw title text (normalized and tokenized here); `body_tokens`: the ar-nd-1 tokens
  // of the body, of which the first options.max_body_tokens are used. Overwrites *out.
  // No allocation in steady state apart from new_strings. The document's order is one more
  // than the highest order this featurizer has seen (0 at first): documents in call order, as
  // one featurizer that sees every document has them. Same as Featurize(title, body_tokens,
  // {}, 0, out).
  void Featurize(std::string_view title, std::span<const std::string_view> body_tokens,
                 StoryFeatures* out);

  // The same features, for a caller that has hashed the body tokens already (the engine's
  // Sketcher): body_token_hashes[i] = XXH3_64bits_withSeed(body_tokens[i], hash_seed), i.e.
  // nazir/shingle's HashTokens(body_tokens, hash_seed, ...), so Featurize does not hash them
  // again (it hashes the title's tokens with hash_seed). The hashes only place tokens in the
  // token cache, which compares the tokens' bytes: the features are exactly those of the
  // overload above whatever the hashes are. Wrong hashes, or hashes of more than one seed over a
  // featurizer's life, only cost speed (a token is cached once per seed; the overload above
  // uses seed 0). If body_token_hashes.size() != body_tokens.size() they are ignored. The order
  // is implicit, as above.
  void Featurize(std::string_view title, std::span<const std::string_view> body_tokens,
                 std::span<const uint64_t> body_token_hashes, uint64_t hash_seed,
                 StoryFeatures* out);

  // The same, for the document at position `order` of the input: any key that increases in
  // the order in which the documents' features will reach the clusterer (an index in the
  // input, a slot), unique per document. Only new_strings depends on it (see there). Documents
  // may come in any order and each featurizer may see any subset; those below an order the
  // featurizer has seen cost a little more (they may emit spellings again, and each that is
  // below the one before drops the token cache's record of what was emitted: O(1), and one
  // pass over the cache once every 16 times). In input order, the same cost and output as the
  // overloads without an order.
  void Featurize(std::string_view title, std::span<const std::string_view> body_tokens,
                 std::span<const uint64_t> body_token_hashes, uint64_t hash_seed, uint64_t order,
                 StoryFeatures* out);

  const StoryTermizer& termizer() const;

 private:
  explicit StoryFeaturizer(std::unique_ptr<internal::StoryFeaturizerState> state);
  std::unique_ptr<internal::StoryFeaturizerState> state_;
};

}  // namespace nazir

#endif  // NAZIR_STORY_STORY_FEATURES_H_
