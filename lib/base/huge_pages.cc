#include "nazir/base/huge_pages.h"

#include <cstdint>
#include <cstdlib>

#include "nazir/base/check.h"

#include <sys/mman.h>

namespace nazir {

namespace {

constexpr size_t kHugePage = size_t{2} << 20;

size_t RoundUp(size_t bytes) { return (bytes + kHugePage - 1) / kHugePage * kHugePage; }

}  // namespace

void* AllocateLarge(size_t bytes) {
  void* p = nullptr;
  if (bytes >= kHugePage) {
    const size_t rounded = RoundUp(bytes);
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

void* AllocateZeroedLarge(size_t bytes) {
  if (bytes < kHugePage) {
    void* p = std::calloc(1, bytes == 0 ? 1 : bytes);
    NAZIR_CHECK(p != nullptr);
    return p;
  }
  // Map one huge page more than needed, then unmap the unaligned head and the
  // tail, so the block starts on a 2 MiB boundary (THP only backs aligned
  // 2 MiB ranges).
  const size_t rounded = RoundUp(bytes);
  void* raw = mmap(nullptr, rounded + kHugePage, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  NAZIR_CHECK(raw != MAP_FAILED);
  const uintptr_t start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (start + kHugePage - 1) & ~(uintptr_t{kHugePage} - 1);
  if (aligned > start) munmap(raw, aligned - start);
  const uintptr_t end = start + rounded + kHugePage;
  if (end > aligned + rounded)
    munmap(reinterpret_cast<void*>(aligned + rounded), end - aligned - rounded);
  void* p = reinterpret_cast<void*>(aligned);
#ifdef MADV_HUGEPAGE
  madvise(p, rounded, MADV_HUGEPAGE);  // a hint; failure is harmless
#endif
  return p;
}

void FreeZeroedLarge(void* p, size_t bytes) {
  if (p == nullptr) return;
  if (bytes < kHugePage) {
    std::free(p);
  } else {
    munmap(p, RoundUp(bytes));
  }
}

}  // namespace nazir
