// StoryClusterer's public API (see nazir/story/story_clusterer.h) over its state
// (story/internal/state.h), and the assignment step that runs the stages for one document:
// Cluster (candidates, join or new story, merges, refinement, sweep) and AssignBatch's
// two-thread pipeline.
#include "nazir/story/story_clusterer.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "nazir/base/check.h"
#include "nazir/base/status.h"

#include "story/internal/state.h"

namespace nazir {

using internal::Story;
using internal::StoryClustererState;

StoryClusterer::StoryClusterer(std::unique_ptr<internal::StoryClustererState> state)
    : state_(std::move(state)) {}
StoryClusterer::StoryClusterer(StoryClusterer&&) noexcept = default;
StoryClusterer& StoryClusterer::operator=(StoryClusterer&&) noexcept = default;
StoryClusterer::~StoryClusterer() = default;

absl::StatusOr<StoryClusterer> StoryClusterer::Create(const StoryOptions& options) {
  NAZIR_RETURN_IF_ERROR(options.Validate());
  return StoryClusterer(std::make_unique<StoryClustererState>(options));
}

const StoryOptions& StoryClusterer::options() const { return state_->opt; }

void StoryClusterer::CountDocument(const StoryFeatures& f, uint32_t source) {
  state_->Count(f, source);
  state_->StoreStrings(f);
  ++state_->pending_counted;
}

uint32_t StoryClusterer::Assign(uint32_t slot, const StoryFeatures& f, int64_t date,
                                uint32_t source, uint32_t nd_group_story) {
  StoryClustererState& s = *state_;
  if (s.slot_story.size() <= slot) s.slot_story.resize(size_t{slot} + 1, kNone);
  NAZIR_CHECK(s.slot_story[slot] == kNone);
  bool final_df = s.pending_counted > 0;
  if (final_df) {
    --s.pending_counted;  // counted, spellings stored, by CountDocument
  } else {
    s.Count(f, source);
    s.StoreStrings(f);
  }
  if (date != internal::kNoDate) s.max_date = std::max(s.max_date, date);
  s.UpdateRecent(date);
  s.BuildVector(s.ResolveClitics(f), source, final_df, date, &s.built);
  s.SwapIn(&s.built);
  return s.Cluster(slot, date, source, nd_group_story, final_df);
}

uint32_t internal::StoryClustererState::Cluster(uint32_t slot, int64_t date, uint32_t source,
                                                uint32_t nd_group_story, bool final_df) {
  StoryClustererState& s = *this;
  constexpr uint32_t kNone = StoryClusterer::kNone;

  uint32_t si = kNone;
  bool new_group = true;
  if (nd_group_story != kNone && nd_group_story < s.slot_story.size() &&
      s.slot_story[nd_group_story] != kNone) {
    si = s.Root(s.slot_story[nd_group_story]);
    new_group = false;
    s.candidates.clear();
    // A republication after the story closed (its window passed) starts over: the story of
    // an event does not reopen for a copy weeks later.
    if (Gap(s.stories[si], date) > s.opt.window_seconds) {
      si = kNone;
      new_group = true;
    }
  }
  if (si == kNone && new_group) {
    double score = 0;
    uint32_t best = s.FindStory(date, &score);
    if (best != kNone && score >= s.opt.threshold) si = best;
  }
  if (si == kNone) {
    si = static_cast<uint32_t>(s.stories.size());
    s.stories.emplace_back();
    s.live_size.push_back(1);
    s.stories.back().anchor = slot;
    s.stories.back().parent = si;
    s.active.push_back(si);
  }
  s.slot_story[slot] = si;
  s.AddToStory(si, date, source, new_group);
  for (const auto& [score, ti] : s.candidates) {
    if (ti != si && score >= 0.5 * s.opt.absorb_threshold) {
      s.stories[si].linked = true;
      break;
    }
  }
  si = s.MaybeMerge(si);
  // The batch is complete: refine, then retire what the stream has left behind.
  const bool batch_done = final_df && s.pending_counted == 0;
  if (batch_done && s.opt.refine_batch) {
    s.Refine();
    si = s.Root(si);
  }
  if (++s.assigned % 1024 == 0 || batch_done) s.Sweep(batch_done);
  return s.stories[si].anchor;
}

void StoryClusterer::AssignBatch(
    size_t n, absl::FunctionRef<StoryBatchDoc(size_t i, StoryFeatures* scratch)> get,
    bool second_thread) {
  StoryClustererState& s = *state_;
  constexpr size_t kMinPipelined = 256;  // below this a thread costs more than it saves
  if (!second_thread || n < kMinPipelined || s.pending_counted < n) {
    StoryFeatures scratch;
    for (size_t i = 0; i < n; ++i) {
      const StoryBatchDoc d = get(i, &scratch);
      Assign(d.slot, *d.features, d.date, d.source, d.nd_group_slot);
    }
    return;
  }
  // Every document was counted (final df): its vectors depend only on the sequence of
  // documents, so a second thread computes them (with the recent counts and the clitic
  // reading, which nothing else touches during the batch) up to kRing documents
  // ahead of the clustering on this thread.
  constexpr size_t kRing = 64;
  struct Item {
    internal::DocVectors v;
    StoryFeatures scratch;
    uint32_t slot = 0, source = 0, nd = kNone;
    int64_t date = internal::kNoDate;
  };
  std::vector<Item> ring(kRing);
  std::atomic<size_t> produced{0}, consumed{0};
  std::thread producer([&] {
    for (size_t i = 0; i < n; ++i) {
      while (i - consumed.load(std::memory_order_acquire) >= kRing) std::this_thread::yield();
      Item& it = ring[i % kRing];
      const StoryBatchDoc d = get(i, &it.scratch);
      it.slot = d.slot;
      it.source = d.source;
      it.nd = d.nd_group_slot;
      it.date = d.date;
      s.UpdateRecent(d.date);
      s.BuildVector(s.ResolveClitics(*d.features), d.source, /*final_df=*/true, d.date, &it.v);
      produced.store(i + 1, std::memory_order_release);
    }
  });
  for (size_t i = 0; i < n; ++i) {
    while (produced.load(std::memory_order_acquire) <= i) std::this_thread::yield();
    Item& it = ring[i % kRing];
    if (s.slot_story.size() <= it.slot) s.slot_story.resize(size_t{it.slot} + 1, kNone);
    NAZIR_CHECK(s.slot_story[it.slot] == kNone);
    --s.pending_counted;
    if (it.date != internal::kNoDate) s.max_date = std::max(s.max_date, it.date);
    s.SwapIn(&it.v);
    s.Cluster(it.slot, it.date, it.source, it.nd, /*final_df=*/true);
    consumed.store(i + 1, std::memory_order_release);
  }
  producer.join();
}

void StoryClusterer::SecondLook() {
  StoryClustererState& s = *state_;
  s.Absorb(/*horizon=*/internal::kNoDate, /*all=*/true);
}

uint32_t StoryClusterer::story_of(uint32_t slot) const {
  const StoryClustererState& s = *state_;
  if (slot >= s.slot_story.size() || s.slot_story[slot] == kNone) return kNone;
  return s.stories[s.RootConst(s.slot_story[slot])].anchor;
}

size_t StoryClusterer::num_documents() const { return state_->assigned; }
size_t StoryClusterer::num_stories() const {
  size_t n = 0;
  for (size_t i = 0; i < state_->stories.size(); ++i) n += state_->stories[i].parent == i;
  return n;
}

size_t StoryClusterer::MemoryUsage() const {
  const StoryClustererState& s = *state_;
  size_t bytes = s.df.capacity() * sizeof(internal::TermTable::Entry);
  bytes += s.source_df.counters().size() * sizeof(uint16_t);
  bytes += s.slot_story.capacity() * sizeof(uint32_t);
  bytes += s.stories.capacity() * sizeof(Story);
  for (const Story& st : s.stories) {
    bytes += st.centroid.data().allocatedSize() * (sizeof(float) + sizeof(int64_t));
    bytes += st.posted.capacity() * sizeof(uint64_t) + st.sources.capacity() * sizeof(uint32_t);
  }
  bytes += s.postings.capacity() * (sizeof(uint64_t) + sizeof(std::vector<uint32_t>) + 1);
  for (const auto& [id, list] : s.postings) bytes += list.capacity() * sizeof(uint32_t);
  bytes += s.arena.capacity() + s.spellings.capacity() * (sizeof(uint64_t) + 8 + 1);
  bytes += s.forgotten_terms.capacity() * (sizeof(uint64_t) + 1);
  return bytes;
}

std::vector<StorySummary> StoryClusterer::Summaries(size_t top_terms) const {
  const StoryClustererState& s = *state_;
  std::vector<StorySummary> out(s.stories.size());
  for (size_t i = 0; i < s.stories.size(); ++i) {
    const Story& st = s.stories[i];
    if (st.parent != i) continue;
    StorySummary& sum = out[i];
    sum.anchor = st.anchor;
    sum.size = st.size;
    sum.groups = st.groups;
    sum.sources = st.sources;
    sum.first_date = st.first_date;
    sum.last_date = st.last_date;
    sum.members.reserve(st.size);
    std::vector<std::pair<float, int64_t>> e;
    for (internal::SparseVec::InnerIterator it(st.centroid); it; ++it) {
      e.emplace_back(it.value(), it.index());
    }
    std::sort(e.begin(), e.end(), [](const auto& a, const auto& b) {
      return a.first > b.first || (a.first == b.first && a.second < b.second);
    });
    for (const auto& [w, id] : e) {
      if (sum.top_terms.size() >= top_terms) break;
      auto it = s.spellings.find(static_cast<uint64_t>(id));
      if (it == s.spellings.end()) continue;
      sum.top_terms.push_back(s.arena.substr(it->second.first, it->second.second));
    }
  }
  for (uint32_t slot = 0; slot < s.slot_story.size(); ++slot) {
    if (s.slot_story[slot] != kNone) out[s.RootConst(s.slot_story[slot])].members.push_back(slot);
  }
  out.erase(
      std::remove_if(out.begin(), out.end(), [](const StorySummary& x) { return x.size == 0; }),
      out.end());
  std::sort(out.begin(), out.end(),
            [](const StorySummary& a, const StorySummary& b) { return a.anchor < b.anchor; });
  return out;
}

}  // namespace nazir
