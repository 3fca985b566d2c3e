// Progress line on stderr (only when stderr is a terminal) and peak RSS.
#ifndef NAZIR_TOOLS_PROGRESS_H_
#define NAZIR_TOOLS_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <string>

namespace nazir::cli {

class Progress {
 public:
  Progress();
  // Redraws the line at most every 200 ms. Rates and the ETA are measured
  // from the first update of `phase` (which draws nothing). fraction < 0 =
  // unknown (no ETA); mb <= 0 = no MB/s.
  void Update(const std::string& phase, uint64_t docs, double mb, double fraction);
  void Finish();  // clears the line
  double Seconds() const;
  bool enabled() const { return enabled_; }

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_, phase_start_;
  std::string phase_;
  uint64_t docs0_ = 0;
  double mb0_ = 0, fraction0_ = 0;
};

// Peak resident set size of this process in bytes (VmHWM), 0 if unknown.
uint64_t PeakRssBytes();

}  // namespace nazir::cli

#endif  // NAZIR_TOOLS_PROGRESS_H_
