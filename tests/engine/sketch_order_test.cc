// Issue #13, bug 4, through the engine: articles sketched by several Sketchers, each on its own
// thread and each taking its chunks of the input in reverse (as a stealing OpenMP schedule may
// hand them out), then added in input order, must give the story report (`nazir cluster
// --stories`: ids, sizes, groups, titles, top-term spellings) and every article's story byte
// for byte as one Sketcher in input order does.
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include <gtest/gtest.h>

#include "nazir/engine/engine.h"
#include "nazir/io/corpus_reader.h"

namespace nazir {
namespace {

// Articles about 30 stories whose key words are written in several spellings of one story term
// id (a 6-letter word, and the same with an interior long vowel), with republications (the same
// text from another outlet), followed by the first SaudiNewsNet articles if the corpus is there.
std::vector<Article> Articles() {
  static constexpr std::string_view kLetters[] = {"ج", "ح", "خ", "د", "ذ", "ر", "ز", "س", "ش",
                                                  "ص", "ض", "ط", "ظ", "ع", "غ", "ق", "ث"};
  std::mt19937 rng(4);
  auto word = [&](int n) {
    std::string w;
    for (int i = 0; i < n; ++i) w += kLetters[rng() % std::size(kLetters)];
    return w;
  };
  std::vector<std::vector<std::vector<std::string>>> stories(30);
  for (auto& s : stories) {
    for (int t = 0; t < 6; ++t) {
      const std::string base = word(6);
      std::vector<std::string> spellings = {base, base, base};
      spellings[1].insert(4, "ا");
      spellings[2].insert(6, "و");
      s.push_back(spellings);
    }
  }
  std::vector<std::string> common;
  for (int i = 0; i < 300; ++i) common.push_back(word(5));
  std::vector<Article> out;
  const int64_t k2015 = 1439164800;
  for (int i = 0; i < 700; ++i) {
    Article a;
    a.id = absl::StrCat("g", i);
    a.source = absl::StrCat("outlet", i % 6);
    a.date = k2015 + i * 1800;
    if (i > 10 && rng() % 8 == 0) {  // a republication of a recent article
      const Article& from = out[out.size() - 1 - rng() % 10];
      a.title = from.title;
      a.text = from.text;
      out.push_back(std::move(a));
      continue;
    }
    const auto& s = stories[rng() % stories.size()];
    auto spell = [&] { return s[rng() % 6][rng() % 3]; };
    a.title = absl::StrCat(spell(), " ", spell(), " ", spell());
    const int words = 60 + static_cast<int>(rng() % 60);
    for (int w = 0; w < words; ++w) {
      const uint32_t r = rng() % 10;
      a.text += r < 4 ? spell() : r < 8 ? common[rng() % common.size()] : word(5);
      a.text += w % 15 == 14 ? ".\n" : " ";
    }
    out.push_back(std::move(a));
  }
  const char* env = std::getenv("SNN_PATH");
  const std::string path = env != nullptr ? env
                                          : std::string(NAZIR_SHARED_DIR) +
                                                "/datasets/saudinewsnet/saudinewsnet.jsonl.zst";
  if (auto reader = CorpusReader::Open(path); reader.ok()) {
    std::vector<Article> batch;
    const size_t want = out.size() + 1000;
    while (out.size() < want && reader->NextBatch(256, &batch, nullptr)) {
      for (Article& a : batch) {
        if (out.size() < want) out.push_back(std::move(a));
      }
    }
  }
  return out;
}

// Sketches the articles with `threads` Sketchers; chunks of `chunk` articles are dealt
// round-robin and each sketcher takes its chunks last first. threads == 0: one Sketcher, in
// input order, without positions (the reference). Then adds them in input order, groups, and
// prints the story report and each article's story.
std::string StoryReport(const std::vector<Article>& articles, int threads, size_t chunk) {
  EngineOptions o;
  o.threads = 1;
  auto e = Engine::Create(o);
  EXPECT_TRUE(e.ok()) << e.status();
  if (!e.ok()) return "";
  const size_t n = articles.size();
  std::vector<ArticleSketch> sketches(n);
  if (threads == 0) {
    auto sk = (*e)->NewSketcher();
    EXPECT_TRUE(sk.ok());
    for (size_t i = 0; i < n; ++i) sk->Sketch(articles[i].title, articles[i].text, &sketches[i]);
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        auto sk = (*e)->NewSketcher();
        ASSERT_TRUE(sk.ok());
        const size_t chunks = (n + chunk - 1) / chunk;
        for (size_t c = chunks; c-- > 0;) {
          if (c % static_cast<size_t>(threads) != static_cast<size_t>(t)) continue;
          for (size_t i = c * chunk; i < std::min(n, (c + 1) * chunk); ++i) {
            sk->Sketch(articles[i].title, articles[i].text, i, &sketches[i]);
          }
        }
      });
    }
    for (std::thread& th : pool) th.join();
  }
  for (size_t i = 0; i < n; ++i) {
    const Article& a = articles[i];
    EXPECT_TRUE((*e)->AddSketched({a.id, a.source, a.date, a.title}, sketches[i]).ok());
  }
  (*e)->AssignPending();
  // std::string_view is not absl::string_view here: no StrCat / StrJoin on them.
  std::string out;
  auto put = [&out](auto&&... parts) { ((out += parts), ...); };
  auto join = [](const std::vector<std::string_view>& v) {
    std::string j;
    for (std::string_view x : v) (j += x) += ',';
    return j;
  };
  for (const StoryInfo& s : (*e)->Stories(10)) {
    put(s.id, " size ", std::to_string(s.size), " groups ", join(s.groups), " sources ",
        join(s.sources), " dates ", std::to_string(s.first_date), "-", std::to_string(s.last_date),
        " title ", s.title, " terms ", absl::StrJoin(s.top_terms, " "), "\n");
  }
  for (const Article& a : articles) {
    auto as = (*e)->Lookup(a.id);
    EXPECT_TRUE(as.ok());
    if (as.ok()) put(a.id, " ", as->group, " ", as->story, "\n");
  }
  return out;
}

TEST(EngineSketchOrderTest, StoryReportDoesNotDependOnWhichSketcherSawWhatWhen) {
  const std::vector<Article> articles = Articles();
  const std::string want = StoryReport(articles, 0, 0);
  ASSERT_FALSE(want.empty());
  for (auto [threads, chunk] : {std::pair{1, 1}, {2, 16}, {3, 16}, {3, 5}}) {
    SCOPED_TRACE(absl::StrCat(threads, " sketchers, chunks of ", chunk, " last first"));
    const std::string got = StoryReport(articles, threads, chunk);
    if (got == want) continue;
    size_t line = 0, at = 0;
    while (at < got.size() && at < want.size() && got[at] == want[at]) line += got[at++] == '\n';
    auto line_at = [at](const std::string& r) {
      const size_t from = at == 0 ? 0 : r.rfind('\n', at - 1) + 1;  // npos + 1 = 0
      return r.substr(from, r.find('\n', from) - from);
    };
    ADD_FAILURE() << "story report differs at line " << line + 1 << ":\n  got:  " << line_at(got)
                  << "\n  want: " << line_at(want);
  }
}

}  // namespace
}  // namespace nazir
