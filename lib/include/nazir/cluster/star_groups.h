// StarGroups: near-duplicate groups without transitive chaining.
//
// Single-link clustering of near-duplicate pairs chains: A~B and B~C put A and
// C together although they may share nothing (a wire story, an excerpt of its
// first half, an excerpt of its second half, a round-up quoting two unrelated
// stories, ...; on SaudiNewsNet single-link components reach 82 articles).
// nazir uses star clustering instead: every group has an anchor (its center),
// and every member is a verified near-duplicate of the anchor, or of another
// member while still sharing at least member_anchor_threshold of its text with
// the anchor. Members need not be similar to each other beyond that.
//
// Batch (BuildStars, the whole verified-pair graph is known): classic star
// clustering (Aslam, Pelekhov & Rus, "The star clustering algorithm for static
// and dynamic information organization", JGAA 8(1), 2004). Documents are
// taken in order of decreasing degree in the near-duplicate graph (ties: date,
// then input order); an unassigned document becomes an anchor and takes all
// its unassigned neighbours. The most republished text (typically the full
// wire story, which contains its truncated copies) thus anchors its group.
// Then, smallest groups first, a group (a lone document, or a small group cut
// off a larger story by the greedy pass) moves whole into a neighbouring group
// when one of its members is a close near-duplicate (>= member_link_threshold)
// of a member there and every moving member shares >= member_anchor_threshold
// of its text with the receiving anchor.
//
// Streaming (Assign, one document at a time, arrival order): the first
// document of a group is its anchor. A new document d joins the group g that
// maximizes sim(d, anchor(g)) among the groups for which
//     (a) d is a verified near-duplicate of anchor(g), or
//     (b) d is a verified near-duplicate of some member of g AND
//         sim(d, anchor(g)) >= member_anchor_threshold  (bounded drift:
//         every member stays close to its anchor);
//   ties go to the older anchor. If no group qualifies, d anchors a new group.
//
// sim is containment of the shorter text in the longer (see verify.h). Every
// member of a group is therefore similar to the group's anchor; members need
// not be similar to each other beyond that.
//
// Thread safety: none; the owner serializes calls. Slots are dense document
// numbers owned by the caller.
#ifndef NAZIR_CLUSTER_STAR_GROUPS_H_
#define NAZIR_CLUSTER_STAR_GROUPS_H_

#include <algorithm>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"

#include "nazir/cluster/verify.h"

namespace nazir {

class StarGroups {
 public:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;

  struct Neighbor {
    uint32_t slot;    // an already assigned document
    PairScore score;  // verified near-duplicate score of (new doc, slot)
  };

  // Assigns `slot` (not yet assigned). `neighbors`: its verified near-
  // duplicates among assigned slots. `score_with(anchor_slot)` returns the
  // PairScore of (new doc, anchor_slot), used for rule (b).
  // Returns the group (anchor slot) joined, or `slot` itself for a new group.
  template <typename ScoreWith>
  uint32_t Assign(uint32_t slot, std::span<const Neighbor> neighbors, ScoreWith score_with,
                  double member_anchor_threshold);

  // The group a document with these `neighbors` would join under the
  // streaming rule, and its similarity to that group's anchor in *sim; kNone
  // if it would start a group of its own. Changes nothing.
  template <typename ScoreWith>
  uint32_t Choose(std::span<const Neighbor> neighbors, ScoreWith score_with,
                  double member_anchor_threshold, float* sim) const;

  // Marks `slot` as a group of its own that never takes members (documents
  // with no usable text).
  void AssignSingleton(uint32_t slot);

  // Removes an assigned slot. If it anchored a group with other members, the
  // group dissolves and its remaining members are returned, oldest first, for
  // the caller to re-Assign. Otherwise returns nothing.
  std::vector<uint32_t> Remove(uint32_t slot);

  uint32_t group_of(uint32_t slot) const { return slot < group_.size() ? group_[slot] : kNone; }
  float sim_to_anchor(uint32_t slot) const { return sim_[slot]; }
  uint32_t group_size(uint32_t group) const;
  bool is_anchor(uint32_t slot) const { return group_of(slot) == slot; }
  // Members of a group with more than one document, in assignment order.
  std::span<const uint32_t> members(uint32_t group) const;

  // Raw state for saving/loading.
  void Restore(uint32_t slot, uint32_t group, float sim);

  struct Edge {
    uint32_t a, b;  // slots
    float sim;      // verified near-duplicate score (containment)
  };
  // Batch star clustering of `nodes` (unassigned slots, in tie-break order:
  // date, then input order) over the verified near-duplicate `edges` between
  // them (see the header comment). `score(a, b)` returns the containment of
  // two slots, used for the member-to-anchor test.
  template <typename Score>
  void BuildStars(std::span<const uint32_t> nodes, std::span<const Edge> edges, Score score,
                  double member_anchor_threshold, double member_link_threshold);

 private:
  void Ensure(uint32_t slot);
  void Join(uint32_t slot, uint32_t group, float sim);

  std::vector<uint32_t> group_;
  std::vector<float> sim_;
  std::vector<uint8_t> closed_;                                   // singleton-only groups
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> members_;  // groups of size >= 2
};

template <typename ScoreWith>
uint32_t StarGroups::Choose(std::span<const Neighbor> neighbors, ScoreWith score_with,
                            double member_anchor_threshold, float* sim) const {
  uint32_t best_group = kNone;
  float best_sim = -1;
  auto consider = [&](uint32_t g, float s) {
    if (s > best_sim || (s == best_sim && g < best_group)) {
      best_group = g;
      best_sim = s;
    }
  };
  // Rule (a): direct near-duplicates of anchors.
  for (const Neighbor& n : neighbors) {
    const uint32_t g = group_of(n.slot);
    if (g == n.slot && !closed_[g]) consider(g, n.score.containment);
  }
  // Rule (b): near-duplicates of members whose anchor is close enough.
  if (best_group == kNone) {
    absl::flat_hash_map<uint32_t, float> tried;
    for (const Neighbor& n : neighbors) {
      const uint32_t g = group_of(n.slot);
      if (g == kNone || g == n.slot || closed_[g] || tried.contains(g)) continue;
      const PairScore s = score_with(g);
      tried[g] = s.containment;
      if (s.containment >= member_anchor_threshold) consider(g, s.containment);
    }
  }
  *sim = best_group == kNone ? 1.0f : best_sim;
  return best_group;
}

template <typename ScoreWith>
uint32_t StarGroups::Assign(uint32_t slot, std::span<const Neighbor> neighbors,
                            ScoreWith score_with, double member_anchor_threshold) {
  Ensure(slot);
  float sim = 1;
  const uint32_t g = Choose(neighbors, score_with, member_anchor_threshold, &sim);
  Join(slot, g == kNone ? slot : g, sim);
  return g == kNone ? slot : g;
}

template <typename Score>
void StarGroups::BuildStars(std::span<const uint32_t> nodes, std::span<const Edge> edges,
                            Score score, double member_anchor_threshold,
                            double member_link_threshold) {
  const uint32_t n = static_cast<uint32_t>(nodes.size());
  absl::flat_hash_map<uint32_t, uint32_t> local;  // slot -> index in nodes
  local.reserve(n);
  for (uint32_t i = 0; i < n; ++i) local[nodes[i]] = i;
  // Adjacency in CSR form.
  std::vector<uint32_t> deg(n + 1, 0);
  for (const Edge& e : edges) {
    ++deg[local.at(e.a)];
    ++deg[local.at(e.b)];
  }
  std::vector<uint32_t> off(n + 1, 0);
  for (uint32_t i = 0; i < n; ++i) off[i + 1] = off[i] + deg[i];
  std::vector<std::pair<uint32_t, float>> adj(off[n]);
  std::vector<uint32_t> fill(off.begin(), off.end() - 1);
  for (const Edge& e : edges) {
    const uint32_t a = local.at(e.a), b = local.at(e.b);
    adj[fill[a]++] = {b, e.sim};
    adj[fill[b]++] = {a, e.sim};
  }
  std::vector<uint32_t> order(n);
  for (uint32_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t x, uint32_t y) { return deg[x] > deg[y]; });
  for (uint32_t slot : nodes) Ensure(slot);
  // Stars: centers by decreasing degree take their unassigned neighbours.
  for (uint32_t c : order) {
    const uint32_t cs = nodes[c];
    if (group_[cs] != kNone) continue;
    Join(cs, cs, 1.0f);
    for (uint32_t k = off[c]; k < off[c + 1]; ++k) {
      const uint32_t xs = nodes[adj[k].first];
      if (group_[xs] == kNone) Join(xs, cs, adj[k].second);
    }
  }
  // Pass 2, small groups first: a group moves whole into the group of a
  // neighbour when one of its members is a close near-duplicate of a member
  // there (>= member_link_threshold, best link first) and every moving member
  // shares >= member_anchor_threshold with the receiving group's anchor.
  std::vector<uint32_t> anchors;
  for (uint32_t i = 0; i < n; ++i) {
    if (group_[nodes[i]] == nodes[i]) anchors.push_back(nodes[i]);
  }
  std::stable_sort(anchors.begin(), anchors.end(),
                   [&](uint32_t x, uint32_t y) { return group_size(x) < group_size(y); });
  std::vector<uint32_t> moving;
  std::vector<std::pair<float, uint32_t>> links;  // (link similarity, target group)
  for (uint32_t g : anchors) {
    if (group_[g] != g) continue;  // already moved
    moving.assign(members(g).begin(), members(g).end());
    if (moving.empty()) moving.push_back(g);
    links.clear();
    for (uint32_t y : moving) {
      const uint32_t i = local.at(y);
      for (uint32_t k = off[i]; k < off[i + 1]; ++k) {
        const uint32_t h = group_[nodes[adj[k].first]];
        if (h != g && adj[k].second >= member_link_threshold) links.push_back({adj[k].second, h});
      }
    }
    std::sort(links.begin(), links.end(), [](const auto& x, const auto& y) {
      return x.first > y.first || (x.first == y.first && x.second < y.second);
    });
    uint32_t tried = kNone;
    for (const auto& [link, h] : links) {
      if (h == tried) continue;
      tried = h;
      bool all_close = true;
      for (uint32_t y : moving) {
        if (score(y, h) < member_anchor_threshold) {
          all_close = false;
          break;
        }
      }
      if (!all_close) continue;
      members_.erase(g);
      for (uint32_t y : moving) {
        group_[y] = kNone;
        Join(y, h, score(y, h));
      }
      break;
    }
  }
}

}  // namespace nazir

#endif  // NAZIR_CLUSTER_STAR_GROUPS_H_
