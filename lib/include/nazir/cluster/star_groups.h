// StarGroups: near-duplicate groups without transitive chaining.
//
// Single-link clustering of near-duplicate pairs chains: A~B and B~C put A and
// C together although they may share nothing (a wire story, an excerpt of its
// first half, an excerpt of its second half, ...; on SaudiNewsNet single-link
// components reach 82 articles). nazir uses star (leader) clustering instead:
//
//   Documents are assigned one at a time, in order (batch: by date, then input
//   order; streaming: arrival order). Every group has an anchor, its first
//   document. A new document d joins the group g that maximizes sim(d,
//   anchor(g)) among the groups for which
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

#include <cstdint>
#include <span>
#include <vector>

#include "nazir/cluster/verify.h"

#include "absl/container/flat_hash_map.h"

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

 private:
  void Ensure(uint32_t slot);
  void Join(uint32_t slot, uint32_t group, float sim);

  std::vector<uint32_t> group_;
  std::vector<float> sim_;
  std::vector<uint8_t> closed_;                                   // singleton-only groups
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> members_;  // groups of size >= 2
};

template <typename ScoreWith>
uint32_t StarGroups::Assign(uint32_t slot, std::span<const Neighbor> neighbors,
                            ScoreWith score_with, double member_anchor_threshold) {
  Ensure(slot);
  uint32_t best_group = kNone;
  float best_sim = -1;
  auto consider = [&](uint32_t g, float sim) {
    if (sim > best_sim || (sim == best_sim && g < best_group)) {
      best_group = g;
      best_sim = sim;
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
  if (best_group == kNone) {
    Join(slot, slot, 1.0f);
    return slot;
  }
  Join(slot, best_group, best_sim);
  return best_group;
}

}  // namespace nazir

#endif  // NAZIR_CLUSTER_STAR_GROUPS_H_
