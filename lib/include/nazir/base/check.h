// Invariant checks. NAZIR_CHECK is always on and aborts with file:line and the
// failed condition; it guards invariants whose violation means a bug in nazir,
// never bad input (bad input gets an absl::Status). NAZIR_DCHECK compiles away
// in NDEBUG builds and documents hot-path preconditions.
#ifndef NAZIR_BASE_CHECK_H_
#define NAZIR_BASE_CHECK_H_

namespace nazir::internal {
[[noreturn]] void CheckFailed(const char* file, int line, const char* condition);
}  // namespace nazir::internal

#define NAZIR_CHECK(cond)                                                                        \
  do {                                                                                           \
    if (__builtin_expect(!(cond), 0)) ::nazir::internal::CheckFailed(__FILE__, __LINE__, #cond); \
  } while (false)

#ifdef NDEBUG
#define NAZIR_DCHECK(cond)   \
  do {                       \
    if (false) (void)(cond); \
  } while (false)
#else
#define NAZIR_DCHECK(cond) NAZIR_CHECK(cond)
#endif

#endif  // NAZIR_BASE_CHECK_H_
