#include "nazir/sketch/minhash.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "sketch/mix.h"

namespace nazir {
namespace {

// A pair of random shingle sets with |A ∪ B| = union_size and
// |A ∩ B| = round(j * union_size); the rest split evenly between A and B.
struct SetPair {
  std::vector<uint64_t> a, b;
};

SetPair MakePair(std::mt19937_64& rng, size_t union_size, double j) {
  const size_t inter = static_cast<size_t>(std::lround(j * static_cast<double>(union_size)));
  const size_t only_a = (union_size - inter) / 2;
  SetPair p;
  for (size_t i = 0; i < union_size; ++i) {
    const uint64_t x = rng();
    if (i < inter) {
      p.a.push_back(x);
      p.b.push_back(x);
    } else if (i < inter + only_a) {
      p.a.push_back(x);
    } else {
      p.b.push_back(x);
    }
  }
  // Duplicates and order must not matter.
  p.a.push_back(p.a.front());
  std::shuffle(p.a.begin(), p.a.end(), rng);
  std::shuffle(p.b.begin(), p.b.end(), rng);
  return p;
}

// Exact Jaccard by brute force over std::set.
double ExactJaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  const std::set<uint64_t> sa(a.begin(), a.end()), sb(b.begin(), b.end());
  size_t inter = 0;
  for (uint64_t x : sa) inter += sb.count(x);
  return static_cast<double>(inter) / static_cast<double>(sa.size() + sb.size() - inter);
}

template <typename Hasher>
double Estimate(const Hasher& h, const SetPair& p) {
  std::vector<uint32_t> sa(h.options().num_perm), sb(h.options().num_perm);
  h.Sketch(p.a, sa);
  h.Sketch(p.b, sb);
  return EstimateJaccard(sa, sb);
}

TEST(MinHashOptionsTest, ValidateRejectsBadValues) {
  for (uint32_t k : {0u, 8u, 15u, 17u, 100u, 1025u, 1032u, 4096u}) {
    MinHashOptions o{.num_perm = k};
    EXPECT_EQ(o.Validate().code(), absl::StatusCode::kInvalidArgument) << k;
    EXPECT_EQ(OphMinHasher::Create(o).status().code(), absl::StatusCode::kInvalidArgument) << k;
    EXPECT_EQ(ClassicMinHasher::Create(o).status().code(), absl::StatusCode::kInvalidArgument) << k;
  }
  for (uint32_t k : {16u, 24u, 128u, 256u, 1024u}) {
    MinHashOptions o{.num_perm = k};
    EXPECT_TRUE(o.Validate().ok()) << k;
    EXPECT_TRUE(OphMinHasher::Create(o).ok()) << k;
    EXPECT_TRUE(ClassicMinHasher::Create(o).ok()) << k;
  }
  EXPECT_TRUE(MinHashOptions{}.Validate().ok());
  EXPECT_EQ(MinHashOptions{}.num_perm, 128u);
}

TEST(MinHashTest, EmptySetFillsEmptyLane) {
  auto oph = OphMinHasher::Create({}).value();
  auto classic = ClassicMinHasher::Create({}).value();
  std::vector<uint32_t> sig(128, 0);
  oph.Sketch({}, sig);
  EXPECT_TRUE(std::all_of(sig.begin(), sig.end(), [](uint32_t v) { return v == kEmptyLane; }));
  std::fill(sig.begin(), sig.end(), 0);
  classic.Sketch({}, sig);
  EXPECT_TRUE(std::all_of(sig.begin(), sig.end(), [](uint32_t v) { return v == kEmptyLane; }));
}

TEST(MinHashTest, SeedChangesSignature) {
  std::mt19937_64 rng(1);
  std::vector<uint64_t> s(100);
  for (auto& x : s) x = rng();
  auto h1 = OphMinHasher::Create({.seed = 1}).value();
  auto h2 = OphMinHasher::Create({.seed = 2}).value();
  std::vector<uint32_t> a(128), b(128);
  h1.Sketch(s, a);
  h2.Sketch(s, b);
  EXPECT_LT(EstimateJaccard(a, b), 0.1);
  auto c1 = ClassicMinHasher::Create({.seed = 1}).value();
  auto c2 = ClassicMinHasher::Create({.seed = 2}).value();
  c1.Sketch(s, a);
  c2.Sketch(s, b);
  EXPECT_LT(EstimateJaccard(a, b), 0.1);
}

TEST(MinHashTest, EstimateJaccardCountsEqualLanes) {
  const std::vector<uint32_t> a = {1, 2, 3, 4, 5, 6, 7, 8};
  const std::vector<uint32_t> b = {1, 0, 3, 0, 5, 0, 0, 0};
  EXPECT_DOUBLE_EQ(EstimateJaccard(a, a), 1.0);
  EXPECT_DOUBLE_EQ(EstimateJaccard(a, b), 3.0 / 8.0);
}

// Reference OPH written from the paper's description, independently of the
// kernel's bitmap bookkeeping: bins, minima, then optimal densification that
// copies only from bins non-empty before densification.
std::vector<uint32_t> ReferenceOph(const std::vector<uint64_t>& s, const MinHashOptions& o) {
  uint64_t state = o.seed;
  const uint64_t value_seed = internal::SplitMix64(&state);
  const uint64_t probe_seed = internal::SplitMix64(&state);
  const uint32_t k = o.num_perm;
  std::vector<bool> full(k, false);
  std::vector<uint32_t> sig(k, kEmptyLane);
  for (uint64_t x : s) {
    const uint64_t v = (x ^ value_seed) * 0x9fb21c651e98df25ULL;
    const uint32_t bin = static_cast<uint32_t>(((v >> 32) * k) >> 32);
    sig[bin] = std::min(sig[bin], static_cast<uint32_t>(v));
    full[bin] = sig[bin] != kEmptyLane;
  }
  if (s.empty()) return sig;
  const std::vector<uint32_t> before = sig;
  for (uint32_t i = 0; i < k; ++i) {
    if (full[i]) continue;
    for (uint64_t attempt = 1;; ++attempt) {
      const uint64_t h = internal::Mix64(probe_seed ^ ((uint64_t{i} << 32) | attempt));
      const uint32_t j = static_cast<uint32_t>(((h >> 32) * k) >> 32);
      if (full[j]) {
        sig[i] = before[j];
        break;
      }
    }
  }
  return sig;
}

TEST(MinHashTest, OphMatchesReferenceImplementation) {
  std::mt19937_64 rng(5);
  for (uint32_t k : {16u, 128u, 256u, 1024u}) {
    auto oph = OphMinHasher::Create({.num_perm = k, .seed = 77}).value();
    for (size_t n : {size_t{1}, size_t{2}, size_t{3}, size_t{10}, size_t{100}, size_t{3000}}) {
      std::vector<uint64_t> s(n);
      for (auto& x : s) x = rng();
      std::vector<uint32_t> sig(k);
      oph.Sketch(s, sig);
      ASSERT_EQ(sig, ReferenceOph(s, oph.options())) << "k=" << k << " n=" << n;
      for (uint32_t v : sig) ASSERT_NE(v, kEmptyLane);
    }
  }
}

// Unbiasedness and error bounds against brute-force exact Jaccard. Per-trial
// standard error of a k-lane estimator is sqrt(J(1-J)/k); over 200 trials the
// RMSE must stay within 1.5x that and the mean error within 4 standard errors
// of the mean.
template <typename Hasher>
void CheckEstimator(const Hasher& h, uint32_t seed) {
  constexpr int kTrials = 200;
  const double k = h.options().num_perm;
  std::mt19937_64 rng(seed);
  for (double j : {0.1, 0.3, 0.5, 0.8, 0.95}) {
    double sum_err = 0, sum_sq = 0;
    for (int t = 0; t < kTrials; ++t) {
      const SetPair p = MakePair(rng, 400, j);
      const double exact = ExactJaccard(p.a, p.b);
      ASSERT_NEAR(exact, j, 1e-9);
      const double err = Estimate(h, p) - exact;
      sum_err += err;
      sum_sq += err * err;
    }
    const double se = std::sqrt(j * (1 - j) / k);
    const double rmse = std::sqrt(sum_sq / kTrials);
    const double bias = sum_err / kTrials;
    EXPECT_LE(rmse, 1.5 * se) << "J=" << j << " k=" << k;
    EXPECT_LE(std::abs(bias), 4 * se / std::sqrt(kTrials)) << "J=" << j << " k=" << k;
  }
}

TEST(MinHashTest, OphEstimatorWithinBounds) {
  CheckEstimator(OphMinHasher::Create({.num_perm = 128}).value(), 11);
  CheckEstimator(OphMinHasher::Create({.num_perm = 256, .seed = 3}).value(), 12);
}

TEST(MinHashTest, ClassicEstimatorWithinBounds) {
  CheckEstimator(ClassicMinHasher::Create({.num_perm = 128}).value(), 13);
  CheckEstimator(ClassicMinHasher::Create({.num_perm = 64, .seed = 3}).value(), 14);
}

TEST(MinHashTest, OphAndClassicAgree) {
  // Both estimate the same J on the same pairs: their mean estimates differ by
  // at most 4 standard errors of a difference of means.
  constexpr int kTrials = 200;
  auto oph = OphMinHasher::Create({}).value();
  auto classic = ClassicMinHasher::Create({}).value();
  std::mt19937_64 rng(21);
  for (double j : {0.1, 0.5, 0.95}) {
    double sum_oph = 0, sum_classic = 0;
    for (int t = 0; t < kTrials; ++t) {
      const SetPair p = MakePair(rng, 300, j);
      sum_oph += Estimate(oph, p);
      sum_classic += Estimate(classic, p);
    }
    const double se = std::sqrt(j * (1 - j) / 128.0);
    EXPECT_NEAR(sum_oph / kTrials, sum_classic / kTrials, 4 * se * std::sqrt(2.0 / kTrials))
        << "J=" << j;
  }
}

TEST(MinHashTest, DensificationOnTinySets) {
  auto oph = OphMinHasher::Create({}).value();
  std::mt19937_64 rng(8);
  std::vector<uint32_t> sa(128), sb(128);
  // Identical tiny sets estimate exactly 1; disjoint ones 0.
  for (size_t n = 1; n <= 10; ++n) {
    std::vector<uint64_t> a(n), b(n);
    for (auto& x : a) x = rng();
    for (auto& x : b) x = rng();
    oph.Sketch(a, sa);
    std::vector<uint64_t> a_rev(a.rbegin(), a.rend());
    oph.Sketch(a_rev, sb);
    EXPECT_EQ(EstimateJaccard(sa, sb), 1.0) << n;
    oph.Sketch(b, sb);
    EXPECT_EQ(EstimateJaccard(sa, sb), 0.0) << n;
  }
  // Overlapping tiny sets (|A ∪ B| <= 10 << k, so most bins are densified):
  // still unbiased, and optimal densification keeps the error near the
  // classic sqrt(J(1-J)/k) (measured ~1.2-1.4x here; the 2x bound fails for
  // "rotation" densification, whose error on such sets is ~0.3).
  struct Case {
    size_t inter, only_a, only_b;
  };
  for (const Case& c :
       {Case{1, 1, 0}, Case{2, 1, 1}, Case{5, 2, 3}, Case{3, 3, 4}, Case{8, 1, 1}}) {
    constexpr int kTrials = 400;
    const double j =
        static_cast<double>(c.inter) / static_cast<double>(c.inter + c.only_a + c.only_b);
    double sum = 0, sum_sq = 0;
    for (int t = 0; t < kTrials; ++t) {
      std::vector<uint64_t> a, b;
      for (size_t i = 0; i < c.inter; ++i) {
        a.push_back(rng());
        b.push_back(a.back());
      }
      for (size_t i = 0; i < c.only_a; ++i) a.push_back(rng());
      for (size_t i = 0; i < c.only_b; ++i) b.push_back(rng());
      oph.Sketch(a, sa);
      oph.Sketch(b, sb);
      const double est = EstimateJaccard(sa, sb);
      sum += est;
      sum_sq += (est - j) * (est - j);
    }
    const double rmse = std::sqrt(sum_sq / kTrials);
    EXPECT_NEAR(sum / kTrials, j, 0.05) << c.inter << "/" << c.only_a << "/" << c.only_b;
    EXPECT_LE(rmse, 2.0 * std::sqrt(j * (1 - j) / 128.0))
        << c.inter << "/" << c.only_a << "/" << c.only_b;
  }
}

TEST(MinHashTest, SketchIsDeterministicAndConstSafe) {
  auto oph = OphMinHasher::Create({.num_perm = 64}).value();
  const OphMinHasher copy = oph;
  std::mt19937_64 rng(2);
  std::vector<uint64_t> s(50);
  for (auto& x : s) x = rng();
  std::vector<uint32_t> a(64), b(64);
  oph.Sketch(s, a);
  copy.Sketch(s, b);
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace nazir
