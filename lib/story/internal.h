// Private helpers of the story module.
#ifndef NAZIR_STORY_INTERNAL_H_
#define NAZIR_STORY_INTERNAL_H_

#include <cstdint>
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

struct StoryTermTables {
  absl::flat_hash_map<std::string, TokenInfo> info;
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

// The variant skeleton (see StoryTermOptions::fold_variants) written into *buf, or `term`
// itself (buf untouched) if no rule applies.
std::string_view Skeleton(std::string_view term, std::string* buf);

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
  // Lucene ArabicStemmer: the first matching prefix is removed; then each suffix, in order, is
  // removed if it matches. Lengths are in letters (2 bytes each).
  static constexpr std::string_view kPrefixes[] = {"ال", "وال", "بال", "كال", "فال", "لل", "و"};
  static constexpr std::string_view kSuffixes[] = {"ها", "ان", "ات", "ون", "ين",
                                                   "يه", "ية", "ه",  "ة",  "ي"};
  if (is_protected(word)) return word;
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
  for (std::string_view s : kSuffixes) {
    size_t slen = s.size() / 2;
    if (len >= slen + 2 && EndsWith(word, s)) {
      word.remove_suffix(s.size());
      len -= slen;
    }
  }
  return word;
}

}  // namespace nazir::internal

#endif  // NAZIR_STORY_INTERNAL_H_
