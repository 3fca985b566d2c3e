#include "base/bounded_reader.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace nazir::internal {

bool BoundedReader::Fail(std::string what) {
  if (error_.empty()) error_ = std::move(what);
  return false;
}

bool BoundedReader::Read(void* p, size_t n) {
  if (!ok()) return false;
  if (n > left_) {
    return Fail(absl::StrCat("truncated: ", n, " bytes wanted, ", left_, " left"));
  }
  char* out = static_cast<char*>(p);
  while (n > 0) {
    if (window_.empty() && !Refill()) return Fail("read error");
    const size_t k = std::min(n, window_.size());
    std::memcpy(out, window_.data(), k);
    window_.remove_prefix(k);
    out += k;
    n -= k;
    left_ -= k;
  }
  return true;
}

bool BoundedReader::Fits(uint64_t n, uint64_t min_bytes) {
  if (!ok()) return false;
  if (min_bytes == 0 || n <= left_ / min_bytes) return true;
  return Fail(absl::StrCat(n, " elements of >= ", min_bytes, " bytes cannot fit in the ", left_,
                           " bytes left"));
}

bool BoundedReader::Refill() {
  if (file_ == nullptr) return false;
  if (buf_.empty()) buf_.resize(static_cast<size_t>(std::min<uint64_t>(left_, size_t{1} << 20)));
  const size_t want = static_cast<size_t>(std::min<uint64_t>(buf_.size(), left_));
  const size_t got = std::fread(buf_.data(), 1, want, file_);
  window_ = std::string_view(buf_.data(), got);
  return got > 0;
}

}  // namespace nazir::internal
