// Story layer throughput: StoryFeaturizer::Featurize (per thread; the engine runs one per
// thread) and StoryClusterer::Assign (serial), in documents/s and input MB/s, so the cost can
// be set against the near-duplicate pipeline. Input: the first NAZIR_BENCH_DOCS (default 8000)
// articles of ../shared/datasets/saudinewsnet/saudinewsnet.jsonl.zst (SNN_PATH overrides), or
// the seed articles if it is absent. Body tokenization (done by the engine anyway) is not timed.
//
//   build-story/bench/story_bench --benchmark_min_time=2
#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "nazir/io/corpus_reader.h"
#include "nazir/normalize/tokenizer.h"
#include "nazir/story/story_clusterer.h"
#include "nazir/story/story_features.h"

namespace nazir {
namespace {

constexpr uint64_t kSeed = 0x6e617a6972;  // SketchOptions::seed

struct BenchCorpus {
  std::vector<Article> articles;
  std::vector<std::string> normalized;                // buffers the tokens point into
  std::vector<std::vector<std::string_view>> tokens;  // ar-nd-1 body tokens
  std::vector<std::vector<uint64_t>> hashes;          // HashTokens(tokens, kSeed)
  std::vector<StoryFeatures> features;
  std::vector<size_t> date_order;
  size_t bytes = 0;
};

const BenchCorpus& Corpus() {
  static const BenchCorpus* corpus = [] {
    auto* c = new BenchCorpus;
    const char* env = std::getenv("SNN_PATH");
    std::string path = env != nullptr ? env
                                      : std::string(NAZIR_SHARED_DIR) +
                                            "/datasets/saudinewsnet/saudinewsnet.jsonl.zst";
    size_t max_docs = 8000;
    if (const char* n = std::getenv("NAZIR_BENCH_DOCS")) max_docs = std::strtoul(n, nullptr, 10);
    auto reader = CorpusReader::Open(path);
    if (!reader.ok()) {
      reader = CorpusReader::Open(std::string(NAZIR_SOURCE_DIR) + "/datasets/seed/seed_docs.jsonl");
    }
    std::vector<Article> batch;
    while (reader.ok() && c->articles.size() < max_docs &&
           reader->NextBatch(1024, &batch, nullptr)) {
      for (Article& a : batch) {
        if (c->articles.size() < max_docs) c->articles.push_back(std::move(a));
      }
    }
    auto analyzer = TextAnalyzer::Create();
    auto fz = StoryFeaturizer::Create();
    for (const Article& a : c->articles) {
      std::vector<std::string_view> toks;
      analyzer->Analyze(a.text, &toks);
      c->normalized.emplace_back(analyzer->normalized());
      // Re-point the views into our own copy of the normalized text.
      const char* base = analyzer->normalized().data();
      const std::string& mine = c->normalized.back();
      for (auto& t : toks) t = std::string_view(mine.data() + (t.data() - base), t.size());
      c->tokens.push_back(std::move(toks));
      auto& h = c->hashes.emplace_back();
      for (std::string_view t : c->tokens.back()) {
        h.push_back(XXH3_64bits_withSeed(t.data(), t.size(), kSeed));  // = HashTokens
      }
      c->features.emplace_back();
      fz->Featurize(a.title, c->tokens.back(), &c->features.back());
      c->bytes += a.text.size() + a.title.size();
    }
    c->date_order.resize(c->articles.size());
    std::iota(c->date_order.begin(), c->date_order.end(), 0);
    std::stable_sort(c->date_order.begin(), c->date_order.end(),
                     [c](size_t x, size_t y) { return c->articles[x].date < c->articles[y].date; });
    return c;
  }();
  return *corpus;
}

// Featurizes the whole corpus once per iteration with one featurizer (every token cached after
// the first pass); featurize(fz, i, &f) makes document i's features.
template <typename Featurize>
void FeaturizePasses(benchmark::State& state, Featurize featurize) {
  const BenchCorpus& c = Corpus();
  auto fz = StoryFeaturizer::Create();
  StoryFeatures f;
  size_t docs = 0;
  for (auto _ : state) {
    for (size_t i = 0; i < c.articles.size(); ++i) {
      featurize(*fz, i, &f);
      benchmark::DoNotOptimize(f.terms.data());
    }
    docs += c.articles.size();
  }
  state.SetItemsProcessed(static_cast<int64_t>(docs));
  state.SetBytesProcessed(static_cast<int64_t>(c.bytes * state.iterations()));
  state.counters["docs"] = static_cast<double>(c.articles.size());
}

void BM_Featurize(benchmark::State& state) {
  const BenchCorpus& c = Corpus();
  FeaturizePasses(state, [&c](StoryFeaturizer& fz, size_t i, StoryFeatures* f) {
    fz.Featurize(c.articles[i].title, c.tokens[i], f);
  });
}
BENCHMARK(BM_Featurize)->Unit(benchmark::kMillisecond);

// BM_Featurize through the overload the engine's Sketcher calls: the body tokens' hashes are
// given (Sketch computes them anyway, so they are not timed).
void BM_FeaturizeHashed(benchmark::State& state) {
  const BenchCorpus& c = Corpus();
  FeaturizePasses(state, [&c](StoryFeaturizer& fz, size_t i, StoryFeatures* f) {
    fz.Featurize(c.articles[i].title, c.tokens[i], c.hashes[i], kSeed, f);
  });
}
BENCHMARK(BM_FeaturizeHashed)->Unit(benchmark::kMillisecond);

// The same pass with a new featurizer each time (made outside the timed region), so its token
// cache starts empty: the cost of a featurizer's first pass over a corpus, where BM_Featurize
// measures the passes after the first (every token already cached).
void BM_FeaturizeCold(benchmark::State& state) {
  const BenchCorpus& c = Corpus();
  StoryFeatures f;
  size_t docs = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto fz = StoryFeaturizer::Create();
    state.ResumeTiming();
    for (size_t i = 0; i < c.articles.size(); ++i) {
      fz->Featurize(c.articles[i].title, c.tokens[i], &f);
      benchmark::DoNotOptimize(f.terms.data());
    }
    docs += c.articles.size();
    state.PauseTiming();
    fz = absl::InvalidArgumentError("release");  // destroy outside the timed region
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(docs));
  state.SetBytesProcessed(static_cast<int64_t>(c.bytes * state.iterations()));
}
BENCHMARK(BM_FeaturizeCold)->Unit(benchmark::kMillisecond);

// CountDocument alone (the batch pass the engine runs while documents are added).
void BM_Count(benchmark::State& state) {
  const BenchCorpus& c = Corpus();
  size_t docs = 0;
  for (auto _ : state) {
    auto sc = StoryClusterer::Create();
    for (size_t i : c.date_order) sc->CountDocument(c.features[i], i % 13);
    docs += c.articles.size();
    state.PauseTiming();
    sc = absl::InvalidArgumentError("release");  // destroy outside the timed region
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(docs));
}
BENCHMARK(BM_Count)->Unit(benchmark::kMillisecond);

// Assign in date order; range(0) = 1: batch mode (CountDocument pass first, timed too);
// range(1) = 0: without the second look at final stories (absorb_threshold 0), for its cost.
void BM_Assign(benchmark::State& state) {
  const BenchCorpus& c = Corpus();
  const bool batch = state.range(0) != 0;
  StoryOptions opt;
  if (state.range(1) == 0) opt.absorb_threshold = 0;
  size_t docs = 0, stories = 0, memory = 0;
  for (auto _ : state) {
    auto sc = StoryClusterer::Create(opt);
    if (batch) {
      for (size_t i : c.date_order) sc->CountDocument(c.features[i], i % 13);
    }
    for (size_t i : c.date_order) {
      sc->Assign(static_cast<uint32_t>(i), c.features[i], c.articles[i].date,
                 static_cast<uint32_t>(i % 13), StoryClusterer::kNone);
    }
    docs += c.articles.size();
    stories = sc->num_stories();
    state.PauseTiming();
    memory = sc->MemoryUsage();
    sc = absl::InvalidArgumentError("release");  // destroy outside the timed region
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(docs));
  state.SetBytesProcessed(static_cast<int64_t>(c.bytes * state.iterations()));
  state.counters["stories"] = static_cast<double>(stories);
  state.counters["memory_MB"] = memory / 1e6;
}
BENCHMARK(BM_Assign)->Args({0, 1})->Args({1, 1})->Args({1, 0})->Unit(benchmark::kMillisecond);

// Batch mode through AssignBatch (document vectors on a second thread); the same results as
// BM_Assign/1/1. CPU time counts both threads: compare wall (real) time.
void BM_AssignBatch(benchmark::State& state) {
  const BenchCorpus& c = Corpus();
  size_t docs = 0;
  for (auto _ : state) {
    auto sc = StoryClusterer::Create();
    for (size_t i : c.date_order) sc->CountDocument(c.features[i], i % 13);
    sc->AssignBatch(c.date_order.size(), [&c](size_t k, StoryFeatures*) {
      const size_t i = c.date_order[k];
      return StoryBatchDoc{static_cast<uint32_t>(i), &c.features[i], c.articles[i].date,
                           static_cast<uint32_t>(i % 13), StoryClusterer::kNone};
    });
    docs += c.articles.size();
    state.PauseTiming();
    sc = absl::InvalidArgumentError("release");  // destroy outside the timed region
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(docs));
}
BENCHMARK(BM_AssignBatch)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();

}  // namespace
}  // namespace nazir

BENCHMARK_MAIN();
