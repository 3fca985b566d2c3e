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
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>

#include "nazir/io/corpus_reader.h"
#include "nazir/normalize/normalizer.h"
#include "nazir/normalize/tokenizer.h"

#include "normalize/internal.h"

namespace {

// Title and text of each article ("title\ntext"), read with nazir's own JSONL
// reader (which also decompresses .zst).
std::vector<std::string> LoadDocs(const std::string& path, size_t max_docs) {
  std::vector<std::string> docs;
  auto reader = nazir::CorpusReader::Open(path);
  if (!reader.ok()) return docs;
  std::vector<nazir::Article> batch;
  while (docs.size() < max_docs && reader->NextBatch(max_docs - docs.size(), &batch, nullptr)) {
    for (nazir::Article& a : batch) {
      std::string doc = std::move(a.title);
      if (!doc.empty() && !a.text.empty()) doc += '\n';
      doc += a.text;
      if (!doc.empty()) docs.push_back(std::move(doc));
    }
  }
  return docs;
}

const std::vector<std::string>& SeedDocs() {
  static const auto* docs = new std::vector<std::string>(
      LoadDocs(NAZIR_SOURCE_DIR "/datasets/seed/seed_docs.jsonl", 1000000));
  return *docs;
}

const std::vector<std::string>& SaudiDocs() {
  static const auto* docs = [] {
    const std::string path = NAZIR_SHARED_DIR "/datasets/saudinewsnet/saudinewsnet.jsonl.zst";
    if (!std::ifstream(path)) return new std::vector<std::string>();
    return new std::vector<std::string>(LoadDocs(path, 2000));
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
