// BoundedReader: reads a saved structure (an index file, a story clusterer
// blob) field by field, and never lets a count read from it size more memory
// than the rest of the input could fill. Private to lib/.
//
//   internal::BoundedReader r(blob);
//   uint64_t n;
//   if (!r.Count(&n, /*min_bytes=*/12)) return DataLoss(r.error());  // n * 12 <= bytes left
//   items.resize(n);  // bounded by the input's size, whatever n said
//
// The rule every deserializer follows: a count read from the input may size
// an allocation only after Count (or Fits) has checked that count times the
// smallest encoded size of one element fits in the bytes that remain. A
// corrupt or crafted input with a valid checksum then fails with a message
// instead of allocating tens of GB.
//
// Failures are sticky: after the first one, ok() is false, every read fails
// and error() says what the first failure was. Not thread-safe.
#ifndef NAZIR_BASE_BOUNDED_READER_H_
#define NAZIR_BASE_BOUNDED_READER_H_

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace nazir::internal {

class BoundedReader {
 public:
  // Reads `in` (borrowed: it must outlive the reader).
  explicit BoundedReader(std::string_view in) : window_(in), left_(in.size()) {}
  // Reads the next `bytes` bytes of `f` (borrowed, positioned at them)
  // through a buffer of at most 1 MiB.
  BoundedReader(std::FILE* f, uint64_t bytes) : file_(f), left_(bytes) {}
  BoundedReader(const BoundedReader&) = delete;
  BoundedReader& operator=(const BoundedReader&) = delete;

  // Copies the next n bytes to p. False if fewer remain or reading fails.
  bool Read(void* p, size_t n);

  // A trivially copyable value, as its bytes.
  template <typename T>
  bool Get(T* v) {
    static_assert(std::is_trivially_copyable_v<T>);
    return Read(v, sizeof(T));
  }

  // Whether n elements of at least min_bytes encoded bytes each fit in the
  // bytes left (fails, with error() naming the figures, if not).
  bool Fits(uint64_t n, uint64_t min_bytes);

  // Reads a count (of type CountT) of elements that take at least min_bytes
  // each in the input, and checks that they fit in what is left.
  template <typename CountT>
  bool Count(CountT* n, uint64_t min_bytes) {
    static_assert(std::is_unsigned_v<CountT>);
    return Get(n) && Fits(*n, min_bytes);
  }

  // A string stored as a LenT length and its bytes.
  template <typename LenT = uint64_t>
  bool Bytes(std::string* s) {
    LenT n = 0;
    if (!Count(&n, 1)) return false;
    s->resize(n);
    return Read(s->data(), n);
  }

  // n elements of T stored as their bytes.
  template <typename T>
  bool Vector(uint64_t n, std::vector<T>* v) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!Fits(n, sizeof(T))) return false;
    v->resize(n);
    return Read(v->data(), n * sizeof(T));
  }

  // A CountT count of elements of T, then their bytes.
  template <typename CountT, typename T>
  bool Array(std::vector<T>* v) {
    CountT n = 0;
    return Get(&n) && Vector(n, v);
  }

  uint64_t remaining() const { return left_; }
  bool done() const { return left_ == 0; }
  bool ok() const { return error_.empty(); }
  // What the first failure was ("" while ok()).
  const std::string& error() const { return error_; }

 private:
  bool Fail(std::string what);
  bool Refill();

  std::FILE* file_ = nullptr;
  std::string_view window_;  // buffered bytes not yet read (all of them for a string)
  uint64_t left_;            // bytes not yet read, window_ included
  std::vector<char> buf_;
  std::string error_;
};

}  // namespace nazir::internal

#endif  // NAZIR_BASE_BOUNDED_READER_H_
