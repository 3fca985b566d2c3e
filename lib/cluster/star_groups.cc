#include "nazir/cluster/star_groups.h"

#include <algorithm>

#include "nazir/base/check.h"

namespace nazir {

void StarGroups::Ensure(uint32_t slot) {
  if (slot >= group_.size()) {
    group_.resize(slot + 1, kNone);
    sim_.resize(slot + 1, 0);
    closed_.resize(slot + 1, 0);
  }
}

void StarGroups::Join(uint32_t slot, uint32_t group, float sim) {
  NAZIR_DCHECK(group_[slot] == kNone);
  group_[slot] = group;
  sim_[slot] = sim;
  if (group != slot) {
    auto& m = members_[group];
    if (m.empty()) m.push_back(group);
    m.push_back(slot);
  }
}

void StarGroups::AssignSingleton(uint32_t slot) {
  Ensure(slot);
  Join(slot, slot, 1.0f);
  closed_[slot] = 1;
}

void StarGroups::Restore(uint32_t slot, uint32_t group, float sim) {
  Ensure(slot);
  Ensure(group);
  Join(slot, group, sim);
}

uint32_t StarGroups::group_size(uint32_t group) const {
  auto it = members_.find(group);
  return it == members_.end() ? 1 : static_cast<uint32_t>(it->second.size());
}

std::span<const uint32_t> StarGroups::members(uint32_t group) const {
  auto it = members_.find(group);
  if (it == members_.end()) return {};
  return it->second;
}

std::vector<uint32_t> StarGroups::Remove(uint32_t slot) {
  NAZIR_CHECK(slot < group_.size() && group_[slot] != kNone);
  const uint32_t g = group_[slot];
  group_[slot] = kNone;
  closed_[slot] = 0;
  std::vector<uint32_t> orphans;
  auto it = members_.find(g);
  if (it == members_.end()) return orphans;
  auto& m = it->second;
  if (g == slot) {
    // The anchor leaves: the group dissolves; survivors are re-assigned.
    for (uint32_t s : m) {
      if (s != slot) {
        group_[s] = kNone;
        orphans.push_back(s);
      }
    }
    members_.erase(it);
  } else {
    m.erase(std::remove(m.begin(), m.end(), slot), m.end());
    if (m.size() <= 1) members_.erase(it);
  }
  return orphans;
}

}  // namespace nazir
