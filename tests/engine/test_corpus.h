// Helpers for engine tests: the bundled seed corpus and synthetic Arabic-like
// articles with planted republications.
#ifndef NAZIR_TESTS_ENGINE_TEST_CORPUS_H_
#define NAZIR_TESTS_ENGINE_TEST_CORPUS_H_

#include <random>
#include <string>
#include <vector>

#include "nazir/io/corpus_reader.h"

namespace nazir::testing {

inline std::vector<Article> ReadSeed() {
  auto reader =
      CorpusReader::Open(std::string(NAZIR_SOURCE_DIR) + "/datasets/seed/seed_docs.jsonl");
  std::vector<Article> all, batch;
  if (!reader.ok()) return all;
  while (reader->NextBatch(100, &batch, nullptr)) {
    for (auto& a : batch) all.push_back(std::move(a));
  }
  return all;
}

// A random "article" of n words over a vocabulary of Arabic-looking words.
inline std::vector<std::string> RandomWords(int n, std::mt19937& rng) {
  static const char* kLetters[] = {"ا", "ب", "ت", "ث", "ج", "ح", "خ", "د", "ر", "س", "ش",
                                   "ص", "ع", "ف", "ق", "ك", "ل", "م", "ن", "ه", "و", "ي"};
  std::vector<std::string> words;
  for (int i = 0; i < n; ++i) {
    std::string w;
    const int len = 2 + static_cast<int>(rng() % 5);
    for (int j = 0; j < len; ++j) w += kLetters[rng() % 22];
    words.push_back(w);
  }
  return words;
}

inline std::string Join(const std::vector<std::string>& words, size_t from = 0,
                        size_t to = std::string::npos) {
  std::string s;
  to = std::min(to, words.size());
  for (size_t i = from; i < to; ++i) {
    if (!s.empty()) s += ' ';
    s += words[i];
  }
  return s;
}

}  // namespace nazir::testing

#endif  // NAZIR_TESTS_ENGINE_TEST_CORPUS_H_
