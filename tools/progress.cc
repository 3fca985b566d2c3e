#include "progress.h"

#include <cstdio>
#include <cstring>

#include <unistd.h>

namespace nazir::cli {

Progress::Progress()
    : enabled_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_(start_ - std::chrono::seconds(1)) {}

double Progress::Seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::Update(const std::string& phase, uint64_t docs, double mb, double fraction) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (phase != phase_) {  // rates and ETA are per phase
    phase_ = phase;
    phase_start_ = now;
    docs0_ = docs;
    mb0_ = mb;
    fraction0_ = fraction;
    return;
  }
  if (now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  const double s = std::chrono::duration<double>(now - phase_start_).count();
  if (s <= 0) return;
  // Rates and ETA from the first half second are mostly start-up (first
  // pages touched, first block read): leave them out until then.
  const bool settled = s >= 0.5;
  char eta[32] = "";
  if (settled && fraction > fraction0_ && fraction < 1) {
    const int left = static_cast<int>(s * (1 - fraction) / (fraction - fraction0_));
    std::snprintf(eta, sizeof eta, "  ETA %d:%02d", left / 60, left % 60);
  }
  char rate[64] = "";
  if (settled) {
    const int n =
        std::snprintf(rate, sizeof rate, "  %.0f docs/s", static_cast<double>(docs - docs0_) / s);
    if (mb > mb0_ && n > 0) {
      std::snprintf(rate + n, sizeof rate - n, "  %.1f MB/s", (mb - mb0_) / s);
    }
  }
  std::fprintf(stderr, "\r\033[K%s: %llu docs%s%s", phase.c_str(),
               static_cast<unsigned long long>(docs), rate, eta);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::Finish() {
  if (enabled_ && drawn_) std::fprintf(stderr, "\r\033[K");
  drawn_ = false;
}

uint64_t PeakRssBytes() {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  uint64_t kb = 0;
  while (std::fgets(line, sizeof line, f)) {
    if (std::strncmp(line, "VmHWM:", 6) == 0) {
      std::sscanf(line + 6, "%llu", reinterpret_cast<unsigned long long*>(&kb));
      break;
    }
  }
  std::fclose(f);
  return kb * 1024;
}

}  // namespace nazir::cli
