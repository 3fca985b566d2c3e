#include "nazir/story/story_features.h"

#include <algorithm>
#include <cstring>
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
      : termizer(std::move(t)),
        analyzer(std::move(a)),
        fold(termizer.options().fold_variants),
        emit(termizer.options().emit_strings),
        cache_limit(termizer.options().token_cache_entries) {
    if (cache_limit != 0) cache.resize(std::min<size_t>(1024, 2 * CeilPow2(cache_limit)));
  }

  // Accumulation of one document's term counts.
  struct Slot {
    uint64_t id;
    uint64_t alt_id;
    uint32_t stamp;
    uint16_t title_tf, body_tf, lead_tf;
  };

  // Token cache: what Featurize makes of one token outside a month phrase (the context-free
  // part of StoryTermizer::ForEachTerm: dropped or not, the term, its id and its clitic
  // candidate's id), keyed by the token's bytes. An open-addressing table (linear probing, at
  // most half full) of one cache line per token that holds the token's bytes: a lookup hashes
  // the token (XXH3) and compares the stored bytes, so a hit is always the same token and the
  // cache cannot change the features, only skip recomputing them. Tokens that may start a month
  // phrase are still read in context (kMonth); tokens longer than kMaxCachedToken bytes (20
  // Arabic letters; rare) take the uncached path. Bounded: when it holds cache_limit tokens, a
  // miss first evicts the tokens not looked up again since they came in (EvictCache), so it
  // takes at most CeilPow2(2 * cache_limit) * 64 bytes (8 MB for the default 2^16) and does not
  // allocate once it has grown to that.
  struct alignas(64) CachedToken {
    uint64_t id;                 // term id (unless kSkip)
    uint64_t alt_id;             // id of the term's clitic candidate; kNoAlt if none or the same id
    uint32_t tag;                // high half of the token's hash
    uint8_t key_len;             // 0: empty slot (cached tokens are not empty)
    uint8_t term_off, term_len;  // the term is token.substr(term_off, term_len) (a stem)
    uint8_t flags;
    char key[40];  // the token's bytes
  };
  static_assert(sizeof(CachedToken) == 64);
  static constexpr size_t kMaxCachedToken = sizeof(CachedToken::key);
  static constexpr uint8_t kSkip = 1;        // dropped (stopword, single letter)
  static constexpr uint8_t kMonth = 2;       // may start a month phrase: read it in context
  static constexpr uint8_t kIdEmitted = 4;   // id is in `emitted`
  static constexpr uint8_t kAltEmitted = 8;  // alt_id is in `emitted`
  static constexpr uint8_t kHit = 16;        // looked up again since cached or last eviction

  static size_t CeilPow2(size_t x) {
    size_t p = 1;
    while (p < x) p *= 2;
    return p;
  }

  StoryTermizer termizer;
  TextAnalyzer analyzer;
  const bool fold, emit;
  std::vector<std::string_view> title_tokens;
  std::string skeleton_buf, clitic_buf;
  // Open-addressing accumulation table; a slot is live when its stamp equals `stamp`.
  std::vector<Slot> table = std::vector<Slot>(1024, Slot{0, 0, 0, 0, 0, 0});
  std::vector<uint32_t> used;
  uint32_t stamp = 0;
  absl::flat_hash_set<uint64_t> emitted;
  StoryFeatures* out = nullptr;

  const size_t cache_limit;
  std::vector<CachedToken> cache;             // size a power of 2, or 0 if cache_limit is 0
  size_t cache_count = 0;                     // tokens in `cache`
  std::vector<uint64_t> hashes;               // AddTokens: XXH3 of each token
  std::vector<uint64_t> sort_keys, sort_tmp;  // Featurize: id bits 31..62 | index in `used`

  // Home slot of an id. Grow must place slots where Probe looks for them.
  static size_t SlotOf(uint64_t id, size_t mask) { return (id ^ (id >> 29)) & mask; }

  void Grow() {
    std::vector<Slot> old = std::move(table);
    table.assign(old.size() * 2, Slot{0, 0, 0, 0, 0, 0});
    used.clear();
    for (const Slot& s : old) {
      if (s.stamp != stamp) continue;
      size_t mask = table.size() - 1;
      size_t h = SlotOf(s.id, mask);
      while (table[h].stamp == stamp) h = (h + 1) & mask;
      table[h] = s;
      used.push_back(static_cast<uint32_t>(h));
    }
  }

  enum Part { kTitle, kLead, kBody };

  // The slot of `id` in this document; a new one (alt_id kNoAlt, counts 0) if *is_new.
  Slot& Probe(uint64_t id, bool* is_new) {
    size_t mask = table.size() - 1;
    size_t h = SlotOf(id, mask);
    while (table[h].stamp == stamp && table[h].id != id) h = (h + 1) & mask;
    Slot& s = table[h];
    *is_new = s.stamp != stamp;
    if (*is_new) {
      s = Slot{id, StoryFeatures::kNoAlt, stamp, 0, 0, 0};
      used.push_back(static_cast<uint32_t>(h));
    }
    return s;
  }

  // Counts one occurrence in `part`, then grows the table if needed (invalidates s).
  void Bump(Slot& s, Part part) {
    if (part == kTitle) {
      if (s.title_tf != 0xFFFF) ++s.title_tf;
    } else {
      if (s.body_tf != 0xFFFF) ++s.body_tf;
      if (part == kLead && s.lead_tf != 0xFFFF) ++s.lead_tf;
    }
    if (used.size() * 2 > table.size()) Grow();
  }

  void EmitString(std::string_view spelling, uint64_t id) {
    out->new_strings.emplace_back(spelling);
    out->new_string_ids.push_back(id);
  }

  // Id of a term, and its clitic candidate and the candidate's id if it has one with another
  // id (else *alt_id = kNoAlt). *alt may point into clitic_buf.
  void TermIds(std::string_view term, uint64_t* id, std::string_view* alt, uint64_t* alt_id) {
    *id = HashTerm(fold ? Skeleton(term, &skeleton_buf) : term);
    *alt = {};
    *alt_id = StoryFeatures::kNoAlt;
    std::string_view a = termizer.CliticCandidate(term, &clitic_buf);
    if (a.empty()) return;
    const uint64_t aid = HashTerm(fold ? Skeleton(a, &skeleton_buf) : a);
    if (aid == *id) return;
    *alt = a;
    *alt_id = aid;
  }

  // A term without the cache (month tokens, long tokens, cache off).
  void Add(std::string_view term, Part part) {
    uint64_t id, alt_id;
    std::string_view alt;
    TermIds(term, &id, &alt, &alt_id);
    bool is_new;
    Slot& s = Probe(id, &is_new);
    if (is_new) {
      if (emit && emitted.insert(id).second) EmitString(term, id);
      if (alt_id != StoryFeatures::kNoAlt) {
        s.alt_id = alt_id;
        if (emit && emitted.insert(alt_id).second) EmitString(alt, alt_id);
      }
    }
    Bump(s, part);
  }

  // The term of a cached token (`token` is its spelling).
  void Add(CachedToken& e, std::string_view token, Part part) {
    bool is_new;
    Slot& s = Probe(e.id, &is_new);
    if (is_new) {
      s.alt_id = e.alt_id;
      if (emit) {
        if ((e.flags & kIdEmitted) == 0) {
          if (emitted.insert(e.id).second) EmitString(token.substr(e.term_off, e.term_len), e.id);
          e.flags |= kIdEmitted;
        }
        if (e.alt_id != StoryFeatures::kNoAlt && (e.flags & kAltEmitted) == 0) {
          if (emitted.insert(e.alt_id).second) {  // the candidate's spelling, made again
            const std::string_view term = token.substr(e.term_off, e.term_len);
            EmitString(termizer.CliticCandidate(term, &clitic_buf), e.alt_id);
          }
          e.flags |= kAltEmitted;
        }
      }
    }
    Bump(s, part);
  }

  static bool SameKey(const CachedToken& e, uint32_t tag, std::string_view token) {
    return e.tag == tag && e.key_len == token.size() &&
           std::memcmp(e.key, token.data(), token.size()) == 0;
  }

  // Doubles the table; called when it would become more than half full.
  void GrowCache() {
    std::vector<CachedToken> old(cache.size() * 2);
    old.swap(cache);
    const size_t mask = cache.size() - 1;
    for (const CachedToken& e : old) {
      if (e.key_len == 0) continue;
      size_t p = XXH3_64bits(e.key, e.key_len) & mask;
      while (cache[p].key_len != 0) p = (p + 1) & mask;
      cache[p] = e;
    }
  }

  // Makes room in a full cache: keeps the tokens looked up again since they were cached or
  // since the last eviction (the frequent ones), or none if they are more than 3/4 of it.
  // Rehashes in place: each kept entry is taken out and inserted again from its home slot,
  // visiting the slots in order from an empty one, so no probe run crosses the start.
  void EvictCache() {
    size_t kept = 0;
    for (CachedToken& e : cache) {
      if ((e.flags & kHit) == 0) {
        e.key_len = 0;
      } else {
        e.flags &= ~kHit;
        ++kept;
      }
    }
    if (kept * 4 > cache_limit * 3) {
      for (CachedToken& e : cache) e.key_len = 0;
      kept = 0;
    }
    cache_count = kept;
    const size_t mask = cache.size() - 1;
    size_t start = 0;
    while (cache[start].key_len != 0) ++start;  // the table is at most half full
    for (size_t k = 1; k <= mask; ++k) {
      const size_t p = (start + k) & mask;
      if (cache[p].key_len == 0) continue;
      size_t q = XXH3_64bits(cache[p].key, cache[p].key_len) & mask;
      if (q == p) continue;  // already home
      const CachedToken e = cache[p];
      cache[p].key_len = 0;
      while (cache[q].key_len != 0) q = (q + 1) & mask;
      cache[q] = e;
    }
  }

  // The cache entry of `token`, made on a miss; nullptr if the token bypasses the cache.
  static bool Cacheable(std::string_view token) {
    return !token.empty() && token.size() <= kMaxCachedToken;
  }

  // The cache entry of `token` (h = its XXH3 hash), made on a miss. Requires a cache and
  // Cacheable(token).
  CachedToken* Lookup(std::string_view token, uint64_t h) {
    const uint32_t tag = static_cast<uint32_t>(h >> 32);
    size_t mask = cache.size() - 1;
    size_t p = h & mask;
    for (; cache[p].key_len != 0; p = (p + 1) & mask) {
      if (SameKey(cache[p], tag, token)) {
        if ((cache[p].flags & kHit) == 0) cache[p].flags |= kHit;
        return &cache[p];
      }
    }
    // Miss: make room, then read the token as ForEachTerm does.
    if (cache_count >= cache_limit) {
      EvictCache();
    } else if ((cache_count + 1) * 2 > cache.size()) {
      GrowCache();
    }
    mask = cache.size() - 1;
    for (p = h & mask; cache[p].key_len != 0;) p = (p + 1) & mask;
    CachedToken& e = cache[p];
    e = CachedToken{};
    e.tag = tag;
    e.key_len = static_cast<uint8_t>(token.size());
    std::memcpy(e.key, token.data(), token.size());
    ++cache_count;
    const TokenInfo* ti = termizer.Find(token);
    if (ti != nullptr && !ti->months.empty()) e.flags |= kMonth;
    std::string_view term;
    if (!termizer.PlainTerm(token, ti, &term)) {
      e.flags |= kSkip;
    } else {
      e.term_off = static_cast<uint8_t>(term.data() - token.data());
      e.term_len = static_cast<uint8_t>(term.size());
      std::string_view alt;
      TermIds(term, &e.id, &alt, &e.alt_id);
    }
    return &e;
  }

  // StoryTermizer::ForEachTerm over `tok`, each term counted in `part`.
  void AddTokens(std::span<const std::string_view> tok, Part part) {
    StoryTermizer::MonthState month_state;
    // The cache is larger than the CPU caches: hash every token first and prefetch its slot, so
    // the lookups below find their lines loaded instead of waiting for each in turn.
    const bool cached = cache_limit != 0;
    if (cached) {
      hashes.resize(tok.size());
      const size_t mask = cache.size() - 1;
      for (size_t k = 0; k < tok.size(); ++k) {
        const uint64_t h = XXH3_64bits(tok[k].data(), tok[k].size());
        hashes[k] = h;
        __builtin_prefetch(&cache[h & mask]);
      }
    }
    size_t i = 0;
    while (i < tok.size()) {
      const std::string_view t = tok[i];
      CachedToken* e = cached && Cacheable(t) ? Lookup(t, hashes[i]) : nullptr;
      const TokenInfo* ti = nullptr;
      bool month_start;
      if (e != nullptr) {
        month_start = (e->flags & kMonth) != 0;
        if (month_start) ti = termizer.Find(t);
      } else {
        ti = termizer.Find(t);
        month_start = ti != nullptr && !ti->months.empty();
      }
      if (month_start) {
        std::string_view month;
        if (size_t len = termizer.MonthPhraseAt(tok, i, *ti, &month_state, &month); len != 0) {
          if (!month.empty()) Add(month, part);
          i += len;
          continue;
        }
      }
      ++i;
      if (e != nullptr) {
        if ((e->flags & kSkip) == 0) Add(*e, t, part);
      } else {
        std::string_view term;
        if (termizer.PlainTerm(t, ti, &term)) Add(term, part);
      }
    }
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
  s.AddTokens(s.title_tokens, s.kTitle);
  size_t max_body = s.termizer.options().max_body_tokens;
  if (max_body != 0 && body_tokens.size() > max_body) body_tokens = body_tokens.first(max_body);
  size_t lead = std::min(body_tokens.size(), s.termizer.options().lead_tokens);
  s.AddTokens(body_tokens.first(lead), s.kLead);
  s.AddTokens(body_tokens.subspan(lead), s.kBody);
  // Terms sorted by id: an LSD radix sort (4 passes of 8 bits) of 8-byte keys, the id's bits
  // 31..62 above the term's index in `used`, is cheaper than comparison-sorting 24-byte terms
  // (no mispredicted branches). Ids equal in bits 31..62 (about n^2 / 2^33 pairs per document)
  // come out in index order; the insertion sort after puts them right (one comparison per term
  // otherwise).
  const size_t n = s.used.size();
  out->terms.reserve(n);
  auto push = [&](uint32_t h) {
    const auto& slot = s.table[h];
    out->terms.push_back({slot.id, slot.title_tf, slot.body_tf, slot.lead_tf, slot.alt_id});
  };
  if (n < (size_t{1} << 31)) {
    s.sort_keys.resize(n);
    s.sort_tmp.resize(n);
    for (size_t k = 0; k < n; ++k) s.sort_keys[k] = (s.table[s.used[k]].id >> 31) << 31 | k;
    for (int shift = 31; shift < 63; shift += 8) {
      uint32_t count[257] = {};
      for (uint64_t key : s.sort_keys) ++count[((key >> shift) & 0xFF) + 1];
      for (int d = 0; d < 256; ++d) count[d + 1] += count[d];
      for (uint64_t key : s.sort_keys) s.sort_tmp[count[(key >> shift) & 0xFF]++] = key;
      s.sort_keys.swap(s.sort_tmp);
    }
    for (uint64_t key : s.sort_keys) push(s.used[key & 0x7FFFFFFF]);
    auto& t = out->terms;
    for (size_t k = 1; k < n; ++k) {
      for (size_t j = k; j > 0 && t[j].id < t[j - 1].id; --j) std::swap(t[j], t[j - 1]);
    }
  } else {
    for (uint32_t h : s.used) push(h);
    std::sort(
        out->terms.begin(), out->terms.end(),
        [](const StoryFeatures::Term& x, const StoryFeatures::Term& y) { return x.id < y.id; });
  }
  s.out = nullptr;
}

}  // namespace nazir
