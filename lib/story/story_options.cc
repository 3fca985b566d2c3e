// StoryOptions: the option table (Set/SetAll by name) and Validate.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

#include "nazir/base/status.h"
#include "nazir/story/story_clusterer.h"

namespace nazir {

namespace {

// The fields StoryOptions::Set knows, by name.
template <typename Fn>
void ForEachStoryOption(StoryOptions& o, Fn fn) {
  fn("threshold", &o.threshold);
  fn("window_seconds", &o.window_seconds);
  fn("core_seconds", &o.core_seconds);
  fn("runup_seconds", &o.runup_seconds);
  fn("decay_half_life_seconds", &o.decay_half_life_seconds);
  fn("decay_floor", &o.decay_floor);
  fn("title_weight", &o.title_weight);
  fn("lead_weight", &o.lead_weight);
  fn("lead_score", &o.lead_score);
  fn("df_prior_docs", &o.df_prior_docs);
  fn("doc_terms", &o.doc_terms);
  fn("centroid_terms", &o.centroid_terms);
  fn("max_df_fraction", &o.max_df_fraction);
  fn("min_docs_for_df_cut", &o.min_docs_for_df_cut);
  fn("min_recent_docs_for_df_cut", &o.min_recent_docs_for_df_cut);
  fn("source_prior_docs", &o.source_prior_docs);
  fn("burst_exponent", &o.burst_exponent);
  fn("burst_half_life_seconds", &o.burst_half_life_seconds);
  fn("burst_prior", &o.burst_prior);
  fn("burst_keep_ratio", &o.burst_keep_ratio);
  fn("merge_stories", &o.merge_stories);
  fn("merge_threshold", &o.merge_threshold);
  fn("absorb_threshold", &o.absorb_threshold);
  fn("absorb_ratio", &o.absorb_ratio);
  fn("refine_batch", &o.refine_batch);
  fn("clitic_min_df", &o.clitic_min_df);
  fn("clitic_df_ratio", &o.clitic_df_ratio);
  fn("clitic_max_full_df", &o.clitic_max_full_df);
  fn("query_terms", &o.query_terms);
  fn("max_postings", &o.max_postings);
  fn("index_terms", &o.index_terms);
  fn("summary_terms", &o.summary_terms);
  fn("source_df_log2_width", &o.source_df_log2_width);
}

bool ParseOption(std::string_view v, double* out) { return absl::SimpleAtod(ToAbsl(v), out); }
bool ParseOption(std::string_view v, bool* out) {
  if (v == "1" || v == "true") return *out = true, true;
  if (v == "0" || v == "false") return *out = false, true;
  return false;
}
template <typename Int>
bool ParseOption(std::string_view v, Int* out) {
  int64_t x = 0;
  if (!absl::SimpleAtoi(ToAbsl(v), &x) || x < std::numeric_limits<Int>::min() ||
      x > std::numeric_limits<Int>::max()) {
    return false;
  }
  *out = static_cast<Int>(x);
  return true;
}

}  // namespace

absl::Status StoryOptions::Set(std::string_view name, std::string_view value) {
  bool found = false, parsed = false;
  std::string names;
  ForEachStoryOption(*this, [&](std::string_view n, auto* field) {
    absl::StrAppend(&names, names.empty() ? "" : ", ", ToAbsl(n));
    if (n != name) return;
    found = true;
    parsed = ParseOption(value, field);
  });
  if (!found) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown story option \"", ToAbsl(name), "\"; known: ", names));
  }
  if (!parsed) {
    return absl::InvalidArgumentError(
        absl::StrCat("story option ", ToAbsl(name), ": cannot read \"", ToAbsl(value), "\""));
  }
  return absl::OkStatus();
}

absl::Status StoryOptions::SetAll(std::string_view assignments) {
  for (absl::string_view kv : absl::StrSplit(ToAbsl(assignments), ',', absl::SkipEmpty())) {
    const size_t eq = kv.find('=');
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("story option \"", kv, "\" is not of the form name=value"));
    }
    const absl::string_view name = kv.substr(0, eq), value = kv.substr(eq + 1);
    NAZIR_RETURN_IF_ERROR(Set({name.data(), name.size()}, {value.data(), value.size()}));
  }
  return absl::OkStatus();
}

absl::Status StoryOptions::Validate() const {
  if (!(threshold > 0 && threshold <= 1)) {
    return absl::InvalidArgumentError("StoryOptions.threshold must be in (0, 1]");
  }
  if (window_seconds < 0) return absl::InvalidArgumentError("StoryOptions.window_seconds < 0");
  if (core_seconds < 0 || runup_seconds < 0) {
    return absl::InvalidArgumentError("StoryOptions.core_seconds and runup_seconds must be >= 0");
  }
  if (!(burst_keep_ratio == 0 || (burst_keep_ratio >= 1 && burst_keep_ratio <= 1e6))) {
    return absl::InvalidArgumentError("StoryOptions.burst_keep_ratio must be 0 or in [1, 1e6]");
  }
  if (!(decay_floor >= 0 && decay_floor <= 1)) {
    return absl::InvalidArgumentError("StoryOptions.decay_floor must be in [0, 1]");
  }
  if (decay_half_life_seconds <= 0) {
    return absl::InvalidArgumentError("StoryOptions.decay_half_life_seconds must be > 0");
  }
  if (!(title_weight >= 0 && title_weight <= 100)) {
    return absl::InvalidArgumentError("StoryOptions.title_weight must be in [0, 100]");
  }
  if (!(lead_weight >= 0 && lead_weight <= 100)) {
    return absl::InvalidArgumentError("StoryOptions.lead_weight must be in [0, 100]");
  }
  if (doc_terms < 1 || doc_terms > 4096 || centroid_terms < 1 || centroid_terms > 65536) {
    return absl::InvalidArgumentError("StoryOptions.doc_terms/centroid_terms out of range");
  }
  if (max_postings < 1) return absl::InvalidArgumentError("StoryOptions.max_postings must be >= 1");
  if (df_prior_docs > 1'000'000) {
    return absl::InvalidArgumentError("StoryOptions.df_prior_docs must be <= 1000000");
  }
  if (query_terms < 1 || index_terms < 1 || summary_terms < 1) {
    return absl::InvalidArgumentError("StoryOptions query/index/summary terms must be >= 1");
  }
  if (!(max_df_fraction > 0 && max_df_fraction <= 1)) {
    return absl::InvalidArgumentError("StoryOptions.max_df_fraction must be in (0, 1]");
  }
  if (!(merge_threshold > 0 && merge_threshold <= 1)) {
    return absl::InvalidArgumentError("StoryOptions.merge_threshold must be in (0, 1]");
  }
  if (!(burst_exponent >= 0 && burst_exponent <= 4) || burst_half_life_seconds <= 0 ||
      !(burst_prior > 0)) {
    return absl::InvalidArgumentError(
        "StoryOptions: burst_exponent in [0, 4], burst_half_life_seconds > 0, burst_prior > 0");
  }
  if (!(clitic_df_ratio >= 1 && clitic_df_ratio <= 1e6)) {
    return absl::InvalidArgumentError("StoryOptions.clitic_df_ratio must be in [1, 1e6]");
  }
  if (!(absorb_threshold >= 0 && absorb_threshold <= 1)) {
    return absl::InvalidArgumentError("StoryOptions.absorb_threshold must be in [0, 1]");
  }
  if (!(absorb_ratio >= 1 && absorb_ratio <= 1e6)) {
    return absl::InvalidArgumentError("StoryOptions.absorb_ratio must be in [1, 1e6]");
  }
  if (source_df_log2_width < 8 || source_df_log2_width > 28) {
    return absl::InvalidArgumentError("StoryOptions.source_df_log2_width must be in [8, 28]");
  }
  return absl::OkStatus();
}
}  // namespace nazir
