// Sketcher: raw article -> ArticleSketch, the parallel half of nazir's
// pipeline: the near-duplicate sketch of the text (shingle keys, anchors,
// MinHash signature, SimHash) and the story features of title and text.
//
//   NAZIR_ASSIGN_OR_RETURN(Sketcher sk, Sketcher::Create(options));
//   ArticleSketch sketch;
//   sk.Sketch(article.title, article.text, &sketch);
//
// Steps: ar-nd-1 normalization and tokenization -> one XXH3 hash per token ->
// word n-gram shingle hashes (n = shingle_size) -> sorted unique 32-bit keys,
// winnowed anchors, OPH MinHash (num_perm lanes) and 64-bit SimHash.
//
// Thread safety: a Sketcher is NOT thread-safe (it owns an ICU break iterator
// and scratch buffers); make one per thread, and pass each article's position
// in the input (Sketch's `order`) so that the result does not depend on the
// schedule. After warm-up Sketch() allocates
// only when a document is larger than any seen before.
#ifndef NAZIR_ENGINE_SKETCHER_H_
#define NAZIR_ENGINE_SKETCHER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "absl/status/statusor.h"

#include "nazir/base/fingerprint.h"
#include "nazir/index/sketch_store.h"
#include "nazir/normalize/normalizer.h"
#include "nazir/story/story_features.h"
#include "nazir/story/story_terms.h"

namespace nazir {

struct SketchOptions {
  NormalizerOptions normalizer;
  // Words per shingle. 8 was measured best on SaudiNewsNet (lib/README.md:
  // 5-7 let reports that reuse quotes pass as copies).
  uint32_t shingle_size = 8;
  // MinHash lanes (k). Multiple of 8, 16..1024.
  uint32_t num_perm = 128;
  // Seed of every hash function (token hash, MinHash, SimHash).
  uint64_t seed = 0x6e617a6972ULL;
  // Winnowing window (in shingles) for anchors: texts sharing a run of at
  // least winnow_window + shingle_size - 1 words (19 by default) share an
  // anchor. About 2/(winnow_window+1) of the shingles become anchors: larger
  // = smaller anchor index, but short shared runs may go unseen. On
  // SaudiNewsNet 8 -> 12 halves the anchor index (46 -> 24 MB) for a recall
  // change of 0.9762 -> 0.9760.
  uint32_t winnow_window = 12;
  // Story features (ar-sc-1 terms of title and text) for story clustering.
  // Their normalizer options are forced to `normalizer`.
  bool story_features = true;
  StoryTermOptions story_terms;

  absl::Status Validate() const;
};

// Everything nazir derives from one article, before it meets the index.
struct ArticleSketch {
  DocSketch near_dup;   // from the text only (a new headline is not a new text)
  StoryFeatures story;  // from title and text; empty if story features are off
};

class Sketcher {
 public:
  static absl::StatusOr<Sketcher> Create(const SketchOptions& options);
  Sketcher(Sketcher&&) noexcept;
  Sketcher& operator=(Sketcher&&) noexcept;
  ~Sketcher();

  // Fills *out (cleared first). Never fails: invalid UTF-8 is replaced (the
  // count is returned), an empty text gives an empty sketch.
  size_t Sketch(std::string_view title, std::string_view text, ArticleSketch* out);
  // The same for the article at position `order` of the input (unique, in the
  // order the sketches will be added to the engine; StoryFeaturizer::Featurize):
  // sketchers on several threads, each with any subset of the articles in any
  // order, then give the engine the same story term spellings as one sketcher
  // in input order. The overload above takes its articles in call order.
  size_t Sketch(std::string_view title, std::string_view text, uint64_t order, ArticleSketch* out);
  // The near-duplicate sketch of `text` alone.
  size_t Sketch(std::string_view text, DocSketch* out);

  // ar-nd-1 tokens of the last Sketch() call; views valid until the next call.
  std::span<const std::string_view> last_tokens() const;

  const SketchOptions& options() const;
  // Parameters every sketch from this Sketcher was made with.
  const ParamsFingerprint& fingerprint() const;

 private:
  struct Impl;
  explicit Sketcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace nazir

#endif  // NAZIR_ENGINE_SKETCHER_H_
