// Helpers shared by the libFuzzer targets of tests/fuzz.
#ifndef NAZIR_TESTS_FUZZ_FUZZ_UTIL_H_
#define NAZIR_TESTS_FUZZ_FUZZ_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <sys/mman.h>
#include <unistd.h>

namespace nazir::fuzz {

// Stops the run with a libFuzzer crash report: the input broke a property the
// library promises (not a memory error, which the sanitizers catch).
[[noreturn]] inline void Fail(const char* what) {
  std::fprintf(stderr, "nazir fuzz property violated: %s\n", what);
  std::abort();
}
#define NAZIR_FUZZ_CHECK(cond)               \
  do {                                       \
    if (!(cond)) ::nazir::fuzz::Fail(#cond); \
  } while (0)

// An in-memory file (memfd) with a path, for APIs that open a path
// (CorpusReader::Open, Engine::Open): no disk writes, nothing left behind
// when the process dies. One per process; Write replaces its content.
class MemFile {
 public:
  MemFile() : fd_(::memfd_create("nazir-fuzz", MFD_CLOEXEC)) {
    if (fd_ < 0) Fail("memfd_create");
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;

  // The path of the file, valid in this process only.
  const std::string& Write(std::string_view content) {
    if (::ftruncate(fd_, 0) != 0) Fail("ftruncate");
    size_t done = 0;
    while (done < content.size()) {
      const ssize_t n =
          ::pwrite(fd_, content.data() + done, content.size() - done, static_cast<off_t>(done));
      if (n <= 0) Fail("pwrite");
      done += static_cast<size_t>(n);
    }
    return path_;
  }

 private:
  int fd_;
  std::string path_;
};

}  // namespace nazir::fuzz

#endif  // NAZIR_TESTS_FUZZ_FUZZ_UTIL_H_
