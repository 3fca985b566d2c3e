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
  return IsArabicWord(term) ? ArabicSkeleton(term, buf) : term;
}

std::string_view ArabicSkeleton(std::string_view term, std::string* buf) {
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
    if (cache_limit != 0) {
      cache.resize(std::min<size_t>(1024, 2 * CeilPow2(cache_limit)));
      meta.resize(cache.size());
    }
  }

  // Token cache: what Featurize makes of one token outside a month phrase (the context-free
  // part of StoryTermizer::ForEachTerm: dropped or not, the term, its id and its clitic
  // candidate's id), keyed by the token's bytes. An open-addressing table (linear probing, at
  // most half full) of one cache line per token that holds the token's bytes: a lookup hashes
  // the token (XXH3) and compares the stored bytes, so a hit is always the same token and the
  // cache cannot change the features, only skip recomputing them. Tokens that may start a month
  // phrase are still read in context (kMonth); tokens longer than kMaxCachedToken bytes (20
  // Arabic letters; rare) take the uncached path. Bounded: when it holds cache_limit tokens, a
  // miss first evicts the tokens not looked up again since they came in (EvictCache), so it
  // takes at most CeilPow2(2 * cache_limit) * 68 bytes (8.5 MiB for the default 2^16) and
  // does not allocate once it has grown to that.
  //
  // Beside the entries, `meta` holds 4 bytes per slot: the high 30 bits of the high half of the
  // token's hash (which also pick the home slot), a hit bit and an occupied bit. Probing reads
  // only meta (512 KB for the default size: it stays in the CPU's caches), so a lookup loads
  // the line of the entry it finds and no other, a miss none, and eviction, growth and
  // rehoming need not read the entries they drop or hash their tokens again.
  //
  // An entry also holds the counts of its token in the current document: doc_ref is the index
  // of its record (see `recs`) plus rec_base if the token has been seen in this document, and
  // below rec_base otherwise. So a repeated token costs one cache lookup and an increment.
  struct alignas(64) CachedToken {
    uint64_t id;                 // term id (unless kSkip)
    uint64_t alt_id;             // id of the term's clitic candidate; kNoAlt if none or the same id
    uint32_t doc_ref;            // rec_base + index in recs, if >= rec_base
    uint8_t key_len;             // the token's length
    uint8_t term_off, term_len;  // the term is token.substr(term_off, term_len) (a stem)
    uint8_t flags;
    char key[40];  // the token's bytes
  };
  static_assert(sizeof(CachedToken) == 64);
  static constexpr size_t kMaxCachedToken = sizeof(CachedToken::key);
  static constexpr uint8_t kSkip = 1;   // dropped (stopword, single letter)
  static constexpr uint8_t kMonth = 2;  // may start a month phrase: read it in context
  // kIdEmitted: id was emitted in the current run (see BeginDocument), so no later document of
  // the run emits it (or strings are off); kAltEmitted: so was alt_id (or there is no alt_id).
  // An entry with both has nothing left to emit. The two hold only in the run they were set in:
  // while the entry's generation (the flags' high 4 bits) is emitted_gen.
  static constexpr uint8_t kIdEmitted = 4;
  static constexpr uint8_t kAltEmitted = 8;
  static constexpr uint8_t kEmitted = kIdEmitted | kAltEmitted;
  static constexpr int kGenShift = 4;
  static constexpr uint8_t kGenMask = 0xF0;
  // meta: 0 for an empty slot, else the high 30 bits of the token's hash's high half | these.
  static constexpr uint32_t kOccupied = 1;
  static constexpr uint32_t kHit = 2;  // looked up again since cached or last eviction
  // The meta word of a looked-up token of hash h, and its home slot.
  static uint32_t MetaOf(uint64_t h) { return static_cast<uint32_t>(h >> 32) | kHit | kOccupied; }
  static size_t HomeOf(uint32_t meta, size_t mask) { return (meta >> 2) & mask; }

  static size_t CeilPow2(size_t x) {
    size_t p = 1;
    while (p < x) p *= 2;
    return p;
  }

  enum Part { kTitle, kLead, kBody };

  // A term occurrence whose strings may have to be emitted: the first occurrence in the
  // document of a cache entry without kEmitted, or any uncached term. Which of them emit is
  // decided after the document (only the first record of each id emits, see Finish), so the
  // lookups in `emitted` happen together and their cache misses overlap.
  struct Pending {
    uint32_t rec;          // index in recs
    uint32_t slot;         // cache slot of the entry, kNoSlot if uncached
    uint32_t cache_epoch;  // cache_epoch when slot was read: the entry is still there if equal
    uint8_t flags;         // the entry's kIdEmitted / kAltEmitted then
    std::string_view term;
  };
  static constexpr uint32_t kNoSlot = ~uint32_t{0};

  StoryTermizer termizer;
  TextAnalyzer analyzer;
  const bool fold, emit;
  std::vector<std::string_view> title_tokens;
  std::string skeleton_buf, clitic_buf;
  // The ids this featurizer emitted a spelling of: all of them, and those emitted in the current
  // run (only kept while the run is below the highest order seen). A document emits an id
  // unless a document of a lower order surely did (Claim), so the document of lowest order that
  // has an id (of those this featurizer saw) emits it, whatever the order they came in.
  absl::flat_hash_set<uint64_t> emitted, run_emitted;
  bool below = false;             // the current document is below the highest order seen before it
  bool seen_any = false;          // whether a document was featurized
  uint64_t top = 0;               // the highest order seen
  uint64_t run_top = 0;           // the highest order seen in the current run
  uint8_t emitted_gen = 0;        // the current run's generation of kIdEmitted / kAltEmitted flags
  uint8_t done_flags = kEmitted;  // kEmitted | emitted_gen << kGenShift: nothing left to emit

  // The current document: one record per cache entry seen in it (in order of first
  // occurrence) and one per uncached term occurrence, so an id can have several records
  // (الوزير and وزير, a month named twice); Finish merges them. recs is sized ahead so that
  // AddTokens never checks its size.
  std::vector<StoryFeatures::Term> recs;
  size_t nrec = 0;
  uint64_t rec_base = 1;    // doc_ref of the document's first record; 0 is no document's
  bool doc_cached = false;  // whether the current document uses the cache
  std::vector<Pending> pending;
  std::vector<uint8_t> first_rec;             // Finish: 1 for the first record of each id
  std::vector<uint64_t> sort_keys, sort_tmp;  // Finish: id bits 31..62 | index in recs

  const size_t cache_limit;
  std::vector<CachedToken> cache;  // size a power of 2, or 0 if cache_limit is 0
  std::vector<uint32_t> meta;      // per slot of `cache`
  size_t cache_count = 0;          // tokens in `cache`
  uint32_t cache_epoch = 0;        // changed whenever entries move (grow, evict)
  std::vector<uint64_t> hashes;    // Featurize: hash of each title token, then body token
  static constexpr size_t kPrefetchAhead = 16;

  void EmitString(StoryFeatures* out, std::string_view spelling, uint64_t id) {
    out->new_strings.emplace_back(spelling);
    out->new_string_ids.push_back(id);
  }

  // Id of a term, and its clitic candidate's id if it has one with another id (else kNoAlt).
  void TermIds(std::string_view term, uint64_t* id, uint64_t* alt_id) {
    *id = HashTerm(fold ? Skeleton(term, &skeleton_buf) : term);
    *alt_id = StoryFeatures::kNoAlt;
    std::string_view a = termizer.CliticCandidate(term, &clitic_buf);
    if (a.empty()) return;
    const uint64_t aid = HashTerm(fold ? Skeleton(a, &skeleton_buf) : a);
    if (aid != *id) *alt_id = aid;
  }

  // Counts one occurrence in `part` in record r (saturating).
  template <Part part>
  static void Bump(StoryFeatures::Term& r) {
    if constexpr (part == kTitle) {
      r.title_tf += r.title_tf != 0xFFFF;
    } else {
      r.body_tf += r.body_tf != 0xFFFF;
      if constexpr (part == kLead) r.lead_tf += r.lead_tf != 0xFFFF;
    }
  }

  // A term without the cache (month tokens, long tokens, cache off): a record of its own.
  template <Part part>
  void Add(std::string_view term) {
    uint64_t id, alt_id;
    TermIds(term, &id, &alt_id);
    const size_t k = nrec++;
    recs[k] = {id, 0, 0, 0, alt_id};
    if (emit) {
      const uint8_t flags = alt_id == StoryFeatures::kNoAlt ? kAltEmitted : 0;
      pending.push_back({static_cast<uint32_t>(k), kNoSlot, 0, flags, term});
    }
    Bump<part>(recs[k]);
  }

  // The term of a cached token (`token` is its spelling): its record, made at its first
  // occurrence in the document.
  template <Part part>
  void Add(CachedToken& e, std::string_view token) {
    size_t k = e.doc_ref - static_cast<uint32_t>(rec_base);
    if (e.doc_ref < rec_base) {
      k = nrec++;
      e.doc_ref = rec_base + static_cast<uint32_t>(k);
      recs[k] = {e.id, 0, 0, 0, e.alt_id};
      if ((e.flags & (kEmitted | kGenMask)) != done_flags) {
        pending.push_back({static_cast<uint32_t>(k), static_cast<uint32_t>(&e - cache.data()),
                           cache_epoch, ValidEmittedFlags(e),
                           token.substr(e.term_off, e.term_len)});
      }
    }
    Bump<part>(recs[k]);
  }

  // The entry's kIdEmitted / kAltEmitted flags that hold now: none but kAltEmitted for want of
  // an alt_id if they are of another generation.
  uint8_t ValidEmittedFlags(const CachedToken& e) const {
    if ((e.flags & kGenMask) == (done_flags & kGenMask)) {
      return static_cast<uint8_t>(e.flags & kEmitted);
    }
    return e.alt_id == StoryFeatures::kNoAlt ? kAltEmitted : 0;
  }

  // Starts a document of order d. A run is a sequence of documents each of an order above all
  // before it in the run: an id emitted in the run was emitted for a document of a lower order,
  // and the flags set in the run hold. A document below the run's highest order (documents
  // out of input order: a schedule that hands a thread a chunk below one it has done) starts a
  // new run: a new generation of flags (O(1), and a pass over the cache once every 16 runs) and
  // an empty run_emitted. In input order all documents are one run.
  void BeginDocument(uint64_t d) {
    if (emit && d < run_top) NewRun(d);
    run_top = std::max(run_top, d);
    below = seen_any && d < top;
    top = std::max(top, d);
    seen_any = true;
  }

  // The order of a document featurized without one: after all seen.
  uint64_t NextOrder() const { return !seen_any ? 0 : top == UINT64_MAX ? top : top + 1; }

  // Out of the way of Featurize's inlining (one call per run of documents out of order).
  [[gnu::noinline]] void NewRun(uint64_t d) {
    run_emitted.clear();
    emitted_gen = static_cast<uint8_t>((emitted_gen + 1) & (kGenMask >> kGenShift));
    if (emitted_gen == 0) {  // generation 0 again: forget the flags of all of them
      for (size_t p = 0; p < cache.size(); ++p) {
        if (meta[p] == 0) continue;
        CachedToken& e = cache[p];
        e.flags = static_cast<uint8_t>((e.flags & ~(kEmitted | kGenMask)) |
                                       (e.alt_id == StoryFeatures::kNoAlt ? kAltEmitted : 0));
      }
    }
    done_flags = static_cast<uint8_t>(kEmitted | emitted_gen << kGenShift);
    run_top = d;
  }

  // Whether the current document emits id: true unless a document of a lower order surely did,
  // i.e. it was emitted at all if the document is above every order seen (all of them were for
  // lower orders), else in the current run. (So a document out of order may emit a spelling
  // again, once per run: the clusterer keeps the first one in input order anyway.)
  bool Claim(uint64_t id) {
    const bool fresh = emitted.insert(id).second;
    return below ? run_emitted.insert(id).second : fresh;
  }

  static bool SameKey(const CachedToken& e, std::string_view token) {
    return e.key_len == token.size() && SameBytes(e.key, token);
  }

  // Puts the entry of meta word m (from a slot that is no longer its) at the first free slot
  // from its home.
  void Place(uint32_t m, const CachedToken& e) {
    const size_t mask = cache.size() - 1;
    size_t q = HomeOf(m, mask);
    while (meta[q] != 0) q = (q + 1) & mask;
    meta[q] = m;
    cache[q] = e;
  }

  // Doubles the table; called when it would become more than half full.
  void GrowCache() {
    std::vector<CachedToken> old(cache.size() * 2);
    std::vector<uint32_t> old_meta(meta.size() * 2);
    old.swap(cache);
    old_meta.swap(meta);
    ++cache_epoch;
    for (size_t p = 0; p < old.size(); ++p) {
      if (old_meta[p] != 0) Place(old_meta[p], old[p]);
    }
  }

  // Makes room in a full cache: keeps the tokens looked up again since they were cached or
  // since the last eviction (the frequent ones), or none if they are more than 3/4 of it.
  // Rehashes in place: each kept entry is taken out and inserted again from its home slot,
  // visiting the slots in order from an empty one, so no probe run crosses the start.
  void EvictCache() {
    ++cache_epoch;
    size_t kept = 0;
    for (uint32_t& m : meta) {
      if ((m & kHit) == 0) {
        m = 0;
      } else {
        m &= ~kHit;
        ++kept;
      }
    }
    if (kept * 4 > cache_limit * 3) {
      std::fill(meta.begin(), meta.end(), 0);
      kept = 0;
    }
    cache_count = kept;
    const size_t mask = cache.size() - 1;
    size_t start = 0;
    while (meta[start] != 0) ++start;  // the table is at most half full
    for (size_t k = 1; k <= mask; ++k) {
      const size_t p = (start + k) & mask;
      const uint32_t m = meta[p];
      if (m == 0 || HomeOf(m, mask) == p) continue;  // empty or already home
      meta[p] = 0;
      Place(m, cache[p]);  // (may put it back at p)
    }
  }

  // Whether `token` may be cached.
  static bool Cacheable(std::string_view token) {
    return !token.empty() && token.size() <= kMaxCachedToken;
  }

  // The cache entry of `token` (h = its hash), made on a miss. Requires a cache and
  // Cacheable(token).
  [[gnu::always_inline]] CachedToken* Lookup(std::string_view token, uint64_t h) {
    const uint32_t want = MetaOf(h);
    const size_t mask = cache.size() - 1;
    for (size_t p = HomeOf(want, mask);; p = (p + 1) & mask) {
      const uint32_t m = meta[p];
      if (m == 0) break;
      if ((m | kHit) == want && SameKey(cache[p], token)) {
        meta[p] = want;
        return &cache[p];
      }
    }
    return Insert(token, want & ~kHit);
  }

  // A miss of Lookup: makes room, then reads the token as ForEachTerm does.
  [[gnu::noinline]] CachedToken* Insert(std::string_view token, uint32_t m) {
    if (cache_count >= cache_limit) {
      EvictCache();
    } else if ((cache_count + 1) * 2 > cache.size()) {
      GrowCache();
    }
    const size_t mask = cache.size() - 1;
    size_t p = HomeOf(m, mask);
    while (meta[p] != 0) p = (p + 1) & mask;
    meta[p] = m;
    CachedToken& e = cache[p];
    e = CachedToken{};
    e.key_len = static_cast<uint8_t>(token.size());
    std::memcpy(e.key, token.data(), token.size());
    ++cache_count;
    const TokenInfo* ti = termizer.Find(token);
    if (ti != nullptr && !ti->months.empty()) e.flags |= kMonth;
    // TermIds(PlainTerm(token)) without looking up or testing again what is known already.
    std::string_view term, candidate;
    bool arabic;
    if (!termizer.PlainTermAndCandidate(token, ti, &term, &arabic, &candidate, &clitic_buf)) {
      e.flags |= kSkip;
    } else {
      e.term_off = static_cast<uint8_t>(term.data() - token.data());
      e.term_len = static_cast<uint8_t>(term.size());
      e.id = HashTerm(fold && arabic ? ArabicSkeleton(term, &skeleton_buf) : term);
      e.alt_id = StoryFeatures::kNoAlt;
      if (!candidate.empty()) {  // an Arabic word
        const uint64_t aid = HashTerm(fold ? ArabicSkeleton(candidate, &skeleton_buf) : candidate);
        if (aid != e.id) e.alt_id = aid;
      }
      e.flags |= done_flags & kGenMask;
      if (!emit) e.flags |= kEmitted;
      if (e.alt_id == StoryFeatures::kNoAlt) e.flags |= kAltEmitted;
    }
    return &e;
  }

  // Prefetches the home slot (meta word and entry) of a token hashed to h.
  void PrefetchSlot(uint64_t h) const {
    const size_t p = HomeOf(MetaOf(h), cache.size() - 1);
    __builtin_prefetch(&meta[p]);
    __builtin_prefetch(&cache[p]);
  }

  // out[i] = XXH3_64bits_withSeed(tok[i], seed), prefetching the home slot of each. Flattened:
  // XXH3 inlined is about twice as fast on tokens.
  [[gnu::flatten]] void HashAndPrefetch(std::span<const std::string_view> tok, uint64_t seed,
                                        uint64_t* out) {
    for (size_t k = 0; k < tok.size(); ++k) {
      out[k] = XXH3_64bits_withSeed(tok[k].data(), tok[k].size(), seed);
      PrefetchSlot(out[k]);
    }
  }

  // StoryTermizer::ForEachTerm over `tok`, each term counted in `part`. hashes[h0 + i] is the
  // hash of tok[i] (if the document uses the cache). Requires room for tok.size() more records
  // in recs.
  template <Part part>
  [[gnu::always_inline]] void AddTokens(std::span<const std::string_view> tok, size_t h0) {
    StoryTermizer::MonthState month_state;
    const bool cached = doc_cached;
    const uint64_t* hs = hashes.data() + (cached ? h0 : 0);
    size_t i = 0;
    while (i < tok.size()) {
      // The home slot of the token kPrefetchAhead on (in this part or the next) is prefetched
      // again: of the hundreds of prefetches issued before the document's lookups, those the
      // CPU could not keep in flight are lost (measured: -10% time when the body's hashes are
      // given, -2% when Featurize makes them).
      if (cached && h0 + i + kPrefetchAhead < hashes.size()) PrefetchSlot(hs[i + kPrefetchAhead]);
      const std::string_view t = tok[i];
      CachedToken* e = cached && Cacheable(t) ? Lookup(t, hs[i]) : nullptr;
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
          if (!month.empty()) Add<part>(month);
          i += len;
          continue;
        }
      }
      ++i;
      if (e != nullptr) {
        if ((e->flags & kSkip) == 0) Add<part>(*e, t);
      } else {
        std::string_view term;
        if (termizer.PlainTerm(t, ti, &term)) Add<part>(term);
      }
    }
  }

  // Turns the document's records into out->terms (sorted by id, one per id: counts summed,
  // alt_id of the first record) and emits the strings of the pending records.
  void Finish(StoryFeatures* out);
};

void StoryFeaturizerState::Finish(StoryFeatures* out) {
  // Records sorted by id, those of one id in record order: an LSD radix sort of 8-byte keys,
  // the id's bits 31..62 above the record's index, is cheaper than comparison-sorting 24-byte
  // terms (no mispredicted branches). Digits of 6 bits (64 counters are cheaper to clear and
  // sum than 256 for the ~120 records of a typical document), one pass over the keys counting
  // every digit, and only as many passes P as the size needs: 2 up to 128 records, 3 up to
  // 1024, 4 up to 8192, else 5, so that about n^2 / 2^(6P + 1) pairs (2 at those sizes) are
  // equal in the bits sorted. Those come out in record order and the (stable) insertion sort
  // after puts them right (one comparison per record otherwise).
  const size_t n = nrec;
  sort_keys.resize(n);
  if (n < (size_t{1} << 31)) {
    sort_tmp.resize(n);
    for (size_t k = 0; k < n; ++k) sort_keys[k] = (recs[k].id >> 31) << 31 | k;
    const int passes = n <= 128 ? 2 : n <= 1024 ? 3 : n <= 8192 ? 4 : 5;
    const int low = 63 - 6 * passes;
    uint32_t count[5][64] = {};
    for (uint64_t key : sort_keys) {
      for (int d = 0; d < passes; ++d) ++count[d][(key >> (low + 6 * d)) & 63];
    }
    for (int d = 0; d < passes; ++d) {
      uint32_t sum = 0;
      for (uint32_t& c : count[d]) {
        const uint32_t x = c;
        c = sum;
        sum += x;
      }
      const int shift = low + 6 * d;
      for (uint64_t key : sort_keys) sort_tmp[count[d][(key >> shift) & 63]++] = key;
      sort_keys.swap(sort_tmp);
    }
    for (uint64_t& key : sort_keys) key &= 0x7FFFFFFF;  // now the record's index
    for (size_t k = 1; k < n; ++k) {
      for (size_t j = k; j > 0 && recs[sort_keys[j]].id < recs[sort_keys[j - 1]].id; --j) {
        std::swap(sort_keys[j], sort_keys[j - 1]);
      }
    }
  } else {
    for (size_t k = 0; k < n; ++k) sort_keys[k] = k;
    std::stable_sort(sort_keys.begin(), sort_keys.end(),
                     [this](uint64_t x, uint64_t y) { return recs[x].id < recs[y].id; });
  }
  // Merge the records of each id into its first.
  const bool strings = !pending.empty();
  if (strings) first_rec.assign(n, 0);
  auto& terms = out->terms;
  terms.reserve(n);
  for (uint64_t k : sort_keys) {
    const StoryFeatures::Term& r = recs[k];
    if (!terms.empty() && terms.back().id == r.id) {
      StoryFeatures::Term& t = terms.back();
      t.title_tf = static_cast<uint16_t>(std::min(0xFFFF, t.title_tf + r.title_tf));
      t.body_tf = static_cast<uint16_t>(std::min(0xFFFF, t.body_tf + r.body_tf));
      t.lead_tf = static_cast<uint16_t>(std::min(0xFFFF, t.lead_tf + r.lead_tf));
    } else {
      terms.push_back(r);
      if (strings) first_rec[k] = 1;
    }
  }
  if (!strings) return;
  // Strings, in record order (the order the ids first occur in): a term's spelling if its id
  // was not emitted for a document of a lower order (Claim), then its clitic
  // candidate's, as at the id's first occurrence.
  for (const Pending& p : pending) {
    if (first_rec[p.rec] == 0) continue;
    const StoryFeatures::Term& r = recs[p.rec];
    if ((p.flags & kIdEmitted) == 0) emitted.prefetch(r.id);
    if ((p.flags & kAltEmitted) == 0) emitted.prefetch(r.alt_id);
  }
  for (const Pending& p : pending) {
    if (first_rec[p.rec] == 0) continue;
    const StoryFeatures::Term& r = recs[p.rec];
    if ((p.flags & kIdEmitted) == 0 && Claim(r.id)) EmitString(out, p.term, r.id);
    if ((p.flags & kAltEmitted) == 0 && Claim(r.alt_id)) {
      EmitString(out, termizer.CliticCandidate(p.term, &clitic_buf), r.alt_id);
    }
    if (p.slot != kNoSlot && p.cache_epoch == cache_epoch) {
      uint8_t& flags = cache[p.slot].flags;
      flags = static_cast<uint8_t>((flags & ~kGenMask) | done_flags);
    }
  }
}

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
  Featurize(title, body_tokens, {}, 0, state_->NextOrder(), out);
}

void StoryFeaturizer::Featurize(std::string_view title,
                                std::span<const std::string_view> body_tokens,
                                std::span<const uint64_t> body_token_hashes, uint64_t hash_seed,
                                StoryFeatures* out) {
  Featurize(title, body_tokens, body_token_hashes, hash_seed, state_->NextOrder(), out);
}

void StoryFeaturizer::Featurize(std::string_view title,
                                std::span<const std::string_view> body_tokens,
                                std::span<const uint64_t> body_token_hashes, uint64_t hash_seed,
                                uint64_t order, StoryFeatures* out) {
  using State = internal::StoryFeaturizerState;
  State& s = *state_;
  out->Clear();
  s.BeginDocument(order);
  s.analyzer.Analyze(title, &s.title_tokens);
  const size_t max_body = s.termizer.options().max_body_tokens;
  const size_t body_tokens_all = body_tokens.size();
  if (max_body != 0 && body_tokens.size() > max_body) body_tokens = body_tokens.first(max_body);
  const size_t lead = std::min(body_tokens.size(), s.termizer.options().lead_tokens);
  const size_t nt = s.title_tokens.size(), nb = body_tokens.size();
  // A new document: the records of the last one are below rec_base. doc_ref is 32 bits: when
  // this document's records might not fit below 2^32, every entry forgets its record (once
  // every 2^32 records; a document of 2^31 tokens or more does without the cache).
  const uint64_t need = uint64_t{nt} + nb + 1;  // records: at most one per token
  uint64_t base = s.rec_base + s.nrec;
  s.doc_cached = s.cache_limit != 0 && need < (uint64_t{1} << 31);
  if (s.doc_cached && base + need > UINT32_MAX) {
    for (State::CachedToken& e : s.cache) e.doc_ref = 0;
    base = 1;
  }
  s.rec_base = base;
  s.nrec = 0;
  s.pending.clear();
  if (s.recs.size() < need) s.recs.resize(need);
  if (s.doc_cached) {
    // The hashes of the tokens, and a prefetch of each one's home slot as it is known: the
    // cache is larger than the CPU caches, so the lookups find their lines loaded instead of
    // waiting for each in turn. Given body hashes are copied behind the title's so that the
    // prefetches ahead in AddTokens run on from the title into the body (reading them in place
    // measured ~1% slower on BM_FeaturizeHashed).
    s.hashes.resize(nt + nb);
    s.HashAndPrefetch(s.title_tokens, hash_seed, s.hashes.data());
    if (body_token_hashes.size() == body_tokens_all) {
      std::copy_n(body_token_hashes.begin(), nb, s.hashes.begin() + nt);
      for (size_t k = nt; k < nt + nb; ++k) s.PrefetchSlot(s.hashes[k]);
    } else {
      s.HashAndPrefetch(body_tokens, hash_seed, s.hashes.data() + nt);
    }
  }
  s.AddTokens<State::kTitle>(s.title_tokens, 0);
  s.AddTokens<State::kLead>(body_tokens.first(lead), nt);
  s.AddTokens<State::kBody>(body_tokens.subspan(lead), nt + lead);
  s.Finish(out);
}

}  // namespace nazir
