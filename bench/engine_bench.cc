// Google Benchmark of the engine stages: sketching (normalize, tokenize,
// shingle, MinHash, SimHash, anchors, story features), batch assignment
// (AddSketched + AssignPending) and streaming Add, on real Arabic news.
//
//   build/bench/engine_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
// Corpus: the first 4,000 SaudiNewsNet articles when ../shared is present
// (NAZIR_SHARED_DIR), otherwise the seed articles, each also republished in 50
// truncated and edited variants. bytes/s counts article text; items/s counts
// articles. The end-to-end run over the whole corpus is bench/e2e.sh.
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "nazir/engine/engine.h"
#include "nazir/io/corpus_reader.h"

namespace nazir {
namespace {

struct Corpus {
  std::vector<Article> docs;
  int64_t bytes = 0;
};

const Corpus& GetCorpus() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus;
    std::vector<Article> batch;
    auto reader = CorpusReader::Open(std::string(NAZIR_SHARED_DIR) +
                                     "/datasets/saudinewsnet/saudinewsnet.jsonl.zst");
    if (reader.ok() && reader->NextBatch(4000, &batch, nullptr)) {
      c->docs = std::move(batch);
    } else {
      auto seed =
          CorpusReader::Open(std::string(NAZIR_SOURCE_DIR) + "/datasets/seed/seed_docs.jsonl");
      std::vector<Article> base;
      while (seed.ok() && seed->NextBatch(16, &batch, nullptr)) {
        base.insert(base.end(), batch.begin(), batch.end());
      }
      std::mt19937 rng(7);
      for (const Article& a : base) {
        c->docs.push_back(a);
        for (int v = 0; v < 50; ++v) {
          Article copy = a;
          copy.id += "-v" + std::to_string(v);
          copy.text = copy.text.substr(0, copy.text.size() * (50 + rng() % 50) / 100);
          c->docs.push_back(std::move(copy));
        }
      }
    }
    for (const Article& a : c->docs) c->bytes += static_cast<int64_t>(a.text.size());
    return c;
  }();
  return *corpus;
}

void SetCounters(benchmark::State& state, const Corpus& c) {
  state.SetBytesProcessed(state.iterations() * c.bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(c.docs.size()));
}

// Sketching one article: the parallel part of the pipeline (per thread).
void BM_Sketch(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  EngineOptions o;
  o.sketch.story_features = state.range(0) != 0;
  auto sk = Sketcher::Create(o.sketch);
  ArticleSketch out;
  for (auto _ : state) {
    for (const Article& a : c.docs) {
      sk->Sketch(a.title, a.text, &out);
      benchmark::DoNotOptimize(out.near_dup.keys.data());
    }
  }
  SetCounters(state, c);
}
BENCHMARK(BM_Sketch)->ArgName("stories")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

std::vector<ArticleSketch> SketchAll(const Corpus& c, bool stories) {
  EngineOptions o;
  o.sketch.story_features = stories;
  auto sk = Sketcher::Create(o.sketch);
  std::vector<ArticleSketch> out(c.docs.size());
  for (size_t i = 0; i < c.docs.size(); ++i) sk->Sketch(c.docs[i].title, c.docs[i].text, &out[i]);
  return out;
}

// The sequential part of a batch run: AddSketched for every article, then
// AssignPending (boilerplate, index, verification, star groups, stories).
void BM_BatchAssign(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  const bool stories = state.range(0) != 0;
  const std::vector<ArticleSketch> sketches = SketchAll(c, stories);
  EngineOptions o;
  o.stories = stories;
  o.sketch.story_features = stories;
  o.threads = 1;
  for (auto _ : state) {
    auto engine = Engine::Create(o);
    for (size_t i = 0; i < c.docs.size(); ++i) {
      const Article& a = c.docs[i];
      auto slot = (*engine)->AddSketched({a.id, a.source, a.date, a.title}, sketches[i]);
      benchmark::DoNotOptimize(slot);
    }
    (*engine)->AssignPending();
    benchmark::DoNotOptimize((*engine)->num_slots());
  }
  SetCounters(state, c);
}
BENCHMARK(BM_BatchAssign)->ArgName("stories")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// A feed: Engine::Add per article (sketch, group and story at once).
void BM_StreamingAdd(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  for (auto _ : state) {
    auto engine = Engine::Create({});
    for (const Article& a : c.docs) {
      auto r = (*engine)->Add({a.id, a.source, a.date, a.title}, a.text);
      benchmark::DoNotOptimize(r);
    }
  }
  SetCounters(state, c);
}
BENCHMARK(BM_StreamingAdd)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace nazir

BENCHMARK_MAIN();
