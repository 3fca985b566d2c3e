#include "nazir/cluster/verify.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

#include "nazir/sketch/shingle_set.h"

namespace nazir {

absl::Status VerifyOptions::Validate() const {
  if (!(threshold > 0 && threshold <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("near-duplicate threshold must be in (0, 1], got ", threshold));
  }
  if (min_shared < 1) return absl::InvalidArgumentError("min_shared must be >= 1");
  return absl::OkStatus();
}

PairScore ScorePair(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  PairScore s;
  s.size_a = static_cast<uint32_t>(a.size());
  s.size_b = static_cast<uint32_t>(b.size());
  if (a.empty() || b.empty()) return s;
  s.shared = static_cast<uint32_t>(IntersectionSize(a, b));
  const uint32_t smaller = std::min(s.size_a, s.size_b);
  s.containment = static_cast<float>(s.shared) / static_cast<float>(smaller);
  s.jaccard = static_cast<float>(s.shared) / static_cast<float>(s.size_a + s.size_b - s.shared);
  return s;
}

}  // namespace nazir
