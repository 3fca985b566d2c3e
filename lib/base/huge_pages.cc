#include "nazir/base/huge_pages.h"

#include <cstdlib>

#include "nazir/base/check.h"

#include <sys/mman.h>

namespace nazir {

void* AllocateLarge(size_t bytes) {
  constexpr size_t kHugePage = size_t{2} << 20;
  void* p = nullptr;
  if (bytes >= kHugePage) {
    const size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    NAZIR_CHECK(posix_memalign(&p, kHugePage, rounded) == 0);
#ifdef MADV_HUGEPAGE
    madvise(p, rounded, MADV_HUGEPAGE);  // a hint; failure is harmless
#endif
    return p;
  }
  p = std::malloc(bytes == 0 ? 1 : bytes);
  NAZIR_CHECK(p != nullptr);
  return p;
}

}  // namespace nazir
