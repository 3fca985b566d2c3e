// Private helpers of the story module.
#ifndef NAZIR_STORY_INTERNAL_H_
#define NAZIR_STORY_INTERNAL_H_

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace nazir::internal {

struct MonthName {
  std::string_view phrase;  // one or two words, ordinary spelling
  int month;                // 1..12
  bool ambiguous;           // maps only in date context (spec §5.1 rule 2)
};
std::span<const MonthName> MonthNames();

// A month phrase after ar-nd-1, keyed by its first token.
struct MonthEntry {
  std::string second;  // second token, empty for one-token names
  int month;
  bool ambiguous;
};

struct TokenInfo {
  bool stop = false;
  bool protect = false;
  std::vector<MonthEntry> months;  // phrases starting with this token, two-token ones first
};

// A string of length len as two words: for len >= 8 its first and last 8 bytes, for 4..7 its
// first and last 4, for 1..3 its bytes 0, len/2 and len-1. Together with len they are the whole
// string when len <= 16.
struct WordKey {
  uint64_t head, tail;
  size_t len;

  static WordKey Of(std::string_view s) {
    const char* p = s.data();
    const size_t n = s.size();
    WordKey k{0, 0, n};
    if (n >= 8) {
      std::memcpy(&k.head, p, 8);
      std::memcpy(&k.tail, p + n - 8, 8);
    } else if (n >= 4) {
      uint32_t a, b;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + n - 4, 4);
      k.head = a;
      k.tail = b;
    } else if (n > 0) {
      k.head = static_cast<uint8_t>(p[0]) | static_cast<uint64_t>(static_cast<uint8_t>(p[n / 2]))
                                                << 8;
      k.tail = static_cast<uint8_t>(p[n - 1]);
    }
    return k;
  }
};

// The hash of WordTable: a mix of a WordKey (bytes beyond a long word's first and last 8 do
// not enter it).
struct WordKeyHash {
  uint64_t operator()(const WordKey& k) const {
    uint64_t h = (k.head ^ 0x9E3779B97F4A7C15u) * 0xBF58476D1CE4E5B9u;
    h ^= ((k.tail ^ (uint64_t{k.len} << 56)) + 0x632BE59BD9B4E019u) * 0x94D049BB133111EBu;
    h ^= h >> 31;
    h *= 0xD6E8FEB86659FD93u;
    return h ^ (h >> 32);
  }
};

// Whether the token.size() bytes at `key` are `token`'s: compares 8-byte words (the last one
// overlapping the one before; under 8 bytes, two 4-byte words or single bytes) without a call to
// memcmp. Reads only key[0, token.size()) and the token's bytes.
inline bool SameBytes(const char* key, std::string_view token) {
  auto load64 = [](const char* p) {
    uint64_t x;
    std::memcpy(&x, p, 8);
    return x;
  };
  auto load32 = [](const char* p) {
    uint32_t x;
    std::memcpy(&x, p, 4);
    return x;
  };
  const size_t n = token.size();
  const char* b = token.data();
  if (n >= 8) {
    uint64_t diff = load64(key + n - 8) ^ load64(b + n - 8);
    for (size_t i = 0; i + 8 < n; i += 8) diff |= load64(key + i) ^ load64(b + i);
    return diff == 0;
  }
  if (n >= 4) return ((load32(key) ^ load32(b)) | (load32(key + n - 4) ^ load32(b + n - 4))) == 0;
  return n == 0 || (key[0] == b[0] && key[n / 2] == b[n / 2] && key[n - 1] == b[n - 1]);
}

// The normalized list words (stopwords, protected terms, first tokens of month phrases) and
// their TokenInfo, for the exact lookups of StoryTermizer::Find: a few hundred short words,
// looked up 2-6 times per token the featurizer has not cached (the token, its stems, its
// clitic candidate). An open-addressing table (linear probing, at most 1/4 full) of 4-byte
// slots (tag bits of the word's hash | word index + 1) over entries that hold the word's
// WordKey: Find hashes the token's two key words (no loop over its bytes), usually stops at an
// empty slot, and on a tag match compares the entry's key (and, for tokens longer than 16
// bytes, the bytes between its head and tail), so it finds exactly the list words whatever the
// hash. Hash is a template parameter so that tests can make every word collide.
// Immutable after construction; thread-safe to read.
template <typename Hash>
class BasicWordTable {
 public:
  BasicWordTable() : slots_(1, 0) {}
  explicit BasicWordTable(const absl::flat_hash_map<std::string, TokenInfo>& words) {
    size_t nslots = 8;
    while (nslots < 4 * words.size()) nslots *= 2;
    uint32_t index_mask = 1;
    while (index_mask < words.size() + 1) index_mask = index_mask * 2 + 1;
    index_mask_ = index_mask;
    slots_.assign(nslots, 0);
    slot_mask_ = nslots - 1;
    entries_.reserve(words.size());
    infos_.reserve(words.size());
    for (const auto& [word, info] : words) {
      const WordKey k = WordKey::Of(word);
      entries_.push_back(
          {k.head, k.tail, static_cast<uint32_t>(k.len), static_cast<uint32_t>(bytes_.size())});
      infos_.push_back(info);
      bytes_ += word;
      const uint64_t h = Hash()(k);
      size_t p = h & slot_mask_;
      while (slots_[p] != 0) p = (p + 1) & slot_mask_;
      slots_[p] =
          (static_cast<uint32_t>(h >> 32) & ~index_mask_) | static_cast<uint32_t>(entries_.size());
    }
  }

  // The entry of `token`, or nullptr.
  const TokenInfo* Find(std::string_view token) const {
    const WordKey k = WordKey::Of(token);
    const uint64_t h = Hash()(k);
    const uint32_t tag = static_cast<uint32_t>(h >> 32) & ~index_mask_;
    for (size_t p = h & slot_mask_;; p = (p + 1) & slot_mask_) {
      const uint32_t s = slots_[p];
      if (s == 0) return nullptr;
      if ((s & ~index_mask_) == tag) {
        const size_t i = (s & index_mask_) - 1;
        const Entry& e = entries_[i];
        if (e.len == k.len && e.head == k.head && e.tail == k.tail &&
            (k.len <= 16 ||
             std::memcmp(bytes_.data() + e.off + 8, token.data() + 8, k.len - 16) == 0)) {
          return &infos_[i];
        }
      }
    }
  }

  size_t size() const { return infos_.size(); }

 private:
  struct Entry {
    uint64_t head, tail;  // WordKey
    uint32_t len, off;    // the word is bytes_.substr(off, len)
  };
  std::vector<uint32_t> slots_;  // size a power of 2; 0 = empty
  uint32_t index_mask_ = 0;      // low bits of a slot: entry index + 1
  size_t slot_mask_ = 0;
  std::vector<Entry> entries_;
  std::vector<TokenInfo> infos_;  // parallel to entries_
  std::string bytes_;
};
using WordTable = BasicWordTable<WordKeyHash>;

struct StoryTermTables {
  WordTable words;
};

// UTF-8 helpers for ar-nd-1 tokens.
// True if every code point of `s` is an Arabic letter (U+0620..U+06FF minus digits and
// punctuation), i.e. the token is a word the light stemmer may touch. All such code points are
// two bytes in UTF-8.
bool IsArabicWord(std::string_view s);

// Lucene ArabicStemmer on an Arabic word; `is_protected` is consulted on the word and again
// after prefix removal. Returns a substring of `word`.
template <typename IsProtected>
std::string_view LightStem(std::string_view word, IsProtected is_protected);

// LightStem for a caller that knows whether `word` is protected (word_protected; is_protected
// is consulted only after prefix removal). *stem_protected: 1 if the result is protected, 0 if
// it is not, -1 if not known (suffixes were removed and the result was not looked up).
template <typename IsProtected>
std::string_view LightStemKnown(std::string_view word, bool word_protected,
                                IsProtected is_protected, int* stem_protected);

// The variant skeleton (see StoryTermOptions::fold_variants) written into *buf, or `term`
// itself (buf untouched) if no rule applies.
std::string_view Skeleton(std::string_view term, std::string* buf);
// Skeleton of a term known to be an Arabic word (IsArabicWord(term)).
std::string_view ArabicSkeleton(std::string_view term, std::string* buf);

// 63-bit id of a term spelling.
uint64_t HashTerm(std::string_view term);

// ---- implementation of the template ----

inline bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
inline bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

template <typename IsProtected>
std::string_view LightStem(std::string_view word, IsProtected is_protected) {
  int stem_protected;
  return LightStemKnown(word, is_protected(word), is_protected, &stem_protected);
}

template <typename IsProtected>
std::string_view LightStemKnown(std::string_view word, bool word_protected,
                                IsProtected is_protected, int* stem_protected) {
  // Lucene ArabicStemmer: the first matching prefix is removed; then each suffix, in order, is
  // removed if it matches. Lengths are in letters (2 bytes each).
  static constexpr std::string_view kPrefixes[] = {"ال", "وال", "بال", "كال", "فال", "لل", "و"};
  static constexpr std::string_view kSuffixes[] = {"ها", "ان", "ات", "ون", "ين",
                                                   "يه", "ية", "ه",  "ة",  "ي"};
  *stem_protected = 1;
  if (word_protected) return word;
  size_t len = word.size() / 2;
  for (std::string_view p : kPrefixes) {
    size_t plen = p.size() / 2;
    bool ok = plen == 1 ? len >= 4 : len >= plen + 2;
    if (ok && StartsWith(word, p)) {
      word.remove_prefix(p.size());
      len -= plen;
      if (is_protected(word)) return word;
      break;
    }
  }
  *stem_protected = 0;
  for (std::string_view s : kSuffixes) {
    size_t slen = s.size() / 2;
    if (len >= slen + 2 && EndsWith(word, s)) {
      word.remove_suffix(s.size());
      len -= slen;
      *stem_protected = -1;
    }
  }
  return word;
}

}  // namespace nazir::internal

#endif  // NAZIR_STORY_INTERNAL_H_
