#include "nazir/cluster/star_groups.h"

#include <gtest/gtest.h>

namespace nazir {
namespace {

PairScore Sim(float c) {
  PairScore s;
  s.containment = c;
  s.shared = 100;
  return s;
}

// A chain A~B, B~C, C~D where only neighbours are similar: no chaining.
TEST(StarGroupsTest, NoTransitiveChaining) {
  StarGroups g;
  auto none = [](uint32_t) { return Sim(0.0f); };
  EXPECT_EQ(g.Assign(0, {}, none, 0.3), 0u);
  std::vector<StarGroups::Neighbor> nb1 = {{0, Sim(0.8f)}};
  EXPECT_EQ(g.Assign(1, nb1, none, 0.3), 0u);  // B joins A (A is the anchor)
  // C is similar to B only; its similarity to anchor A is 0.1 < 0.3.
  std::vector<StarGroups::Neighbor> nb2 = {{1, Sim(0.7f)}};
  EXPECT_EQ(g.Assign(
                2, nb2, [](uint32_t) { return Sim(0.1f); }, 0.3),
            2u);
  EXPECT_TRUE(g.is_anchor(2));
  EXPECT_EQ(g.group_size(0), 2u);
  EXPECT_EQ(g.group_size(2), 1u);
}

TEST(StarGroupsTest, MemberLinkWithCloseAnchorJoins) {
  StarGroups g;
  auto none = [](uint32_t) { return Sim(0.0f); };
  g.Assign(0, {}, none, 0.3);
  std::vector<StarGroups::Neighbor> nb1 = {{0, Sim(0.9f)}};
  g.Assign(1, nb1, none, 0.3);
  std::vector<StarGroups::Neighbor> nb2 = {{1, Sim(0.8f)}};
  EXPECT_EQ(g.Assign(
                2, nb2, [](uint32_t) { return Sim(0.45f); }, 0.3),
            0u);
  EXPECT_FLOAT_EQ(g.sim_to_anchor(2), 0.45f);
  EXPECT_EQ(g.group_size(0), 3u);
}

TEST(StarGroupsTest, PicksMostSimilarAnchorAndOlderOnTies) {
  StarGroups g;
  auto none = [](uint32_t) { return Sim(0.0f); };
  g.Assign(0, {}, none, 0.3);
  g.Assign(1, {}, none, 0.3);
  std::vector<StarGroups::Neighbor> nb = {{0, Sim(0.6f)}, {1, Sim(0.9f)}};
  EXPECT_EQ(g.Assign(2, nb, none, 0.3), 1u);
  std::vector<StarGroups::Neighbor> tie = {{1, Sim(0.7f)}, {0, Sim(0.7f)}};
  EXPECT_EQ(g.Assign(3, tie, none, 0.3), 0u);
}

TEST(StarGroupsTest, SingletonsNeverTakeMembers) {
  StarGroups g;
  g.AssignSingleton(0);
  std::vector<StarGroups::Neighbor> nb = {{0, Sim(1.0f)}};
  EXPECT_EQ(g.Assign(
                1, nb, [](uint32_t) { return Sim(1.0f); }, 0.3),
            1u);
}

TEST(StarGroupsTest, RemovingAnchorReturnsOrphans) {
  StarGroups g;
  auto none = [](uint32_t) { return Sim(0.0f); };
  g.Assign(0, {}, none, 0.3);
  std::vector<StarGroups::Neighbor> nb = {{0, Sim(0.9f)}};
  g.Assign(1, nb, none, 0.3);
  g.Assign(2, nb, none, 0.3);
  EXPECT_EQ(g.Remove(1), std::vector<uint32_t>{});
  EXPECT_EQ(g.group_size(0), 2u);
  EXPECT_EQ(g.Remove(0), std::vector<uint32_t>{2});
  EXPECT_EQ(g.group_of(2), StarGroups::kNone);
  EXPECT_EQ(g.Assign(2, {}, none, 0.3), 2u);
}

}  // namespace
}  // namespace nazir
