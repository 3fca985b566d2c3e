// The index module's hot loops: document-frequency counting (DfSketch) as the
// batch run uses it — AddDocument for every document while sketching, then
// CountMany for every document to flag boilerplate.
//
// Keys are synthetic (uniform 32-bit, as shingle keys are hashes), with the
// shape of SaudiNewsNet: 31,030 documents of ~275 unique keys in 14 sources,
// counted into 2^25 counters as `nazir cluster` sizes it for that corpus
// (2^22 fits in the L3 cache of the machines we measure on, for comparison).
#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "nazir/index/df_sketch.h"

namespace {

struct Corpus {
  std::vector<std::vector<uint32_t>> docs;
  std::vector<uint32_t> source;
  size_t keys = 0;
};

const Corpus& GetCorpus() {
  static const Corpus corpus = [] {
    Corpus c;
    std::mt19937_64 rng(42);
    std::geometric_distribution<int> len(1.0 / 275);
    // 2% of each document's keys come from a small shared pool: boilerplate
    // and republished text that hit the same counters again.
    std::vector<uint32_t> pool(20000);
    for (uint32_t& k : pool) k = static_cast<uint32_t>(rng());
    for (int d = 0; d < 31030; ++d) {
      std::vector<uint32_t> keys(static_cast<size_t>(std::min(len(rng) + 8, 20000)));
      for (uint32_t& k : keys) {
        k = rng() % 50 == 0 ? pool[rng() % pool.size()] : static_cast<uint32_t>(rng());
      }
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      c.keys += keys.size();
      c.docs.push_back(std::move(keys));
      c.source.push_back(1 + static_cast<uint32_t>(rng() % 14));
    }
    return c;
  }();
  return corpus;
}

void BM_DfAddDocument(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  for (auto _ : state) {
    state.PauseTiming();
    nazir::DfSketch df(static_cast<int>(state.range(0)));
    state.ResumeTiming();
    for (size_t d = 0; d < c.docs.size(); ++d) df.AddDocument(c.docs[d], c.source[d]);
    benchmark::DoNotOptimize(df.num_documents());
  }
  state.SetItemsProcessed(static_cast<int64_t>(c.keys) * state.iterations());
}
BENCHMARK(BM_DfAddDocument)
    ->ArgName("log2_width")
    ->Arg(22)
    ->Arg(24)
    ->Arg(25)
    ->Unit(benchmark::kMillisecond);

void BM_DfCountMany(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  nazir::DfSketch df(static_cast<int>(state.range(0)));
  for (size_t d = 0; d < c.docs.size(); ++d) df.AddDocument(c.docs[d], c.source[d]);
  std::vector<uint32_t> overall(20000), in_group(20000);
  for (auto _ : state) {
    uint64_t sum = 0;
    for (size_t d = 0; d < c.docs.size(); ++d) {
      const size_t n = c.docs[d].size();
      df.CountMany(c.docs[d], c.source[d], std::span(overall).first(n),
                   std::span(in_group).first(n));
      sum += overall[0] + in_group[n - 1];
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<int64_t>(c.keys) * state.iterations());
}
BENCHMARK(BM_DfCountMany)
    ->ArgName("log2_width")
    ->Arg(22)
    ->Arg(24)
    ->Arg(25)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
