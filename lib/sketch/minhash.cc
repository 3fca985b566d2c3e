#include "nazir/sketch/minhash.h"

#include <algorithm>
#include <bit>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/strings/str_cat.h"

#include "nazir/base/check.h"

#include "sketch/mix.h"

// Kernels marked NAZIR_KERNEL_CLONES are compiled per ISA, picked at load time.
#include "base/kernel_clones.h"

namespace nazir {
namespace {

constexpr uint32_t kMinPerm = 16;
constexpr uint32_t kMaxPerm = 1024;
// Odd multiplier of the per-shingle remix.
constexpr uint64_t kValueMul = 0x9fb21c651e98df25ULL;
// Probes per bin kept in OphMinHasher::probes_ (k * 16 bytes).
constexpr uint32_t kTabledProbes = 8;

// Bin probed by empty bin `i` at `attempt` (1, 2, ...) in optimal densification.
// The probe hash is a full 64-bit mixer of (seed, i, attempt). (A plain
// multiply-add-shift hash makes the probe sequences of neighbouring bins
// move in lockstep and triples the error on small sets; see
// MinHashTest.DensificationOnTinySets.)
uint32_t ProbeBin(uint64_t probe_seed, uint64_t i, uint64_t attempt, uint32_t k) {
  const uint64_t h = internal::Mix64(probe_seed ^ ((i << 32) | attempt));
  return internal::FastRange32(static_cast<uint32_t>(h >> 32), k);
}

// Appends to `empty` the index of every lane equal to kEmptyLane, in order;
// returns the count. REQUIRES: k % 8 == 0.
uint32_t EmptyBins(const uint32_t* lanes, uint32_t k, uint16_t* empty) {
  uint32_t e = 0;
#if defined(__SSE2__)
  const __m128i all_ones = _mm_set1_epi32(-1);
  for (uint32_t i = 0; i < k; i += 8) {
    const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(lanes + i));
    const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(lanes + i + 4));
    const __m128i eq =
        _mm_packs_epi32(_mm_cmpeq_epi32(lo, all_ones), _mm_cmpeq_epi32(hi, all_ones));
    auto mask = static_cast<uint32_t>(_mm_movemask_epi8(_mm_packs_epi16(eq, eq)) & 0xff);
    for (; mask != 0; mask &= mask - 1) {
      empty[e++] = static_cast<uint16_t>(i + static_cast<uint32_t>(std::countr_zero(mask)));
    }
  }
#else
  for (uint32_t i = 0; i < k; ++i) {
    empty[e] = static_cast<uint16_t>(i);
    e += lanes[i] == kEmptyLane;
  }
#endif
  return e;
}

// Fills the empty bins (value kEmptyLane) of an OPH signature by optimal
// densification (Shrivastava 2017): empty bin i probes bins
// ProbeBin(i, 1), ProbeBin(i, 2), ... and copies the value of the first bin
// that was non-empty before densification. The probe sequence depends only
// on (seed, i), so two sets whose bins agree densify alike, which keeps the
// estimate unbiased with near-classic variance. Copies are deferred until
// every probe is done, so the "non-empty" test can look at the lane value
// itself. `probes` holds the first kTabledProbes bins of every sequence
// (precomputed: at the engine's ~2 shingles per bin, 9 in 10 empty bins stop
// at their first probe, and the Mix64 per probe was 40% of Sketch).
void Densify(uint64_t probe_seed, const uint16_t* probes, std::span<uint32_t> sig) {
  const uint32_t k = static_cast<uint32_t>(sig.size());
  uint32_t* lanes = sig.data();
  uint16_t empty_bins[kMaxPerm];
  const uint32_t num_empty = EmptyBins(lanes, k, empty_bins);
  if (num_empty == 0 || num_empty == k) return;
  if (num_empty == k - 1) {
    // Every probe sequence ends at the single non-empty bin.
    const uint32_t value = *std::min_element(lanes, lanes + k);
    std::fill(lanes, lanes + k, value);
    return;
  }
  uint32_t fill[kMaxPerm];
  for (uint32_t t = 0; t < num_empty; ++t) {
    const uint32_t i = empty_bins[t];
    const uint16_t* seq = probes + size_t{i} * kTabledProbes;
    uint32_t v = kEmptyLane;
    for (uint32_t a = 0; a < kTabledProbes && v == kEmptyLane; ++a) v = lanes[seq[a]];
    for (uint64_t attempt = kTabledProbes + 1; v == kEmptyLane; ++attempt) {
      v = lanes[ProbeBin(probe_seed, i, attempt, k)];
    }
    fill[t] = v;
  }
  for (uint32_t t = 0; t < num_empty; ++t) lanes[empty_bins[t]] = fill[t];
}

// The OPH remix of n shingles: with v = (s ^ seed) * kValueMul, bin from the
// high half of v (its top log2(k) bits when k is a power of two, else
// FastRange32), value from the low half. Kept apart from the scatter loop so
// that it vectorizes (AVX-512 has a 64-bit multiply).
NAZIR_KERNEL_CLONES void RemixPow2(const uint64_t* __restrict s, size_t n, uint64_t seed, int shift,
                                   uint32_t* __restrict bins, uint32_t* __restrict values) {
  for (size_t i = 0; i < n; ++i) {
    const uint64_t v = (s[i] ^ seed) * kValueMul;
    bins[i] = static_cast<uint32_t>(v >> shift);
    values[i] = static_cast<uint32_t>(v);
  }
}

NAZIR_KERNEL_CLONES void RemixRange(const uint64_t* __restrict s, size_t n, uint64_t seed,
                                    uint32_t k, uint32_t* __restrict bins,
                                    uint32_t* __restrict values) {
  for (size_t i = 0; i < n; ++i) {
    const uint64_t v = (s[i] ^ seed) * kValueMul;
    bins[i] = internal::FastRange32(static_cast<uint32_t>(v >> 32), k);
    values[i] = static_cast<uint32_t>(v);
  }
}

// lanes[j] = min(lanes[j], a[j] * x + b[j]) (mod 2^32) for j < k. g++ -O3
// vectorizes this on baseline x86-64 (16-byte vectors; checked with
// -fopt-info-vec); __restrict avoids a runtime alias check.
void UpdateMinsAffine(const uint32_t* __restrict a, const uint32_t* __restrict b, uint32_t x,
                      uint32_t* __restrict lanes, uint32_t k) {
  for (uint32_t j = 0; j < k; ++j) {
    const uint32_t h = a[j] * x + b[j];
    lanes[j] = h < lanes[j] ? h : lanes[j];
  }
}

}  // namespace

absl::Status MinHashOptions::Validate() const {
  if (num_perm < kMinPerm || num_perm > kMaxPerm || num_perm % 8 != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("MinHashOptions.num_perm must be a multiple of 8 in [", kMinPerm, ", ",
                     kMaxPerm, "], got ", num_perm));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------- OPH

OphMinHasher::OphMinHasher(const MinHashOptions& options) : options_(options) {
  uint64_t state = options.seed;
  value_seed_ = internal::SplitMix64(&state);
  probe_seed_ = internal::SplitMix64(&state);
  const uint32_t k = options.num_perm;
  probes_.resize(size_t{k} * kTabledProbes);
  for (uint32_t i = 0; i < k; ++i) {
    for (uint32_t a = 0; a < kTabledProbes; ++a) {
      probes_[size_t{i} * kTabledProbes + a] =
          static_cast<uint16_t>(ProbeBin(probe_seed_, i, a + 1, k));
    }
  }
}

absl::StatusOr<OphMinHasher> OphMinHasher::Create(const MinHashOptions& options) {
  if (absl::Status s = options.Validate(); !s.ok()) return s;
  return OphMinHasher(options);
}

void OphMinHasher::Sketch(std::span<const uint64_t> shingles, std::span<uint32_t> sig) const {
  const uint32_t k = options_.num_perm;
  NAZIR_DCHECK(sig.size() == k);
  uint32_t* lanes = sig.data();
  std::fill(lanes, lanes + k, kEmptyLane);
  if (shingles.empty()) return;
  const uint64_t seed = value_seed_;
  // Seeded remix, one multiply: shingle hashes are already uniform (see
  // CombineShingles). Bin from the high half of the product (depends on all
  // 64 bits), value from the low half (a bijection of the low 32 bits of
  // s ^ seed, independent of the high bits that pick the bin).
  // Remixed in chunks (vectorized), then the scatter-min: the loop only loads
  // a bin and a value, which is 30% faster than remixing inside it.
  constexpr size_t kChunk = 512;
  uint32_t bins[kChunk];
  uint32_t values[kChunk];
  const bool pow2 = (k & (k - 1)) == 0;
  // FastRange32(x, 2^m) == x >> (32 - m): same bins, no second multiply.
  const int shift = 64 - std::countr_zero(k);
  for (size_t base = 0; base < shingles.size(); base += kChunk) {
    const size_t m = std::min(kChunk, shingles.size() - base);
    if (pow2) {
      RemixPow2(shingles.data() + base, m, seed, shift, bins, values);
    } else {
      RemixRange(shingles.data() + base, m, seed, k, bins, values);
    }
    // The minimum by masking, not std::min: g++ turns that into a branch
    // around the store here, mispredicted about every other shingle on real
    // documents (the seed benchmark's 10 repeated documents hid it).
#pragma GCC unroll 8
    for (size_t i = 0; i < m; ++i) {
      const uint32_t bin = bins[i];
      const uint32_t cur = lanes[bin];
      const uint32_t value = values[i];
      lanes[bin] = cur ^ ((cur ^ value) & (0u - static_cast<uint32_t>(value < cur)));
    }
  }
  Densify(probe_seed_, probes_.data(), sig);
}

// ---------------------------------------------------------------- classic

ClassicMinHasher::ClassicMinHasher(const MinHashOptions& options)
    : options_(options), a_(options.num_perm), b_(options.num_perm) {
  uint64_t state = options.seed ^ 0x636c617373696331ULL;  // "classic1"
  for (uint32_t j = 0; j < options.num_perm; ++j) {
    const uint64_t r = internal::SplitMix64(&state);
    a_[j] = static_cast<uint32_t>(r) | 1u;
    b_[j] = static_cast<uint32_t>(r >> 32);
  }
}

absl::StatusOr<ClassicMinHasher> ClassicMinHasher::Create(const MinHashOptions& options) {
  if (absl::Status s = options.Validate(); !s.ok()) return s;
  return ClassicMinHasher(options);
}

void ClassicMinHasher::Sketch(std::span<const uint64_t> shingles, std::span<uint32_t> sig) const {
  const uint32_t k = options_.num_perm;
  NAZIR_DCHECK(sig.size() == k);
  uint32_t* lanes = sig.data();
  std::fill(lanes, lanes + k, kEmptyLane);
  for (const uint64_t s : shingles) {
    UpdateMinsAffine(a_.data(), b_.data(), static_cast<uint32_t>(s ^ (s >> 32)), lanes, k);
  }
}

// ---------------------------------------------------------------- estimate

double EstimateJaccard(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  NAZIR_DCHECK(a.size() == b.size() && !a.empty());
  const size_t k = a.size();
  size_t equal = 0;
  for (size_t j = 0; j < k; ++j) equal += a[j] == b[j];
  return static_cast<double>(equal) / static_cast<double>(k);
}

}  // namespace nazir
