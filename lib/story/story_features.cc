#include "nazir/story/story_features.h"

#include <algorithm>
#include <memory>
#include <utility>

#define XXH_INLINE_ALL
#include "absl/container/flat_hash_set.h"
#include <xxhash.h>

#include "nazir/base/status.h"
#include "nazir/normalize/tokenizer.h"

#include "story/internal.h"

namespace nazir {
namespace internal {

uint64_t HashTerm(std::string_view term) {
  return XXH3_64bits_withSeed(term.data(), term.size(), 0x5354u) >> 1;
}

std::string_view Skeleton(std::string_view term, std::string* buf) {
  if (!IsArabicWord(term)) return term;
  std::string_view t = term;
  // Transliterated "-ia" ending (سوريا, روسيا) and the nisba -iya (سورية) that survives when
  // stemming is off: dropped when >= 3 letters remain.
  if (t.size() >= 10 && (EndsWith(t, "يا") || EndsWith(t, "يه"))) t.remove_suffix(4);
  if (t.size() < 12) {
    if (t.size() == term.size()) return term;
    return t;  // a prefix of term: still a view into it
  }
  // >= 6 letters: drop interior long vowels ا و ي.
  buf->clear();
  buf->append(t.substr(0, 2));
  for (size_t i = 2; i + 2 < t.size(); i += 2) {
    std::string_view c = t.substr(i, 2);
    if (c == "ا" || c == "و" || c == "ي") continue;
    buf->append(c);
  }
  buf->append(t.substr(t.size() - 2));
  return *buf;
}

struct StoryFeaturizerState {
  StoryFeaturizerState(StoryTermizer t, TextAnalyzer a)
      : termizer(std::move(t)), analyzer(std::move(a)) {}

  struct Slot {
    uint64_t id;
    uint64_t alt_id;
    uint32_t stamp;
    uint16_t title_tf, body_tf, lead_tf;
  };

  StoryTermizer termizer;
  TextAnalyzer analyzer;
  std::vector<std::string_view> title_tokens;
  std::string skeleton_buf, clitic_buf;
  // Open-addressing accumulation table; a slot is live when its stamp equals `stamp`.
  std::vector<Slot> table = std::vector<Slot>(1024, Slot{0, 0, 0, 0, 0, 0});
  std::vector<uint32_t> used;
  uint32_t stamp = 0;
  absl::flat_hash_set<uint64_t> emitted;
  StoryFeatures* out = nullptr;

  void Grow() {
    std::vector<Slot> old = std::move(table);
    table.assign(old.size() * 2, Slot{0, 0, 0, 0, 0, 0});
    used.clear();
    for (const Slot& s : old) {
      if (s.stamp != stamp) continue;
      size_t mask = table.size() - 1;
      size_t h = (s.id ^ (s.id >> 29)) & mask;  // Add's home slot: Add must find it again
      while (table[h].stamp == stamp) h = (h + 1) & mask;
      table[h] = s;
      used.push_back(static_cast<uint32_t>(h));
    }
  }

  enum Part { kTitle, kLead, kBody };
  void Add(std::string_view term, Part part) {
    std::string_view key = term;
    if (termizer.options().fold_variants) key = Skeleton(term, &skeleton_buf);
    uint64_t id = HashTerm(key);
    size_t mask = table.size() - 1;
    size_t h = (id ^ (id >> 29)) & mask;
    while (table[h].stamp == stamp && table[h].id != id) h = (h + 1) & mask;
    Slot& s = table[h];
    if (s.stamp != stamp) {
      s = Slot{id, StoryFeatures::kNoAlt, stamp, 0, 0, 0};
      used.push_back(static_cast<uint32_t>(h));
      if (termizer.options().emit_strings && emitted.insert(id).second) {
        out->new_strings.emplace_back(term);
        out->new_string_ids.push_back(id);
      }
      std::string_view alt = termizer.CliticCandidate(term, &clitic_buf);
      if (!alt.empty()) {
        std::string_view alt_key = alt;
        if (termizer.options().fold_variants) alt_key = Skeleton(alt, &skeleton_buf);
        const uint64_t alt_id = HashTerm(alt_key);
        if (alt_id != id) {
          s.alt_id = alt_id;
          if (termizer.options().emit_strings && emitted.insert(alt_id).second) {
            out->new_strings.emplace_back(alt);
            out->new_string_ids.push_back(alt_id);
          }
        }
      }
    }
    if (part == kTitle) {
      if (s.title_tf != 0xFFFF) ++s.title_tf;
    } else {
      if (s.body_tf != 0xFFFF) ++s.body_tf;
      if (part == kLead && s.lead_tf != 0xFFFF) ++s.lead_tf;
    }
    if (used.size() * 2 > table.size()) Grow();
  }
};

}  // namespace internal

uint64_t StoryTermId(std::string_view term, bool fold_variants) {
  std::string buf;
  return internal::HashTerm(fold_variants ? internal::Skeleton(term, &buf) : term);
}

std::string StoryTermSkeleton(std::string_view term) {
  std::string buf;
  return std::string(internal::Skeleton(term, &buf));
}

StoryFeaturizer::StoryFeaturizer(std::unique_ptr<internal::StoryFeaturizerState> state)
    : state_(std::move(state)) {}
StoryFeaturizer::StoryFeaturizer(StoryFeaturizer&&) noexcept = default;
StoryFeaturizer& StoryFeaturizer::operator=(StoryFeaturizer&&) noexcept = default;
StoryFeaturizer::~StoryFeaturizer() = default;

absl::StatusOr<StoryFeaturizer> StoryFeaturizer::Create(const StoryTermOptions& options) {
  NAZIR_ASSIGN_OR_RETURN(StoryTermizer termizer, StoryTermizer::Create(options));
  NAZIR_ASSIGN_OR_RETURN(TextAnalyzer analyzer, TextAnalyzer::Create(options.normalizer));
  return StoryFeaturizer(
      std::make_unique<internal::StoryFeaturizerState>(std::move(termizer), std::move(analyzer)));
}

const StoryTermizer& StoryFeaturizer::termizer() const { return state_->termizer; }

void StoryFeaturizer::Featurize(std::string_view title,
                                std::span<const std::string_view> body_tokens, StoryFeatures* out) {
  internal::StoryFeaturizerState& s = *state_;
  out->Clear();
  s.out = out;
  if (++s.stamp == 0) {  // stamp wrapped: reset the table once every 2^32 documents
    std::fill(s.table.begin(), s.table.end(),
              internal::StoryFeaturizerState::Slot{0, 0, 0, 0, 0, 0});
    s.stamp = 1;
  }
  s.used.clear();
  s.analyzer.Analyze(title, &s.title_tokens);
  s.termizer.ForEachTerm(s.title_tokens, [&s](std::string_view t) { s.Add(t, s.kTitle); });
  size_t max_body = s.termizer.options().max_body_tokens;
  if (max_body != 0 && body_tokens.size() > max_body) body_tokens = body_tokens.first(max_body);
  size_t lead = std::min(body_tokens.size(), s.termizer.options().lead_tokens);
  s.termizer.ForEachTerm(body_tokens.first(lead), [&s](std::string_view t) { s.Add(t, s.kLead); });
  s.termizer.ForEachTerm(body_tokens.subspan(lead),
                         [&s](std::string_view t) { s.Add(t, s.kBody); });
  out->terms.reserve(s.used.size());
  for (uint32_t h : s.used) {
    const auto& slot = s.table[h];
    out->terms.push_back({slot.id, slot.title_tf, slot.body_tf, slot.lead_tf, slot.alt_id});
  }
  std::sort(out->terms.begin(), out->terms.end(),
            [](const StoryFeatures::Term& a, const StoryFeatures::Term& b) { return a.id < b.id; });
  s.out = nullptr;
}

}  // namespace nazir
