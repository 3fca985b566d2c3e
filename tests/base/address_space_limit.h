// LimitAddressSpaceGrowth: lets a death-test child (EXPECT_EXIT) grow its
// address space by at most `bytes` more, so a test can prove that code does
// not allocate what a crafted input asks for: an allocation past the limit
// fails (std::bad_alloc, a failed mmap, ASan's out-of-memory report) and
// kills the child, where without the limit it would eat the machine's memory
// or pass unnoticed. Relative to the current size, so it also works under
// ASan, whose shadow memory is terabytes of reserved address space.
#ifndef NAZIR_TESTS_BASE_ADDRESS_SPACE_LIMIT_H_
#define NAZIR_TESTS_BASE_ADDRESS_SPACE_LIMIT_H_

#include <cstdint>
#include <fstream>

#include <sys/resource.h>
#include <unistd.h>

namespace nazir::testing {

inline bool LimitAddressSpaceGrowth(uint64_t bytes) {
  uint64_t pages = 0;
  std::ifstream statm("/proc/self/statm");
  if (!(statm >> pages)) return false;
  const uint64_t limit = pages * static_cast<uint64_t>(sysconf(_SC_PAGESIZE)) + bytes;
  const rlimit rl{limit, limit};
  return setrlimit(RLIMIT_AS, &rl) == 0;
}

}  // namespace nazir::testing

#endif  // NAZIR_TESTS_BASE_ADDRESS_SPACE_LIMIT_H_
