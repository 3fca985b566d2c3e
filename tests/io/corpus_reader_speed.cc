// Measures CorpusReader throughput: corpus_reader_speed FILE [BATCH]
// Prints docs, issues and MB/s of decoded JSONL (best of 3 passes).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "nazir/io/corpus_reader.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE [BATCH]\n", argv[0]);
    return 2;
  }
  const size_t batch_size = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 4096;
  double best = 0;
  for (int pass = 0; pass < 3; ++pass) {
    auto reader = nazir::CorpusReader::Open(argv[1]);
    if (!reader.ok()) {
      std::fprintf(stderr, "%s\n", reader.status().ToString().c_str());
      return 1;
    }
    std::vector<nazir::Article> batch;
    std::vector<nazir::InputIssue> issues;
    int64_t docs = 0, text_bytes = 0;
    const auto t0 = std::chrono::steady_clock::now();
    while (reader->NextBatch(batch_size, &batch, &issues)) {
      docs += static_cast<int64_t>(batch.size());
      for (const auto& a : batch) text_bytes += static_cast<int64_t>(a.text.size());
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!reader->status().ok()) {
      std::fprintf(stderr, "%s\n", reader->status().ToString().c_str());
      return 1;
    }
    const double mbs = static_cast<double>(reader->bytes_decoded()) / s / 1e6;
    if (mbs > best) best = mbs;
    std::printf("pass %d: %lld docs, %zu issues, %lld text bytes, %.1f MB in %.3f s = %.0f MB/s\n",
                pass, static_cast<long long>(docs), issues.size(),
                static_cast<long long>(text_bytes),
                static_cast<double>(reader->bytes_decoded()) / 1e6, s, mbs);
  }
  std::printf("best: %.0f MB/s\n", best);
  return 0;
}
