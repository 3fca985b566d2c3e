#include "nazir/engine/engine.h"

#include <set>

#include <gtest/gtest.h>

#include "nazir/cluster/verify.h"

#include "test_corpus.h"

namespace nazir {
namespace {

using testing::Join;
using testing::RandomWords;

std::unique_ptr<Engine> MakeEngine(EngineOptions o = {}) {
  auto e = Engine::Create(o);
  EXPECT_TRUE(e.ok()) << e.status();
  return std::move(*e);
}

TEST(EngineTest, SeedArticlesAreOneStoryButNotNearDuplicates) {
  const auto seed = testing::ReadSeed();
  ASSERT_EQ(seed.size(), 4u);
  auto engine = MakeEngine();
  std::set<std::string> groups;
  for (const Article& a : seed) {
    auto r = engine->Add({a.id, a.source, a.date}, a.text);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, DocStatus::kOk) << a.id;
    groups.insert(std::string(r->group));
  }
  EXPECT_EQ(groups.size(), 4u) << "the four seed articles are one story, not copies";
}

TEST(EngineTest, TruncatedCopyOfTheWireStoryJoinsIt) {
  const auto seed = testing::ReadSeed();
  ASSERT_EQ(seed.size(), 4u);
  const Article& wire = seed[0];
  ASSERT_EQ(wire.id, "seed-reuters-lavrov-shaibani");
  auto engine = MakeEngine();
  for (const Article& a : seed) ASSERT_TRUE(engine->Add({a.id, a.source, a.date}, a.text).ok());
  // An outlet republishes the first 60% of the wire text under its own
  // headline, with its own dateline.
  const std::string truncated = wire.text.substr(0, wire.text.size() * 6 / 10);
  auto r =
      engine->Add({"planted-truncated", "other-outlet", wire.date}, "دمشق - وكالات: " + truncated);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->group, wire.id);
  EXPECT_GT(r->similarity, 0.8f);
  EXPECT_EQ(r->group_size, 2u);
}

TEST(EngineTest, EmptyAndShortDocumentsAreFlaggedAndNeverGrouped) {
  auto engine = MakeEngine();
  for (int i = 0; i < 5; ++i) {
    auto e = engine->Add({"empty" + std::to_string(i), "s", 0}, "");
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->status, DocStatus::kEmpty);
    EXPECT_EQ(e->group, e->id);
    auto s = engine->Add({"short" + std::to_string(i), "s", 0}, "عاجل: انفجار في بيروت");
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->status, DocStatus::kShort);
    EXPECT_EQ(s->group, s->id);
  }
}

TEST(EngineTest, DuplicateIdAndForeignSketchAreRefused) {
  auto engine = MakeEngine();
  ASSERT_TRUE(engine->Add({"a", "", 0}, "نص").ok());
  EXPECT_EQ(engine->Add({"a", "", 0}, "نص").status().code(), absl::StatusCode::kAlreadyExists);
  SketchOptions other;
  other.seed = 12345;
  auto sk = Sketcher::Create(other);
  ASSERT_TRUE(sk.ok());
  DocSketch sketch;
  sk->Sketch("وزير الخارجية الروسي سيرغي لافروف", &sketch);
  EXPECT_EQ(engine->AddSketched({"b", "", 0}, sketch).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(EngineTest, SourceBoilerplateDoesNotMakeDuplicates) {
  std::mt19937 rng(42);
  const std::string footer = Join(RandomWords(60, rng));  // the outlet's long sign-off
  auto engine = MakeEngine();
  std::set<std::string> groups;
  for (int i = 0; i < 30; ++i) {
    const std::string body = Join(RandomWords(40, rng));
    auto r = engine->Add({"d" + std::to_string(i), "outlet-a", i}, body + " " + footer);
    ASSERT_TRUE(r.ok());
    groups.insert(std::string(r->group));
  }
  // The first few articles precede the boilerplate evidence (streaming), so
  // allow them to match each other; after that every article is its own group.
  EXPECT_GE(groups.size(), 30u - EngineOptions{}.source_boilerplate_df);
}

TEST(EngineTest, BatchAnchorsEachGroupAtItsMostConnectedArticle) {
  std::mt19937 rng(9);
  const auto words = RandomWords(300, rng);
  auto engine = MakeEngine();
  auto sk = engine->NewSketcher();
  ASSERT_TRUE(sk.ok());
  DocSketch s;
  // Input order: late copy first, original last.
  sk->Sketch(Join(words, 0, 200), &s);
  ASSERT_TRUE(engine->AddSketched({"late-excerpt", "b", 2000}, s).ok());
  sk->Sketch(Join(words), &s);
  ASSERT_TRUE(engine->AddSketched({"original", "a", 1000}, s).ok());
  sk->Sketch(Join(words, 100, 300), &s);
  ASSERT_TRUE(engine->AddSketched({"undated-excerpt", "c", DocMeta::kNoDate}, s).ok());
  engine->AssignPending();
  for (const char* id : {"late-excerpt", "original", "undated-excerpt"}) {
    auto a = engine->Lookup(id);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->group, "original") << id;
    EXPECT_EQ(a->group_size, 3u);
  }
}

// Every pair whose exact containment passes the threshold must be found by the
// candidate channels (LSH + SimHash + anchors), compared to brute force.
TEST(EngineTest, CandidateChannelsFindEveryBruteForceNearDuplicate) {
  std::mt19937 rng(1234);
  EngineOptions o;
  o.record_pairs = true;
  auto engine = MakeEngine(o);
  auto sk = engine->NewSketcher();
  ASSERT_TRUE(sk.ok());
  std::vector<std::vector<uint32_t>> keys;
  int id = 0;
  for (int story = 0; story < 40; ++story) {
    const auto words = RandomWords(150 + static_cast<int>(rng() % 400), rng);
    const int copies = 1 + static_cast<int>(rng() % 4);
    for (int c = 0; c < copies; ++c) {
      // Random excerpt with a few word edits.
      size_t from = rng() % (words.size() / 3);
      size_t to = words.size() - rng() % (words.size() / 3);
      auto w = std::vector<std::string>(words.begin() + from, words.begin() + to);
      for (int e = 0; e < 5; ++e) w[rng() % w.size()] = RandomWords(1, rng)[0];
      DocSketch s;
      sk->Sketch(Join(w), &s);
      keys.push_back(s.keys);
      ASSERT_TRUE(engine->AddSketched({"d" + std::to_string(id++), "", 0}, s).ok());
    }
  }
  engine->AssignPending();
  std::set<std::pair<uint32_t, uint32_t>> found;
  for (const auto& p : engine->pairs()) found.insert(std::minmax(p.a, p.b));
  int want = 0;
  for (uint32_t a = 0; a < keys.size(); ++a) {
    for (uint32_t b = a + 1; b < keys.size(); ++b) {
      if (IsNearDuplicate(ScorePair(keys[a], keys[b]), o.verify)) {
        ++want;
        EXPECT_TRUE(found.contains({a, b})) << a << " " << b;
      }
    }
  }
  EXPECT_GT(want, 20);
  EXPECT_EQ(found.size(), static_cast<size_t>(want)) << "only verified pairs are recorded";
}

TEST(EngineTest, RemovingAnAnchorReassignsItsMembers) {
  std::mt19937 rng(5);
  const auto words = RandomWords(200, rng);
  auto engine = MakeEngine();
  ASSERT_TRUE(engine->Add({"a", "", 1}, Join(words)).ok());
  ASSERT_TRUE(engine->Add({"b", "", 2}, Join(words, 0, 150)).ok());
  ASSERT_TRUE(engine->Add({"c", "", 3}, Join(words, 20, 180)).ok());
  EXPECT_EQ(engine->Lookup("c")->group, "a");
  ASSERT_TRUE(engine->Remove("a").ok());
  EXPECT_EQ(engine->Lookup("a").status().code(), absl::StatusCode::kNotFound);
  // b becomes the anchor (first re-assigned), c joins it.
  EXPECT_EQ(engine->Lookup("b")->group, "b");
  EXPECT_EQ(engine->Lookup("c")->group, "b");
  EXPECT_EQ(engine->Remove("a").code(), absl::StatusCode::kNotFound);
}

// Retention: RemoveBefore(cutoff) removes exactly the documents dated
// before the cutoff; a kept member whose anchor is removed gets a new group
// among the kept documents, as after Remove().
TEST(EngineTest, RemoveBeforeKeepsTheRecentDays) {
  constexpr int64_t kDay = 86400;
  std::mt19937 rng(8);
  auto engine = MakeEngine();
  EXPECT_EQ(engine->NewestDate(), DocMeta::kNoDate);
  std::vector<std::pair<std::string, int64_t>> docs;
  for (int s = 0; s < 10; ++s) {
    const auto words = RandomWords(150, rng);
    // Republished three times over 20 days, starting on day 2 * s.
    for (int c = 0; c < 3; ++c) {
      const std::string id = "s" + std::to_string(s) + "c" + std::to_string(c);
      const int64_t date = (2 * s + 10 * c) * kDay;
      ASSERT_TRUE(engine->Add({id, "", date}, Join(words, 5 * c, words.size())).ok());
      docs.emplace_back(id, date);
    }
  }
  ASSERT_TRUE(engine->Add({"undated", "", DocMeta::kNoDate}, Join(RandomWords(50, rng))).ok());
  EXPECT_EQ(engine->Lookup("s3c1")->group, "s3c0");
  EXPECT_EQ(engine->NewestDate(), 38 * kDay);
  const int64_t cutoff = 15 * kDay;
  size_t expect_removed = 0;
  for (const auto& [id, date] : docs) expect_removed += date < cutoff;
  EXPECT_EQ(engine->RemoveBefore(cutoff), expect_removed);
  for (const auto& [id, date] : docs) {
    auto a = engine->Lookup(id);
    if (date < cutoff) {
      EXPECT_EQ(a.status().code(), absl::StatusCode::kNotFound) << id;
      continue;
    }
    ASSERT_TRUE(a.ok()) << id;
    // The group's anchor is a kept document of the same republished text.
    auto anchor = engine->Lookup(a->group);
    ASSERT_TRUE(anchor.ok()) << id << " -> " << a->group;
    EXPECT_EQ(a->group.substr(0, a->group.find('c')), id.substr(0, id.find('c'))) << id;
  }
  // s3: c0 (day 6) and c1 (day 16) -> c1 kept and now anchors c2 (day 26).
  EXPECT_EQ(engine->Lookup("s3c2")->group, "s3c1");
  EXPECT_EQ(engine->Lookup("s3c1")->group, "s3c1");
  EXPECT_TRUE(engine->Lookup("undated").ok());
  EXPECT_EQ(engine->RemoveBefore(cutoff), 0u);
}

TEST(EngineTest, OptionsValidate) {
  EXPECT_TRUE(EngineOptions{}.Validate().ok());
  EngineOptions o;
  o.member_anchor_threshold = 0;
  EXPECT_EQ(o.Validate().code(), absl::StatusCode::kInvalidArgument);
  o = {};
  o.simhash_max_distance = 9;
  EXPECT_FALSE(o.Validate().ok());
  o = {};
  o.sketch.num_perm = 7;
  EXPECT_FALSE(o.Validate().ok());
  EXPECT_FALSE(Engine::Create(o).ok());
}

}  // namespace
}  // namespace nazir

namespace nazir {
namespace {

TEST(EngineStoryTest, StoryFeaturesReachTheClusterer) {
  const auto seed = testing::ReadSeed();
  ASSERT_EQ(seed.size(), 4u);
  auto e = Engine::Create({});
  ASSERT_TRUE(e.ok());
  auto sk = (*e)->NewSketcher();
  ASSERT_TRUE(sk.ok());
  ArticleSketch s;
  for (const Article& a : seed) {
    sk->Sketch(a.title, a.text, &s);
    EXPECT_GT(s.story.terms.size(), 20u) << a.id;
    ASSERT_TRUE((*e)->AddSketched({a.id, a.source, a.date, a.title}, s).ok());
  }
  (*e)->AssignPending();
  const auto stories = (*e)->Stories(8);
  ASSERT_FALSE(stories.empty());
  uint32_t total = 0;
  for (const StoryInfo& st : stories) {
    total += st.size;
    EXPECT_FALSE(st.top_terms.empty()) << st.id;
    EXPECT_FALSE(st.title.empty()) << st.id;
    EXPECT_FALSE(st.sources.empty()) << st.id;
    EXPECT_NE(st.first_date, DocMeta::kNoDate);
  }
  EXPECT_EQ(total, 4u);
  for (const Article& a : seed) {
    auto as = (*e)->Lookup(a.id);
    ASSERT_TRUE(as.ok());
    EXPECT_FALSE(as->story.empty());
  }
}

}  // namespace
}  // namespace nazir

namespace nazir {
namespace {

TEST(EngineQueryTest, QueryTellsTheGroupWithoutAdding) {
  std::mt19937 rng(31);
  const auto words = RandomWords(300, rng);
  auto engine = Engine::Create({});
  ASSERT_TRUE(engine.ok());
  ASSERT_TRUE((*engine)->Add({"wire", "agency", 1}, Join(words)).ok());
  ASSERT_TRUE((*engine)->Add({"other", "agency", 2}, Join(RandomWords(200, rng))).ok());
  const uint32_t before = (*engine)->num_slots();
  auto q = (*engine)->Query({"probe", "outlet", 3}, Join(words, 0, 180));
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->group, "wire");
  EXPECT_GT(q->similarity, 0.9f);
  EXPECT_EQ(q->status, DocStatus::kOk);
  EXPECT_EQ((*engine)->num_slots(), before) << "Query must not add";
  EXPECT_EQ((*engine)->Lookup("probe").status().code(), absl::StatusCode::kNotFound);
  auto none = (*engine)->Query({"probe2", "", 3}, Join(RandomWords(150, rng)));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->group.empty());
  auto empty = (*engine)->Query({"probe3", "", 3}, "");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->status, DocStatus::kEmpty);
  // The article, once added, joins the group Query predicted.
  auto added = (*engine)->Add({"probe", "outlet", 3}, Join(words, 0, 180));
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(added->group, "wire");
}

}  // namespace
}  // namespace nazir

namespace nazir {
namespace {

// A~B and B~C with A and C sharing nothing: in a feed, A anchors, B joins A,
// and C (a near-duplicate of B only) must not be chained into A's group.
TEST(EngineChainingTest, FeedDoesNotChainThroughMembers) {
  std::mt19937 rng(8);
  const auto words = RandomWords(400, rng);
  auto engine = Engine::Create({});
  ASSERT_TRUE(engine.ok());
  auto a = (*engine)->Add({"A", "s1", 1}, Join(words, 0, 200));
  auto b = (*engine)->Add({"B", "s2", 2}, Join(words, 90, 300));
  auto c = (*engine)->Add({"C", "s3", 3}, Join(words, 210, 400));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(b->group, "A");
  EXPECT_NE(c->group, "A") << "C shares no text with A";
}

// In a batch, every member of a group is a verified near-duplicate of the
// anchor or shares at least member_anchor_threshold of its text with it.
TEST(EngineChainingTest, BatchMembersStayCloseToTheirAnchor) {
  std::mt19937 rng(12);
  EngineOptions o;
  auto engine = Engine::Create(o);
  ASSERT_TRUE(engine.ok());
  auto sk = (*engine)->NewSketcher();
  std::vector<std::vector<uint32_t>> keys;
  int id = 0;
  for (int story = 0; story < 20; ++story) {
    const auto words = RandomWords(600, rng);
    for (int c = 0; c < 6; ++c) {  // overlapping windows: a chain of excerpts
      DocSketch s;
      sk->Sketch(Join(words, c * 80, c * 80 + 200), &s);
      keys.push_back(s.keys);
      ASSERT_TRUE((*engine)->AddSketched({"d" + std::to_string(id++), "", c}, s).ok());
    }
  }
  (*engine)->AssignPending();
  for (uint32_t slot = 0; slot < keys.size(); ++slot) {
    const Assignment a = (*engine)->AssignmentOf(slot);
    const uint32_t anchor = static_cast<uint32_t>(std::stoi(std::string(a.group.substr(1))));
    if (anchor == slot) continue;
    EXPECT_GE(ScorePair(keys[slot], keys[anchor]).containment, o.member_anchor_threshold)
        << a.id << " in group " << a.group;
  }
}

}  // namespace
}  // namespace nazir

namespace nazir {
namespace {

// A batch added to an engine that already has groups (e.g. reopened from a
// file) is assigned document by document against them.
TEST(EngineBatchTest, SecondBatchJoinsExistingGroups) {
  std::mt19937 rng(21);
  const auto words = RandomWords(300, rng);
  auto engine = Engine::Create({});
  ASSERT_TRUE(engine.ok());
  ASSERT_TRUE((*engine)->Add({"wire", "agency", 10}, Join(words)).ok());
  auto sk = (*engine)->NewSketcher();
  ASSERT_TRUE(sk.ok());
  ArticleSketch s;
  sk->Sketch("", Join(words, 0, 150), &s);
  ASSERT_TRUE((*engine)->AddSketched({"copy", "outlet", 20}, s).ok());
  sk->Sketch("", Join(RandomWords(200, rng)), &s);
  ASSERT_TRUE((*engine)->AddSketched({"unrelated", "outlet", 20}, s).ok());
  (*engine)->AssignPending();
  EXPECT_EQ((*engine)->Lookup("copy")->group, "wire");
  EXPECT_EQ((*engine)->Lookup("unrelated")->group, "unrelated");
  EXPECT_EQ((*engine)->Lookup("wire")->group_size, 2u);
}

}  // namespace
}  // namespace nazir

namespace nazir {
namespace {

// Results must not depend on the number of threads (parallel phases are
// merged in a canonical order; DF counting is sequential).
TEST(EngineBatchTest, ResultsDoNotDependOnThreads) {
  std::mt19937 rng(77);
  std::vector<std::string> texts;
  for (int story = 0; story < 30; ++story) {
    const auto words = RandomWords(200 + static_cast<int>(rng() % 300), rng);
    for (int c = 0; c < 4; ++c) texts.push_back(Join(words, rng() % 60, words.size() - rng() % 60));
  }
  std::vector<std::vector<std::string>> runs;
  for (int threads : {1, 2, 4}) {
    EngineOptions o;
    o.threads = threads;
    auto engine = Engine::Create(o);
    ASSERT_TRUE(engine.ok());
    auto sk = (*engine)->NewSketcher();
    ArticleSketch s;
    for (size_t i = 0; i < texts.size(); ++i) {
      sk->Sketch("", texts[i], &s);
      ASSERT_TRUE((*engine)
                      ->AddSketched({"d" + std::to_string(i), "s" + std::to_string(i % 5), 0}, s)
                      .ok());
    }
    (*engine)->AssignPending();
    std::vector<std::string> groups;
    for (uint32_t slot = 0; slot < (*engine)->num_slots(); ++slot) {
      const Assignment a = (*engine)->AssignmentOf(slot);
      groups.push_back(std::string(a.group) + "/" + std::string(a.story));
    }
    runs.push_back(std::move(groups));
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_EQ(runs[0], runs[2]);
}

}  // namespace
}  // namespace nazir
