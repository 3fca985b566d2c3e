// Fuzz target: the JSONL corpus reader (lib/io/corpus_reader.cc).
//
// Input: byte 0 picks the reader's settings, the rest is the file's content:
//   bits 0-2  block_bytes: 1, 2, 3, 5, 8, 13, 64 or 4096 (reads split lines, escapes
//             and UTF-8 sequences at every possible place)
//   bits 3-4  max_line_bytes: 64 MiB (the default), 1, 40 or 300
//   bit 5     decode_html_entities off
//   bits 6-7  documents per NextBatch call: 1, 2, 7 or 4096
// The file is a memfd (no disk writes). Besides memory errors and UB it checks
// that what the reader returns does not depend on how the input is cut into
// blocks (the same file read with one big block gives the same articles and
// issues), that it reads the whole file without an I/O error, and what
// corpus_reader.h promises of each article: a non-empty id seen once, valid
// UTF-8 strings, increasing line numbers.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include <unicode/utf8.h>

#include "nazir/io/corpus_reader.h"

#include "tests/fuzz/fuzz_util.h"

namespace {

bool ValidUtf8(std::string_view s) {
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    if (c < 0) return false;
  }
  return true;
}

struct Result {
  std::vector<nazir::Article> articles;
  std::vector<nazir::InputIssue> issues;
  int64_t bytes = 0, lines = 0;
};

Result ReadAll(const std::string& path, const nazir::ReaderOptions& options, size_t batch_docs) {
  auto reader = nazir::CorpusReader::Open(path, options);
  if (!reader.ok()) nazir::fuzz::Fail("CorpusReader::Open failed on a memfd");
  Result r;
  std::vector<nazir::Article> batch;
  while (reader->NextBatch(batch_docs, &batch, &r.issues)) {
    NAZIR_FUZZ_CHECK(!batch.empty() && batch.size() <= batch_docs);
    for (nazir::Article& a : batch) r.articles.push_back(std::move(a));
  }
  NAZIR_FUZZ_CHECK(reader->status().ok());
  NAZIR_FUZZ_CHECK(batch.empty());
  r.bytes = reader->bytes_decoded();
  r.lines = reader->lines_read();
  return r;
}

bool SameArticle(const nazir::Article& a, const nazir::Article& b) {
  return std::tie(a.id, a.title, a.text, a.source, a.date, a.line, a.text_repaired) ==
         std::tie(b.id, b.title, b.text, b.source, b.date, b.line, b.text_repaired);
}

bool SameIssue(const nazir::InputIssue& a, const nazir::InputIssue& b) {
  return std::tie(a.kind, a.line, a.message, a.skipped) ==
         std::tie(b.kind, b.line, b.message, b.skipped);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto* const file = new nazir::fuzz::MemFile;
  if (size == 0) return 0;
  constexpr size_t kBlocks[8] = {1, 2, 3, 5, 8, 13, 64, 4096};
  constexpr size_t kMaxLines[4] = {size_t{64} << 20, 1, 40, 300};
  constexpr size_t kBatch[4] = {1, 2, 7, 4096};
  const uint8_t knobs = data[0];
  nazir::ReaderOptions options;
  options.block_bytes = kBlocks[knobs & 7];
  options.max_line_bytes = kMaxLines[(knobs >> 3) & 3];
  options.decode_html_entities = (knobs & 0x20) == 0;
  const size_t batch_docs = kBatch[knobs >> 6];
  const std::string_view content(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string& path = file->Write(content);

  const Result small = ReadAll(path, options, batch_docs);
  options.block_bytes = content.size() + 1;  // the whole file in one read
  const Result whole = ReadAll(path, options, 4096);

  NAZIR_FUZZ_CHECK(small.bytes == static_cast<int64_t>(content.size()));
  NAZIR_FUZZ_CHECK(whole.bytes == small.bytes && whole.lines == small.lines);
  NAZIR_FUZZ_CHECK(small.articles.size() == whole.articles.size());
  NAZIR_FUZZ_CHECK(small.issues.size() == whole.issues.size());
  for (size_t i = 0; i < small.articles.size(); ++i) {
    NAZIR_FUZZ_CHECK(SameArticle(small.articles[i], whole.articles[i]));
  }
  for (size_t i = 0; i < small.issues.size(); ++i) {
    NAZIR_FUZZ_CHECK(SameIssue(small.issues[i], whole.issues[i]));
    NAZIR_FUZZ_CHECK(small.issues[i].line >= 1 && small.issues[i].line <= small.lines);
  }
  absl::flat_hash_set<std::string_view> ids;
  int64_t last_line = 0;
  for (const nazir::Article& a : small.articles) {
    NAZIR_FUZZ_CHECK(!a.id.empty());
    NAZIR_FUZZ_CHECK(ids.insert(a.id).second);
    NAZIR_FUZZ_CHECK(a.line > last_line && a.line <= small.lines);
    last_line = a.line;
    NAZIR_FUZZ_CHECK(ValidUtf8(a.id) && ValidUtf8(a.title) && ValidUtf8(a.text) &&
                     ValidUtf8(a.source));
  }
  return 0;
}
