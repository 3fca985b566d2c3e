// Error handling conventions for nazir.
//
// Every fallible call returns absl::Status or absl::StatusOr<T>; nazir never
// throws. Codes follow one mapping throughout the library:
//   InvalidArgument     bad options or flags (caught by Validate() up front)
//   FailedPrecondition  parameter-fingerprint mismatch, misuse of a lifecycle
//   DataLoss            corrupt input (message names file:line and the reason)
//   NotFound / Unavailable  I/O failures from the OS
//
// Debian 12 ships Abseil 20220623, which has neither absl/log nor status
// macros, and whose absl::string_view is not std::string_view. This header
// supplies the two macros and the one bridge (ToAbsl) the codebase uses.
#ifndef NAZIR_BASE_STATUS_H_
#define NAZIR_BASE_STATUS_H_

#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nazir {

// Converts a std::string_view to absl::string_view (they are distinct types
// in the Abseil Debian 12 ships).
inline absl::string_view ToAbsl(std::string_view s) { return {s.data(), s.size()}; }
inline std::string_view ToStd(absl::string_view s) { return {s.data(), s.size()}; }

}  // namespace nazir

#define NAZIR_STATUS_CONCAT_INNER_(a, b) a##b
#define NAZIR_STATUS_CONCAT_(a, b) NAZIR_STATUS_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` (an absl::Status) is not OK.
#define NAZIR_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::absl::Status nazir_status_ = (expr);         \
    if (!nazir_status_.ok()) return nazir_status_; \
  } while (false)

// `NAZIR_ASSIGN_OR_RETURN(auto x, MakeX());` assigns the value of an
// absl::StatusOr<T> or returns its status from the enclosing function.
#define NAZIR_ASSIGN_OR_RETURN(lhs, expr) \
  NAZIR_ASSIGN_OR_RETURN_IMPL_(NAZIR_STATUS_CONCAT_(nazir_statusor_, __LINE__), lhs, expr)
#define NAZIR_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return std::move(tmp).status();     \
  lhs = std::move(tmp).value()

#endif  // NAZIR_BASE_STATUS_H_
