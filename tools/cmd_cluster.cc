// nazir cluster: near-duplicate groups (and stories) for a JSONL corpus.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/match.h"

#include "nazir/base/status.h"
#include "nazir/engine/engine.h"
#include "nazir/io/corpus_reader.h"
#include "nazir/io/json_writer.h"

#include "command.h"
#include "output.h"
#include "progress.h"
#include <omp.h>
#include <unistd.h>

namespace nazir::cli {
namespace {

constexpr char kDescription[] =
    "Reads articles (JSONL: one object per line with string fields id and text;\n"
    "optional title, date (ISO 8601), source) and writes one JSON object per\n"
    "input document, in input order:\n"
    "  {\"id\", \"group\": id of the group's anchor (its most republished text;\n"
    "   with --streaming its first article),\n"
    "   \"group_size\", \"similarity\": containment with the anchor, \"status\",\n"
    "   \"story\": id of the story's anchor (the wire story with its follow-ups)}\n"
    "status is ok, or empty/short/boilerplate for documents too short to group\n"
    "(they stay singletons). INPUT may be '-' (stdin) or end in .zst.\n"
    "Bad lines are reported on stderr as FILE:LINE: reason, counted and skipped;\n"
    "the run goes on (use --strict to fail instead).";

// Flag defaults are the library's defaults (EngineOptions{}).
struct Flags {
  const EngineOptions d{};
  std::string output, pairs, save, stories, story_opts;
  ReaderFlags reader;
  std::string hamza_mode = "hamza";
  double threshold = d.verify.threshold, member_threshold = d.member_anchor_threshold,
         link_threshold = d.member_link_threshold, lsh_threshold = d.lsh_threshold,
         global_fraction = d.global_boilerplate_fraction;
  int64_t shingle_size = d.sketch.shingle_size, num_perm = d.sketch.num_perm,
          seed = static_cast<int64_t>(d.sketch.seed), threads = 0, min_tokens = d.min_tokens,
          window = d.sketch.winnow_window, batch_docs = 1024, max_messages = 20,
          source_df = d.source_boilerplate_df, global_df = d.global_boilerplate_min,
          df_log2_width = 0;
  bool strict = false, quiet = false, streaming = false, no_stories = false, verbose = false;
};

absl::StatusOr<EngineOptions> MakeOptions(const Flags& f) {
  EngineOptions o;
  if (f.hamza_mode == "hamza") {
    o.sketch.normalizer.hamza_mode = HamzaMode::kHamza;
  } else if (f.hamza_mode == "seat") {
    o.sketch.normalizer.hamza_mode = HamzaMode::kSeatLetter;
  } else if (f.hamza_mode == "keep") {
    o.sketch.normalizer.hamza_mode = HamzaMode::kKeep;
  } else {
    return absl::InvalidArgumentError("--hamza-mode must be hamza, seat or keep");
  }
  if (f.shingle_size < 1 || f.num_perm < 1 || f.min_tokens < 1 || f.window < 1 || f.source_df < 1 ||
      f.global_df < 1) {
    return absl::InvalidArgumentError("sizes must be positive");
  }
  o.sketch.shingle_size = static_cast<uint32_t>(f.shingle_size);
  o.sketch.num_perm = static_cast<uint32_t>(f.num_perm);
  o.sketch.seed = static_cast<uint64_t>(f.seed);
  o.sketch.winnow_window = static_cast<uint32_t>(f.window);
  o.verify.threshold = f.threshold;
  o.member_anchor_threshold = f.member_threshold;
  o.member_link_threshold = f.link_threshold;
  o.batch_star = !f.streaming;
  o.stories = !f.no_stories;
  o.sketch.story_features = !f.no_stories;
  o.lsh_threshold = f.lsh_threshold;
  NAZIR_RETURN_IF_ERROR(o.story.SetAll(f.story_opts));
  o.min_tokens = static_cast<uint32_t>(f.min_tokens);
  o.record_pairs = !f.pairs.empty();
  o.source_boilerplate_df = static_cast<uint32_t>(f.source_df);
  o.global_boilerplate_min = static_cast<uint32_t>(f.global_df);
  o.global_boilerplate_fraction = f.global_fraction;
  NAZIR_RETURN_IF_ERROR(o.Validate());
  return o;
}

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "nazir cluster: %s\n", std::string(s.message()).c_str());
  return 1;
}

// One JSON object per document, in input order.
absl::Status WriteAssignments(const Engine& e, FILE* out, const std::string& name) {
  std::string line;
  for (uint32_t slot = 0; slot < e.num_slots(); ++slot) {
    line.clear();
    AppendAssignmentJson(e.AssignmentOf(slot), &line);
    std::fwrite(line.data(), 1, line.size(), out);
  }
  return CloseOutput(out, name);
}

// Every verified near-duplicate pair, TSV.
absl::Status WritePairs(const Engine& e, const std::string& path) {
  NAZIR_ASSIGN_OR_RETURN(FILE * f, OpenOutputOrStdout(path));
  std::fprintf(f, "id_a\tid_b\tcontainment\tjaccard\tshared\n");
  for (const VerifiedPair& vp : e.pairs()) {
    std::fprintf(f, "%s\t%s\t%.4f\t%.4f\t%u\n", e.meta(vp.a).id.c_str(), e.meta(vp.b).id.c_str(),
                 vp.score.containment, vp.score.jaccard, vp.score.shared);
  }
  return CloseOutput(f, OutputName(path));
}

int Run(int argc, char** argv) {
  Flags f;
  ArgParser p("nazir cluster", "[INPUT.jsonl | -]", kDescription);
  p.String("output", &f.output, "write results here instead of stdout", 'o');
  p.String("pairs", &f.pairs, "also write verified near-duplicate pairs (TSV) to this file");
  p.String("stories", &f.stories,
           "also write one JSON line per story (anchor, size, groups, outlets, dates, title, "
           "top terms) to this file");
  p.Bool("no-stories", &f.no_stories, "near-duplicate groups only (story = group)");
  p.String("story-opt", &f.story_opts,
           "story clustering settings, NAME=VALUE[,NAME=VALUE...] with the field names of "
           "StoryOptions (nazir/story/story_clusterer.h, where each is explained), e.g. "
           "threshold=0.2,window_seconds=604800");
  p.String("save", &f.save, "save the index to this file afterwards (reopen with the library)");
  p.Double("threshold", &f.threshold,
           "near-duplicate if this share of the shorter text's shingles is in the other");
  p.Double("member-threshold", &f.member_threshold,
           "joining a group through a member needs this containment with its anchor");
  p.Double("link-threshold", &f.link_threshold,
           "batch: a lone article joins its most similar neighbour's group at this containment");
  p.Bool("streaming", &f.streaming,
         "assign articles one at a time in date order, as a feed would, instead of batch stars");
  p.Double("lsh-threshold", &f.lsh_threshold,
           "Jaccard similarity at which MinHash LSH candidate recall is >= 99%");
  // Ranges: the type each ends up in; EngineOptions::Validate checks the rest.
  p.Int("shingle-size", &f.shingle_size, "words per shingle", 1, kMaxUint32);
  p.Int("num-perm", &f.num_perm, "MinHash permutations (multiple of 8)", 1, kMaxUint32);
  p.Int("seed", &f.seed, "hash seed", 0, kMaxInt64);
  p.Int("window", &f.window, "winnowing window for containment anchors (shingles)", 1, kMaxUint32);
  p.Int("min-tokens", &f.min_tokens, "documents with fewer words are flagged, never grouped", 1,
        kMaxUint32);
  p.Int("boilerplate-source-df", &f.source_df,
        "a shingle in this many articles of one source is that source's boilerplate", 1,
        kMaxUint32);
  p.Int("boilerplate-df", &f.global_df,
        "a shingle in max(this, --boilerplate-fraction of all) articles is boilerplate", 1,
        kMaxUint32);
  p.Double("boilerplate-fraction", &f.global_fraction,
           "share of all articles above which a shingle is boilerplate");
  p.Int("df-width", &f.df_log2_width,
        "log2 of the number of boilerplate counters, one byte each (0 = from the input size: "
        "~3 per word, 2^16..2^28; 2^25 when the size is unknown)",
        0, kMaxInt32);
  p.Int("threads", &f.threads, "worker threads (0 = all cores)", 0, kMaxThreads);
  p.Int("batch-docs", &f.batch_docs, "documents sketched per parallel batch", 1, kMaxBatchDocs);
  p.String("hamza-mode", &f.hamza_mode, "hamza folding: hamza, seat or keep");
  AddReaderFlags(&p, &f.reader);
  p.Int("max-messages", &f.max_messages, "input problems printed per kind (all are counted)", 0,
        kMaxInt64);
  p.Bool("strict", &f.strict, "exit with status 1 if any input line had a problem");
  p.Bool("quiet", &f.quiet, "no summary line");
  p.Bool("verbose", &f.verbose, "also print per-phase timings and memory use");
  if (int rc = p.Parse(argc, argv); rc >= 0) return rc;
  if (p.positionals().size() > 1) {
    std::fprintf(stderr, "nazir cluster: expected at most one INPUT, got %zu\n",
                 p.positionals().size());
    return 2;
  }
  const std::string input = p.positionals().empty() ? "-" : p.positionals()[0];
  if (absl::Status st =
          CheckPaths({{"INPUT", input}}, {{"--save", f.save}},
                     {{"-o", f.output}, {"--pairs", f.pairs}, {"--stories", f.stories}});
      !st.ok()) {
    return PathError("nazir cluster", st);
  }
  auto options = MakeOptions(f);
  if (!options.ok()) {
    std::fprintf(stderr, "nazir cluster: %s\n", std::string(options.status().message()).c_str());
    return 2;
  }
  const ReaderOptions ro = f.reader.Options();
  auto reader = CorpusReader::Open(input, ro);
  if (!reader.ok()) return Fail(reader.status());

  absl::StatusOr<FILE*> opened = OpenOutputOrStdout(f.output);
  if (!opened.ok()) return Fail(opened.status());
  FILE* out = *opened;

  const int threads = f.threads > 0 ? static_cast<int>(f.threads) : omp_get_max_threads();
  options->threads = threads;
  if (f.df_log2_width != 0) {
    options->df_log2_width = static_cast<int>(f.df_log2_width);
  } else if (reader->total_bytes() > 0 && !absl::EndsWith(input, ".zst")) {
    // ~11 bytes of JSONL per Arabic word; ~3 counters per word keeps the
    // count-min overestimate negligible (see EngineOptions::df_log2_width).
    const double counters = 3.0 * static_cast<double>(reader->total_bytes()) / 11.0;
    options->df_log2_width = std::clamp(static_cast<int>(std::ceil(std::log2(counters))), 16, 28);
  }
  auto engine = Engine::Create(*options);
  if (!engine.ok()) return Fail(engine.status());
  std::vector<Sketcher> sketchers;
  for (int t = 0; t < threads; ++t) {
    auto sk = (*engine)->NewSketcher();
    if (!sk.ok()) return Fail(sk.status());
    sketchers.push_back(std::move(*sk));
  }

  Progress progress;
  std::vector<InputIssue> issues;
  IssueReporter reporter(reader->path(), f.max_messages, &progress);
  auto report_issues = [&] { reporter.Report(&issues); };
  uint64_t docs = 0;
  int64_t docs_with_text = 0;
  double t_sketch = 0, t_add = 0;  // t_add includes reading the next batch
  auto now = [] { return std::chrono::steady_clock::now(); };
  auto elapsed = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  const double total = static_cast<double>(reader->total_bytes());

  // Pipeline: while the worker threads sketch batch k, one of them first adds
  // batch k-1 to the engine (sequential: document frequencies, ids) and reads
  // batch k+1, then joins the sketching. Two buffers alternate.
  const size_t batch_docs = static_cast<size_t>(f.batch_docs);
  std::vector<Article> batch[2];
  std::vector<ArticleSketch> sketches[2];
  int cur = 0;
  // A small first batch: nothing runs in parallel until it is read.
  bool have = reader->NextBatch(std::min<size_t>(batch_docs, 64), &batch[cur], &issues);
  bool prev_pending = false;
  absl::Status add_status;
  // Input position of batch[cur]'s first article: each article's sketch is made with its
  // position, so that its story features do not depend on which thread sketched which
  // article when (StoryFeaturizer: the chunks of a nonmonotonic schedule reach a thread in any
  // order).
  uint64_t cur_first = 0;
  while (have || prev_pending) {
    report_issues();
    const int prev = 1 - cur;
    const int64_t n = have ? static_cast<int64_t>(batch[cur].size()) : 0;
    if (static_cast<int64_t>(sketches[cur].size()) < n) sketches[cur].resize(n);
    bool next_have = false;
    auto t1 = now();
#pragma omp parallel num_threads(threads)
    {
#pragma omp single nowait
      {
        auto ta = now();
        if (prev_pending) {
          for (size_t i = 0; i < batch[prev].size() && add_status.ok(); ++i) {
            Article& a = batch[prev][i];
            docs_with_text += HasText(a.text);
            DocMeta meta{std::move(a.id), std::move(a.source), a.date, std::move(a.title)};
            add_status = (*engine)->AddSketched(meta, sketches[prev][i]).status();
          }
          docs += batch[prev].size();
        }
        if (have) next_have = reader->NextBatch(batch_docs, &batch[prev], &issues);
        t_add += elapsed(ta, now());
      }
#pragma omp for schedule(dynamic, 16) nowait
      for (int64_t i = 0; i < n; ++i) {
        Article& a = batch[cur][i];
        sketchers[omp_get_thread_num()].Sketch(
            a.title, a.text, cur_first + static_cast<uint64_t>(i), &sketches[cur][i]);
      }
    }
    t_sketch += elapsed(t1, now());
    if (!add_status.ok()) return Fail(add_status);
    progress.Update("sketching", docs, reader->bytes_decoded() / 1e6,
                    total > 0 ? reader->bytes_read() / total : -1);
    prev_pending = have;
    have = next_have;
    cur = prev;
    cur_first += static_cast<uint64_t>(n);
  }
  report_issues();
  if (!reader->status().ok()) return Fail(reader->status());
  if (const std::string why =
          NothingReadReason(reader->path(), reader->lines_read(), static_cast<int64_t>(docs),
                            docs_with_text, ro.fields.text, reporter);
      !why.empty()) {
    progress.Finish();
    std::fprintf(stderr, "nazir cluster: %s\n", why.c_str());
    return 1;
  }
  // The input is read: free the reader's block buffer and the batch buffers
  // (their sketches and story features are in the engine now) before the
  // engine's grouping phases, where the peak memory is.
  const double input_mb = reader->bytes_decoded() / 1e6;
  reader = absl::StatusOr<CorpusReader>(absl::CancelledError("input read"));
  for (int i = 0; i < 2; ++i) {
    std::vector<Article>().swap(batch[i]);
    std::vector<ArticleSketch>().swap(sketches[i]);
  }
  const double sketch_seconds = progress.Seconds();
  const EngineStats before_grouping = (*engine)->Stats();
  const double rss_after_sketch = PeakRssBytes();
  (*engine)->AssignPending([&](uint64_t done, uint64_t all) {
    progress.Update("grouping", done, 0, all ? static_cast<double>(done) / all : -1);
  });
  progress.Finish();

  // Output, in input order.
  const Engine& e = **engine;
  if (absl::Status st = WriteAssignments(e, out, OutputName(f.output)); !st.ok()) {
    return Fail(st);
  }
  if (!f.pairs.empty()) {
    if (absl::Status st = WritePairs(e, f.pairs); !st.ok()) return Fail(st);
  }
  if (!f.stories.empty()) {
    if (absl::Status st = WriteStories(e, f.stories); !st.ok()) return Fail(st);
  }
  if (!f.save.empty()) {
    if (absl::Status s = e.Save(f.save); !s.ok()) return Fail(s);
  }

  const EngineStats st = e.Stats();
  const int64_t total_issues = reporter.total();
  if (!f.quiet) {
    const double secs = progress.Seconds();
    uint64_t flagged = 0;
    for (uint32_t s = 0; s < e.num_slots(); ++s) {
      if (e.AssignmentOf(s).status != DocStatus::kOk) ++flagged;
    }
    std::fprintf(
        stderr,
        "nazir cluster: %llu docs, %llu groups (%llu with 2+ docs), %llu flagged "
        "(empty/short), %lld lines skipped, %lld input problems; %.2f s "
        "(sketch %.2f s), %.1f MB/s, %d threads, peak RSS %.0f MB\n",
        static_cast<unsigned long long>(st.docs), static_cast<unsigned long long>(st.groups),
        static_cast<unsigned long long>(st.multi_doc_groups),
        static_cast<unsigned long long>(flagged), static_cast<long long>(reporter.skipped_lines()),
        static_cast<long long>(total_issues), secs, sketch_seconds,
        secs > 0 ? input_mb / secs : 0.0, threads, PeakRssBytes() / 1e6);
    std::fprintf(stderr,
                 "nazir cluster: %llu candidate pairs verified, %llu near-duplicate pairs "
                 "(found by MinHash LSH %llu, SimHash %llu, anchors %llu)\n",
                 static_cast<unsigned long long>(st.candidates),
                 static_cast<unsigned long long>(st.verified),
                 static_cast<unsigned long long>(st.verified_lsh),
                 static_cast<unsigned long long>(st.verified_simhash),
                 static_cast<unsigned long long>(st.verified_anchor));
    if (f.verbose) {
      std::fprintf(stderr,
                   "nazir cluster: phases (s): read+sketch+add %.2f (of which add+read %.2f, "
                   "df %.2f), "
                   "boilerplate %.2f, index %.2f, verify %.2f, groups %.2f, stories %.2f; "
                   "memory %.0f MB (sketches %.0f, LSH %.0f, SimHash %.0f, anchors %.0f, DF %.0f, "
                   "stories %.0f, ids/titles %.0f)\n",
                   t_sketch, t_add, st.seconds_count, st.seconds_prepare, st.seconds_index,
                   st.seconds_verify, st.seconds_groups, st.seconds_stories, st.memory_bytes / 1e6,
                   st.memory_store / 1e6, st.memory_lsh / 1e6, st.memory_simhash / 1e6,
                   st.memory_anchors / 1e6, st.memory_df / 1e6, st.memory_story / 1e6,
                   st.memory_meta / 1e6);
      std::fprintf(stderr,
                   "nazir cluster: memory before grouping %.0f MB (story features and "
                   "statistics %.0f), peak RSS after sketching %.0f MB\n",
                   before_grouping.memory_bytes / 1e6, before_grouping.memory_story / 1e6,
                   rss_after_sketch / 1e6);
    }
    if (total_issues > 0) {
      std::fprintf(stderr, "nazir cluster: input problems by kind: %s\n",
                   reporter.CountsByKind().c_str());
    }
  }
  return ExitNow(f.strict && total_issues > 0 ? 1 : 0);
}

NAZIR_REGISTER_COMMAND(cluster, "cluster", "near-duplicate groups for a JSONL corpus (all cores)",
                       Run);

}  // namespace
}  // namespace nazir::cli
