#include "nazir/engine/sketcher.h"

#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"

#include "nazir/base/status.h"
#include "nazir/normalize/tokenizer.h"
#include "nazir/shingle/shingle.h"
#include "nazir/sketch/minhash.h"
#include "nazir/sketch/shingle_set.h"
#include "nazir/sketch/simhash.h"
#include "nazir/sketch/winnow.h"

namespace nazir {

absl::Status SketchOptions::Validate() const {
  NAZIR_RETURN_IF_ERROR(normalizer.Validate());
  if (shingle_size < 1 || shingle_size > 16) {
    return absl::InvalidArgumentError(
        absl::StrCat("shingle size must be in [1, 16], got ", shingle_size));
  }
  if (winnow_window < 1 || winnow_window > 64) {
    return absl::InvalidArgumentError(
        absl::StrCat("winnow window must be in [1, 64], got ", winnow_window));
  }
  NAZIR_RETURN_IF_ERROR(story_terms.Validate());
  MinHashOptions mh{.num_perm = num_perm, .seed = seed};
  return mh.Validate();
}

namespace {

// The story-term rules that decide story term ids, for the fingerprint.
std::string StoryIdentity(const SketchOptions& o) {
  if (!o.story_features) return "";
  const StoryTermOptions& t = o.story_terms;
  std::string id = absl::StrCat("ar-sc-1", t.stem ? "+stem" : "", t.fold_variants ? "+fold" : "",
                                "+b", t.max_body_tokens, "+l", t.lead_tokens);
  // Custom lists change the terms: record a digest of them.
  auto digest = [](const std::vector<std::string>& list) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const std::string& w : list) {
      for (unsigned char c : w) h = (h ^ c) * 0x100000001b3ULL;
      h = (h ^ 0xff) * 0x100000001b3ULL;
    }
    return h;
  };
  if (t.stopwords) absl::StrAppend(&id, "+sw", absl::Hex(digest(*t.stopwords)));
  if (t.protected_terms) absl::StrAppend(&id, "+pt", absl::Hex(digest(*t.protected_terms)));
  return id;
}

}  // namespace

struct Sketcher::Impl {
  SketchOptions options;
  ParamsFingerprint fingerprint;
  TextAnalyzer analyzer;
  OphMinHasher minhash;
  std::optional<StoryFeaturizer> featurizer;
  std::vector<std::string_view> tokens;
  std::vector<uint64_t> token_hashes;
  std::vector<uint64_t> shingles;

  // The story features of `title` and the last text sketched (in input position `order`, or
  // the featurizer's next), or none if story features are off.
  void FeaturizeStory(std::string_view title, std::optional<uint64_t> order, StoryFeatures* out) {
    if (!featurizer) {
      out->Clear();
      return;
    }
    // The body tokens' hashes are those Sketch just made (HashTokens with the sketch seed):
    // the featurizer keys its token cache by them instead of hashing the tokens again.
    const std::span<const uint64_t> hashes(token_hashes.data(), tokens.size());
    if (order) {
      featurizer->Featurize(title, tokens, hashes, options.seed, *order, out);
    } else {
      featurizer->Featurize(title, tokens, hashes, options.seed, out);
    }
  }
};

Sketcher::Sketcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Sketcher::Sketcher(Sketcher&&) noexcept = default;
Sketcher& Sketcher::operator=(Sketcher&&) noexcept = default;
Sketcher::~Sketcher() = default;

absl::StatusOr<Sketcher> Sketcher::Create(const SketchOptions& options) {
  NAZIR_RETURN_IF_ERROR(options.Validate());
  NAZIR_ASSIGN_OR_RETURN(TextAnalyzer analyzer, TextAnalyzer::Create(options.normalizer));
  NAZIR_ASSIGN_OR_RETURN(OphMinHasher minhash, OphMinHasher::Create({.num_perm = options.num_perm,
                                                                     .seed = options.seed}));
  ParamsFingerprint fp{.normalizer = analyzer.normalizer().Id(),
                       .shingle_size = options.shingle_size,
                       .winnow_window = options.winnow_window,
                       .num_perm = options.num_perm,
                       .seed = options.seed,
                       .story = StoryIdentity(options)};
  std::optional<StoryFeaturizer> featurizer;
  if (options.story_features) {
    StoryTermOptions terms = options.story_terms;
    terms.normalizer = options.normalizer;
    NAZIR_ASSIGN_OR_RETURN(StoryFeaturizer fz, StoryFeaturizer::Create(terms));
    featurizer.emplace(std::move(fz));
  }
  return Sketcher(std::unique_ptr<Impl>(new Impl{options,
                                                 std::move(fp),
                                                 std::move(analyzer),
                                                 std::move(minhash),
                                                 std::move(featurizer),
                                                 {},
                                                 {},
                                                 {}}));
}

size_t Sketcher::Sketch(std::string_view text, DocSketch* out) {
  Impl& m = *impl_;
  out->Clear();
  const size_t invalid = m.analyzer.Analyze(text, &m.tokens);
  out->num_tokens = static_cast<uint32_t>(m.tokens.size());
  out->params_digest = m.fingerprint.Digest();
  if (m.tokens.empty()) return invalid;
  m.token_hashes.resize(m.tokens.size());
  HashTokens(m.tokens, m.options.seed, m.token_hashes);
  m.shingles.resize(NumShingles(m.tokens.size(), m.options.shingle_size));
  CombineShingles(m.token_hashes, m.options.shingle_size, m.shingles);
  out->num_shingles = static_cast<uint32_t>(m.shingles.size());
  SortedShingleKeys(m.shingles, &out->keys);
  WinnowAnchors(m.shingles, m.options.winnow_window, &out->anchors);
  out->sig.resize(m.options.num_perm);
  m.minhash.Sketch(m.shingles, out->sig);
  out->simhash = SimHash64(m.shingles, m.options.seed);
  return invalid;
}

size_t Sketcher::Sketch(std::string_view title, std::string_view text, ArticleSketch* out) {
  const size_t invalid = Sketch(text, &out->near_dup);
  impl_->FeaturizeStory(title, std::nullopt, &out->story);
  return invalid;
}

size_t Sketcher::Sketch(std::string_view title, std::string_view text, uint64_t order,
                        ArticleSketch* out) {
  const size_t invalid = Sketch(text, &out->near_dup);
  impl_->FeaturizeStory(title, order, &out->story);
  return invalid;
}

std::span<const std::string_view> Sketcher::last_tokens() const { return impl_->tokens; }
const SketchOptions& Sketcher::options() const { return impl_->options; }
const ParamsFingerprint& Sketcher::fingerprint() const { return impl_->fingerprint; }

}  // namespace nazir
