// Throughput of ar-nd-1 normalization and tokenization on real Arabic news text.
//
// Corpus: the title and text of every article in datasets/seed/seed_docs.jsonl, processed one
// article at a time per iteration (bytes/s counts raw input bytes). The *_SaudiNewsNet variants
// use the first 2000 articles of ../shared/datasets/saudinewsnet (skipped when absent).
//
//   build-norm/bench/normalize_bench --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true
//
// BM_WhitespaceSplit is a naive baseline (split on ASCII whitespace, no normalization) so that
// ratios can be read from one run; BM_Reference* is the all-ICU implementation.
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>

#include "nazir/normalize/normalizer.h"
#include "nazir/normalize/tokenizer.h"

#include "normalize/internal.h"

namespace {

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Parses the JSON string starting at line[*i] (the opening quote); advances *i past it.
std::string ParseJsonString(std::string_view line, size_t* i) {
  std::string out;
  size_t k = *i + 1;
  while (k < line.size() && line[k] != '"') {
    if (line[k] != '\\' || k + 1 >= line.size()) {
      out.push_back(line[k++]);
      continue;
    }
    const char esc = line[k + 1];
    k += 2;
    switch (esc) {
      case 'n':
        out.push_back('\n');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'u': {
        uint32_t cp = std::stoul(std::string(line.substr(k, 4)), nullptr, 16);
        k += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && line.substr(k, 2) == "\\u") {
          const uint32_t lo = std::stoul(std::string(line.substr(k + 2, 4)), nullptr, 16);
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          k += 6;
        }
        AppendUtf8(cp, &out);
        break;
      }
      default:
        out.push_back(esc);
    }
  }
  *i = k + 1;
  return out;
}

// Title and text of each JSON line (flat objects with string values, as in the corpora).
void ExtractDocs(std::string_view line, std::vector<std::string>* docs) {
  std::string doc;
  size_t i = 0;
  while ((i = line.find('"', i)) != std::string_view::npos) {
    const std::string key = ParseJsonString(line, &i);
    while (i < line.size() && (line[i] == ' ' || line[i] == ':')) ++i;
    if (i >= line.size() || line[i] != '"') continue;
    std::string value = ParseJsonString(line, &i);
    if (key == "title" || key == "text") {
      if (!doc.empty()) doc += '\n';
      doc += value;
    }
  }
  if (!doc.empty()) docs->push_back(std::move(doc));
}

std::vector<std::string> LoadDocs(const std::string& path, bool zstd, size_t max_docs) {
  std::vector<std::string> docs;
  FILE* f = zstd ? popen(("zstd -dc '" + path + "' 2>/dev/null").c_str(), "r")
                 : std::fopen(path.c_str(), "rb");
  if (f == nullptr) return docs;
  std::string line;
  char buf[1 << 16];
  while (docs.size() < max_docs && std::fgets(buf, sizeof buf, f) != nullptr) {
    line += buf;
    if (line.back() == '\n') {
      ExtractDocs(line, &docs);
      line.clear();
    }
  }
  if (!line.empty() && docs.size() < max_docs) ExtractDocs(line, &docs);
  zstd ? pclose(f) : std::fclose(f);
  return docs;
}

const std::vector<std::string>& SeedDocs() {
  static const auto* docs =
      new std::vector<std::string>(LoadDocs(NAZIR_SOURCE_DIR "/datasets/seed/seed_docs.jsonl",
                                            /*zstd=*/false, 1000000));
  return *docs;
}

const std::vector<std::string>& SaudiDocs() {
  static const auto* docs = [] {
    const std::string path = NAZIR_SHARED_DIR "/datasets/saudinewsnet/saudinewsnet.jsonl.zst";
    if (!std::ifstream(path)) return new std::vector<std::string>();
    return new std::vector<std::string>(LoadDocs(path, /*zstd=*/true, 2000));
  }();
  return *docs;
}

const std::vector<std::string>& Corpus(int which) { return which == 0 ? SeedDocs() : SaudiDocs(); }

size_t TotalBytes(const std::vector<std::string>& docs) {
  size_t n = 0;
  for (const auto& d : docs) n += d.size();
  return n;
}

bool Ready(benchmark::State& state, const std::vector<std::string>& docs) {
  if (docs.empty()) {
    state.SkipWithError("corpus not found");
    return false;
  }
  return true;
}

void BM_NormalizeTokenize(benchmark::State& state) {
  const auto& docs = Corpus(static_cast<int>(state.range(0)));
  if (!Ready(state, docs)) return;
  auto analyzer = *nazir::TextAnalyzer::Create();
  std::vector<std::string_view> tokens;
  size_t num_tokens = 0;
  for (auto _ : state) {
    for (const auto& doc : docs) {
      analyzer.Analyze(doc, &tokens);
      num_tokens += tokens.size();
    }
    benchmark::DoNotOptimize(num_tokens);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes(docs)));
  state.counters["tokens/s"] =
      benchmark::Counter(static_cast<double>(num_tokens), benchmark::Counter::kIsRate);
}

void BM_Normalize(benchmark::State& state) {
  const auto& docs = Corpus(static_cast<int>(state.range(0)));
  if (!Ready(state, docs)) return;
  auto normalizer = *nazir::Normalizer::Create();
  std::string out;
  for (auto _ : state) {
    for (const auto& doc : docs) {
      normalizer.Normalize(doc, &out);
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes(docs)));
}

void BM_Tokenize(benchmark::State& state) {
  const auto& docs = Corpus(static_cast<int>(state.range(0)));
  if (!Ready(state, docs)) return;
  auto normalizer = *nazir::Normalizer::Create();
  auto tokenizer = *nazir::Tokenizer::Create();
  std::vector<std::string> normalized;
  size_t bytes = 0;
  for (const auto& doc : docs) {
    normalized.push_back(normalizer.Normalize(doc));
    bytes += normalized.back().size();
  }
  std::vector<std::string_view> tokens;
  for (auto _ : state) {
    for (const auto& text : normalized) {
      tokenizer.Tokenize(text, &tokens);
      benchmark::DoNotOptimize(tokens.data());
    }
  }
  // Bytes of normalized text (what the tokenizer reads).
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

// Naive baseline: split the raw text on ASCII whitespace into views.
void BM_WhitespaceSplit(benchmark::State& state) {
  const auto& docs = Corpus(static_cast<int>(state.range(0)));
  if (!Ready(state, docs)) return;
  std::vector<std::string_view> tokens;
  for (auto _ : state) {
    for (const auto& doc : docs) {
      tokens.clear();
      size_t start = 0;
      const size_t n = doc.size();
      for (size_t i = 0; i <= n; ++i) {
        const bool space =
            i == n || doc[i] == ' ' || doc[i] == '\n' || doc[i] == '\t' || doc[i] == '\r';
        if (space) {
          if (i > start) tokens.emplace_back(doc.data() + start, i - start);
          start = i + 1;
        }
      }
      benchmark::DoNotOptimize(tokens.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes(docs)));
}

// The all-ICU reference implementation (what the fast paths replace).
void BM_ReferenceNormalizeTokenize(benchmark::State& state) {
  const auto& docs = Corpus(static_cast<int>(state.range(0)));
  if (!Ready(state, docs)) return;
  auto tokenizer = *nazir::internal::ReferenceTokenizer::Create();
  std::string out;
  std::vector<std::string_view> tokens;
  for (auto _ : state) {
    for (const auto& doc : docs) {
      nazir::internal::ReferenceNormalize(doc, nazir::HamzaMode::kHamza, &out);
      tokenizer.Tokenize(out, &tokens);
      benchmark::DoNotOptimize(tokens.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes(docs)));
}

// Arg 0: seed corpus; arg 1: SaudiNewsNet (first 2000 articles).
BENCHMARK(BM_NormalizeTokenize)->ArgName("saudi")->Arg(0)->Arg(1);
BENCHMARK(BM_Normalize)->ArgName("saudi")->Arg(0)->Arg(1);
BENCHMARK(BM_Tokenize)->ArgName("saudi")->Arg(0)->Arg(1);
BENCHMARK(BM_WhitespaceSplit)->ArgName("saudi")->Arg(0)->Arg(1);
BENCHMARK(BM_ReferenceNormalizeTokenize)->ArgName("saudi")->Arg(0)->Arg(1);

}  // namespace

BENCHMARK_MAIN();
