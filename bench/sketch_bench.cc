// Throughput of the hashing hot path: token hashing, shingle combining and
// the sketches, over realistic Arabic token lists (the seed news texts split
// on ASCII spaces, cut into ~300-token documents). Buffers are allocated
// before the timed loops; steady state allocates nothing.
//
//   build-sketch/bench/sketch_bench --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true
//
// items/s counts tokens, bytes/s counts token bytes. The target is
// BM_Pipeline_Oph/128 <= 1.5x the time of BM_HashTokens (same tokens).
//
// The seed corpus is small (4 articles, 2.7k tokens): repeated every
// iteration, its data-dependent branches (XXH3's length cases, the
// densification loops) can be learnt by the branch predictor. The *_Saudi
// variants run the same pipelines over the first 100 SaudiNewsNet articles
// as the engine sees them (TextAnalyzer tokens, one document per article;
// skipped when ../shared is absent).
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>

#include "nazir/io/corpus_reader.h"
#include "nazir/normalize/tokenizer.h"
#include "nazir/shingle/shingle.h"
#include "nazir/sketch/minhash.h"
#include "nazir/sketch/shingle_set.h"
#include "nazir/sketch/simhash.h"
#include "nazir/sketch/winnow.h"

namespace nazir {
namespace {

constexpr uint64_t kSeed = 0x6e617a6972ULL;
constexpr uint32_t kShingleSize = 8;  // the engine's default (SketchOptions)
constexpr size_t kTokensPerDoc = 300;
constexpr uint32_t kWindow = 12;  // the engine's default
// SaudiNewsNet articles in the *_Saudi variants: ~40k tokens, so that their
// token bytes and views stay in L2 like a document's tokens in the engine
// (hashed right after tokenization), while being far too many for the branch
// predictor to learn.
constexpr size_t kSaudiDocs = 100;

// The seed corpus as ~300-token documents. Token views point into `storage`.
struct Corpus {
  std::vector<std::string> storage;
  std::vector<std::vector<std::string_view>> docs;
  size_t num_tokens = 0;
  size_t num_bytes = 0;
  size_t max_tokens = 0;
};

// Value of the "text" field of one JSONL line (minimal unescaping: the seed
// file is plain UTF-8 without \u escapes).
std::string TextField(const std::string& line) {
  const std::string key = "\"text\": \"";
  size_t pos = line.find(key);
  std::string out;
  if (pos == std::string::npos) return out;
  for (pos += key.size(); pos < line.size() && line[pos] != '"'; ++pos) {
    if (line[pos] == '\\' && pos + 1 < line.size()) {
      ++pos;
      out.push_back(line[pos] == 'n' ? ' ' : line[pos]);
    } else {
      out.push_back(line[pos]);
    }
  }
  return out;
}

const Corpus& GetCorpus() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus;
    std::ifstream in(NAZIR_SOURCE_DIR "/datasets/seed/seed_docs.jsonl");
    std::string line;
    while (std::getline(in, line)) c->storage.push_back(TextField(line));
    std::vector<std::string_view> all;
    for (const std::string& text : c->storage) {
      size_t start = 0;
      while (start <= text.size()) {
        size_t end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        if (end > start) all.emplace_back(text.data() + start, end - start);
        start = end + 1;
      }
    }
    for (size_t i = 0; i < all.size(); i += kTokensPerDoc) {
      const size_t end = i + kTokensPerDoc < all.size() ? i + kTokensPerDoc : all.size();
      c->docs.emplace_back(all.begin() + static_cast<std::ptrdiff_t>(i),
                           all.begin() + static_cast<std::ptrdiff_t>(end));
      c->max_tokens = std::max(c->max_tokens, end - i);
    }
    for (const auto& d : c->docs) {
      c->num_tokens += d.size();
      for (std::string_view t : d) c->num_bytes += t.size();
    }
    return c;
  }();
  return *corpus;
}

// The first kSaudiDocs SaudiNewsNet articles, title and text normalized and
// tokenized by TextAnalyzer, one document per article (empty when the corpus
// is absent).
const Corpus& GetSaudiCorpus() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus;
    auto reader =
        CorpusReader::Open(NAZIR_SHARED_DIR "/datasets/saudinewsnet/saudinewsnet.jsonl.zst");
    auto analyzer = TextAnalyzer::Create();
    if (!reader.ok() || !analyzer.ok()) return c;
    std::vector<Article> batch;
    std::vector<std::string_view> tokens;
    std::vector<std::vector<size_t>> lengths;
    while (c->storage.size() < kSaudiDocs &&
           reader->NextBatch(kSaudiDocs - c->storage.size(), &batch, nullptr)) {
      for (const Article& a : batch) {
        analyzer->Analyze(a.title + "\n" + a.text, &tokens);
        if (tokens.empty()) continue;
        std::string joined;
        lengths.emplace_back();
        for (std::string_view t : tokens) {
          joined += t;
          lengths.back().push_back(t.size());
        }
        c->storage.push_back(std::move(joined));
      }
    }
    // Views are taken once every string is in place.
    for (size_t d = 0; d < c->storage.size(); ++d) {
      std::vector<std::string_view> doc;
      size_t at = 0;
      for (size_t len : lengths[d]) {
        doc.emplace_back(c->storage[d].data() + at, len);
        at += len;
      }
      c->max_tokens = std::max(c->max_tokens, doc.size());
      c->num_tokens += doc.size();
      c->num_bytes += at;
      c->docs.push_back(std::move(doc));
    }
    return c;
  }();
  return *corpus;
}

// Per-benchmark scratch, sized once for the largest document.
struct Scratch {
  explicit Scratch(const Corpus& c, uint32_t num_perm = 128)
      : token_hashes(c.max_tokens), shingles(c.max_tokens), sig(num_perm) {
    keys.reserve(c.max_tokens);
    anchors.reserve(c.max_tokens);
  }
  std::vector<uint64_t> token_hashes;
  std::vector<uint64_t> shingles;
  std::vector<uint32_t> sig;
  std::vector<uint32_t> keys;
  std::vector<uint32_t> anchors;
};

// Hashes and shingles doc `d` into scratch; returns the shingle span.
std::span<const uint64_t> HashAndCombine(const std::vector<std::string_view>& d, Scratch& s) {
  std::span<uint64_t> th(s.token_hashes.data(), d.size());
  HashTokens(d, kSeed, th);
  std::span<uint64_t> sh(s.shingles.data(), NumShingles(d.size(), kShingleSize));
  CombineShingles(th, kShingleSize, sh);
  return sh;
}

// Precomputed shingles of every document, for kernel-only benchmarks.
std::vector<std::vector<uint64_t>> AllShingles(const Corpus& c) {
  std::vector<std::vector<uint64_t>> out;
  Scratch s(c);
  for (const auto& d : c.docs) {
    const auto sh = HashAndCombine(d, s);
    out.emplace_back(sh.begin(), sh.end());
  }
  return out;
}

bool Ready(benchmark::State& state, const Corpus& c) {
  if (c.docs.empty()) {
    state.SkipWithError("corpus missing or empty (datasets/seed, or ../shared for *_Saudi)");
    return false;
  }
  return true;
}

void SetCounters(benchmark::State& state, const Corpus& c) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * c.num_tokens));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.num_bytes));
  state.counters["docs"] = static_cast<double>(c.docs.size());
}

// (1) Baseline: XXH3 over every token, nothing else. Each benchmark runs on
// the seed texts and, as *_Saudi, on SaudiNewsNet (see the header).
using CorpusFn = const Corpus& (*)();

template <CorpusFn Get>
void BM_HashTokens(benchmark::State& state) {
  const Corpus& c = Get();
  if (!Ready(state, c)) return;
  Scratch s(c);
  for (auto _ : state) {
    for (const auto& d : c.docs) {
      HashTokens(d, kSeed, std::span<uint64_t>(s.token_hashes.data(), d.size()));
      benchmark::DoNotOptimize(s.token_hashes.data());
    }
    benchmark::ClobberMemory();
  }
  SetCounters(state, c);
}
BENCHMARK(BM_HashTokens<GetCorpus>)->Name("BM_HashTokens");
BENCHMARK(BM_HashTokens<GetSaudiCorpus>)->Name("BM_HashTokens_Saudi");

// HashTokens + CombineShingles(n = kShingleSize).
void BM_HashAndCombine(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  if (!Ready(state, c)) return;
  Scratch s(c);
  for (auto _ : state) {
    for (const auto& d : c.docs) benchmark::DoNotOptimize(HashAndCombine(d, s).data());
    benchmark::ClobberMemory();
  }
  SetCounters(state, c);
}
BENCHMARK(BM_HashAndCombine);

// (2), (3) The hashing loop with OPH (k = arg); (4) classic k-hash MinHash on
// the same pipeline, for comparison.
template <typename Hasher, CorpusFn Get = GetCorpus>
void BM_Pipeline(benchmark::State& state) {
  const Corpus& c = Get();
  if (!Ready(state, c)) return;
  const auto k = static_cast<uint32_t>(state.range(0));
  const Hasher hasher = Hasher::Create({.num_perm = k}).value();
  Scratch s(c, k);
  for (auto _ : state) {
    for (const auto& d : c.docs) {
      hasher.Sketch(HashAndCombine(d, s), s.sig);
      benchmark::DoNotOptimize(s.sig.data());
    }
    benchmark::ClobberMemory();
  }
  SetCounters(state, c);
}
BENCHMARK(BM_Pipeline<OphMinHasher>)->Name("BM_Pipeline_Oph")->Arg(128)->Arg(256);
BENCHMARK(BM_Pipeline<ClassicMinHasher>)->Name("BM_Pipeline_Classic")->Arg(128);
BENCHMARK(BM_Pipeline<OphMinHasher, GetSaudiCorpus>)->Name("BM_Pipeline_Oph_Saudi")->Arg(128);

// (5) SimHash64, same pipeline.
void BM_Pipeline_SimHash(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  if (!Ready(state, c)) return;
  Scratch s(c);
  for (auto _ : state) {
    for (const auto& d : c.docs) benchmark::DoNotOptimize(SimHash64(HashAndCombine(d, s), kSeed));
  }
  SetCounters(state, c);
}
BENCHMARK(BM_Pipeline_SimHash);

// (6) SortedShingleKeys + WinnowAnchors(window kWindow), same pipeline.
template <CorpusFn Get>
void BM_Pipeline_KeysAndWinnow(benchmark::State& state) {
  const Corpus& c = Get();
  if (!Ready(state, c)) return;
  Scratch s(c);
  for (auto _ : state) {
    for (const auto& d : c.docs) {
      const auto sh = HashAndCombine(d, s);
      SortedShingleKeys(sh, &s.keys);
      WinnowAnchors(sh, kWindow, &s.anchors);
      benchmark::DoNotOptimize(s.keys.data());
      benchmark::DoNotOptimize(s.anchors.data());
    }
    benchmark::ClobberMemory();
  }
  SetCounters(state, c);
}
BENCHMARK(BM_Pipeline_KeysAndWinnow<GetCorpus>)->Name("BM_Pipeline_KeysAndWinnow");
BENCHMARK(BM_Pipeline_KeysAndWinnow<GetSaudiCorpus>)->Name("BM_Pipeline_KeysAndWinnow_Saudi");

// Kernel-only variants over precomputed shingles (items/s still counts the
// tokens the shingles came from, so rates compare with the pipelines).
void BM_Kernel_Oph(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  if (!Ready(state, c)) return;
  const auto all = AllShingles(c);
  const auto k = static_cast<uint32_t>(state.range(0));
  const OphMinHasher oph = OphMinHasher::Create({.num_perm = k}).value();
  std::vector<uint32_t> sig(k);
  for (auto _ : state) {
    for (const auto& sh : all) {
      oph.Sketch(sh, sig);
      benchmark::DoNotOptimize(sig.data());
    }
    benchmark::ClobberMemory();
  }
  SetCounters(state, c);
}
BENCHMARK(BM_Kernel_Oph)->Arg(128)->Arg(256);

void BM_Kernel_Classic(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  if (!Ready(state, c)) return;
  const auto all = AllShingles(c);
  const ClassicMinHasher classic = ClassicMinHasher::Create({.num_perm = 128}).value();
  std::vector<uint32_t> sig(128);
  for (auto _ : state) {
    for (const auto& sh : all) {
      classic.Sketch(sh, sig);
      benchmark::DoNotOptimize(sig.data());
    }
    benchmark::ClobberMemory();
  }
  SetCounters(state, c);
}
BENCHMARK(BM_Kernel_Classic);

void BM_Kernel_SimHash(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  if (!Ready(state, c)) return;
  const auto all = AllShingles(c);
  for (auto _ : state) {
    for (const auto& sh : all) benchmark::DoNotOptimize(SimHash64(sh, kSeed));
  }
  SetCounters(state, c);
}
BENCHMARK(BM_Kernel_SimHash);

void BM_Kernel_KeysAndWinnow(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  if (!Ready(state, c)) return;
  const auto all = AllShingles(c);
  Scratch s(c);
  for (auto _ : state) {
    for (const auto& sh : all) {
      SortedShingleKeys(sh, &s.keys);
      WinnowAnchors(sh, kWindow, &s.anchors);
      benchmark::DoNotOptimize(s.keys.data());
      benchmark::DoNotOptimize(s.anchors.data());
    }
    benchmark::ClobberMemory();
  }
  SetCounters(state, c);
}
BENCHMARK(BM_Kernel_KeysAndWinnow);

}  // namespace
}  // namespace nazir

BENCHMARK_MAIN();
