// Helpers shared by the normalize tests: golden-vector parsing and corpus loading.
#ifndef NAZIR_TESTS_NORMALIZE_TEST_UTIL_H_
#define NAZIR_TESTS_NORMALIZE_TEST_UTIL_H_

#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace nazir::testing {

struct GoldenRow {
  int line = 0;
  std::string name;
  std::string input;                // unescaped
  std::string expected_normalized;  // unescaped
  std::vector<std::string> expected_tokens;
};

// Turns \uXXXX and \UXXXXXXXX into UTF-8 (spec §7.1); other text is copied.
std::string Unescape(std::string_view s);

// Parses tests/golden/test_vectors.tsv (header line skipped, TAB-separated, no quoting).
// Returns false with *error set if the file cannot be read or a row is malformed.
bool LoadGolden(const std::string& path, std::vector<GoldenRow>* rows, std::string* error);

// Reads the "title" and "text" string fields of every JSON line of `path` (plain JSONL, or
// zstd-compressed when the path ends in .zst: decompressed with `zstd -dc`). Stops after
// `max_docs` lines. Returns false if the file is missing or unreadable.
bool LoadJsonlTexts(const std::string& path, size_t max_docs, std::vector<std::string>* texts);

// A random string of `items` pieces drawn from a nasty alphabet: Arabic letters, harakat, U+0653..
// U+0655, tatweel, bidi controls, ZWNJ/ZWJ/ZWSP, digits of several systems, presentation forms,
// Latin (upper, lower, accented, combining marks), emoji and flags, controls, Unicode spaces,
// punctuation, URL/handle/hashtag fragments, Hebrew, Devanagari, Thai, CJK. Valid UTF-8.
std::string NastyString(std::mt19937_64& rng, size_t items);

// Like NastyString but restricted to the tokenizer's fast alphabet (ASCII letters, digits,
// punctuation, spaces, Arabic letters) plus, with probability `slow_rate` per item, a code point
// outside it.
std::string FastAlphabetString(std::mt19937_64& rng, size_t items, double slow_rate);

// Appends the UTF-8 encoding of `cp`.
void AppendUtf8(uint32_t cp, std::string* out);

// Joins tokens with single spaces (the golden file's format).
std::string JoinTokens(const std::vector<std::string_view>& tokens);

// The seed corpus shipped with the repository.
inline std::string SeedCorpusPath() { return NAZIR_SOURCE_DIR "/datasets/seed/seed_docs.jsonl"; }
inline std::string SaudiNewsNetPath() {
  return NAZIR_SHARED_DIR "/datasets/saudinewsnet/saudinewsnet.jsonl.zst";
}

}  // namespace nazir::testing

#endif  // NAZIR_TESTS_NORMALIZE_TEST_UTIL_H_
