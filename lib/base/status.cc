#include "nazir/base/status.h"

#include <cstdio>
#include <cstdlib>

#include "nazir/base/check.h"

namespace nazir::internal {

void CheckFailed(const char* file, int line, const char* condition) {
  std::fprintf(stderr, "%s:%d: NAZIR_CHECK failed: %s\n", file, line, condition);
  std::abort();
}

}  // namespace nazir::internal
