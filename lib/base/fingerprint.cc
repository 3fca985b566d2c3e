#include "nazir/base/fingerprint.h"

#include "absl/strings/str_cat.h"

namespace nazir {

std::string ParamsFingerprint::ToString() const {
  return absl::StrCat("norm=", normalizer, ";n=", shingle_size, ";w=", winnow_window,
                      ";k=", num_perm, ";seed=", seed, ";story=", story, ";hv=", hash_version);
}

uint64_t ParamsFingerprint::Digest() const {
  // FNV-1a 64 over the canonical string: tiny, dependency-free and fixed
  // forever (saved indexes store this digest).
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : ToString()) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

absl::Status ParamsFingerprint::CheckCompatible(const ParamsFingerprint& other) const {
  if (*this == other) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat("sketch parameters differ: expected {",
                                                    ToString(), "}, got {", other.ToString(), "}"));
}

}  // namespace nazir
