// nazir add: the feed pipeline from the command line. Opens a saved index (or
// starts one), assigns each new article at once, as Engine::Add does, and
// saves the index for the next run.
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"

#include "nazir/base/status.h"
#include "nazir/engine/engine.h"
#include "nazir/io/corpus_reader.h"
#include "nazir/io/json_writer.h"
#include "nazir/story/story_features.h"

#include "command.h"
#include "output.h"
#include "progress.h"
#include <fcntl.h>
#include <omp.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace nazir::cli {
namespace {

constexpr char kDescription[] =
    "Adds articles (JSONL, the fields of `nazir cluster`) to a saved index one at a\n"
    "time, in input order, exactly as a feed pipeline embedding the library would\n"
    "(Engine::Add): each article joins the group of the most similar earlier anchor\n"
    "it near-duplicates, and a story, at once. Writes one JSON object per added\n"
    "article ({\"id\", \"group\", \"group_size\", \"similarity\", \"status\", \"story\"},\n"
    "as of its arrival), then saves the index atomically.\n"
    "If --index does not exist, a new index with the library's default settings is\n"
    "started (use `nazir cluster --save` to start one from a batch with other\n"
    "settings). An id already in the index is an input problem: reported as\n"
    "FILE:LINE and skipped. With --keep-days N the index keeps a window: articles\n"
    "dated more than N days before the newest one are removed (their groups\n"
    "re-formed without them) and not saved, so a daily job's index stays the size\n"
    "of N days of news. Runs that update the same index take turns (a lock on\n"
    "INDEX.lock; --no-save runs read the last saved index and do not wait).\n"
    "`nazir export` writes where every article of the index stands now.";

// Serializes the runs that update one index: an exclusive flock(2) on
// INDEX.lock, held until the process ends (the descriptor is never closed).
// Two overlapping daily jobs would otherwise both open the old index and the
// second save would drop the first one's articles. Waits up to
// `timeout_seconds` (< 0: no limit) for the other run, saying so once.
absl::Status LockIndex(const std::string& index, double timeout_seconds) {
  const std::string path = index + ".lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot open lock file ", path, ": ", std::strerror(errno)));
  }
  const auto start = std::chrono::steady_clock::now();
  bool said = false;
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      const int err = errno;
      ::close(fd);
      return absl::UnavailableError(absl::StrCat("cannot lock ", path, ": ", std::strerror(err)));
    }
    const double waited =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (timeout_seconds >= 0 && waited >= timeout_seconds) {
      ::close(fd);
      return absl::UnavailableError(
          absl::StrCat("index ", index, " is being updated by another nazir add (", path,
                       " is locked); gave up after ", timeout_seconds, " s (--lock-timeout)"));
    }
    if (!said) {
      std::fprintf(stderr, "nazir add: waiting for another nazir add to finish with %s\n",
                   index.c_str());
      said = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return absl::OkStatus();
}

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// newest - days * 86400 (--keep-days), saturating at the smallest date: a
// window longer than the representable past keeps everything, where the
// overflowing product used to put the cut-off after every date.
int64_t KeepDaysCutoff(int64_t newest, int64_t days) {
  int64_t span = 0, cutoff = 0;
  if (__builtin_mul_overflow(days, int64_t{86400}, &span) ||
      __builtin_sub_overflow(newest, span, &cutoff)) {
    return std::numeric_limits<int64_t>::min();
  }
  return cutoff;
}

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "nazir add: %s\n", std::string(s.message()).c_str());
  return 1;
}

int Run(int argc, char** argv) {
  std::string index, output, stories;
  ReaderFlags reader_flags;
  int64_t threads = 0, batch_docs = 256, max_messages = 20, keep_days = 0;
  bool strict = false, quiet = false, no_save = false;
  double lock_timeout = -1;
  ArgParser p("nazir add", "--index FILE.nzi [INPUT.jsonl | -]", kDescription);
  p.String("index", &index, "the saved index to open (created if it does not exist)");
  p.String("output", &output, "write results here instead of stdout", 'o');
  p.String("stories", &stories,
           "after adding, write one JSON line per story in the index (as `nazir export "
           "--stories`) to this file");
  p.Bool("no-save", &no_save, "do not write the index back (a dry run)");
  p.Double("lock-timeout", &lock_timeout,
           "seconds to wait for another nazir add updating the same index (< 0: no limit)");
  p.Int("keep-days", &keep_days,
        "after adding, remove articles dated more than this many days before the newest "
        "one, so the saved index keeps a window (0 = keep everything)",
        0, kMaxInt64);
  p.Int("threads", &threads, "threads that sketch ahead of the one-at-a-time assignment (0 = all)",
        0, kMaxThreads);
  p.Int("batch-docs", &batch_docs, "documents read and sketched per batch", 1, kMaxBatchDocs);
  AddReaderFlags(&p, &reader_flags);
  p.Int("max-messages", &max_messages, "input problems printed per kind (all are counted)", 0,
        kMaxInt64);
  p.Bool("strict", &strict, "exit with status 1 if any input line had a problem");
  p.Bool("quiet", &quiet, "no summary line");
  if (int rc = p.Parse(argc, argv); rc >= 0) return rc;
  if (index.empty()) {
    std::fprintf(stderr, "nazir add: --index is required\n");
    return 2;
  }
  if (p.positionals().size() > 1 || batch_docs < 1 || keep_days < 0) {
    std::fprintf(stderr,
                 "nazir add: expected at most one INPUT, --batch-docs >= 1 and --keep-days >= 0\n");
    return 2;
  }
  const std::string input = p.positionals().empty() ? "-" : p.positionals()[0];
  // The index is read, then replaced (unless --no-save): no output may be it.
  std::vector<PathArg> inputs = {{"INPUT", input}}, replaced = {{"--index", index}};
  if (no_save) inputs.push_back(replaced[0]), replaced.clear();
  if (absl::Status st = CheckPaths(inputs, replaced, {{"-o", output}, {"--stories", stories}});
      !st.ok()) {
    return PathError("nazir add", st);
  }

  if (!no_save) {
    if (absl::Status st = LockIndex(index, lock_timeout); !st.ok()) return Fail(st);
  }
  Progress progress;
  const bool existed = FileExists(index);
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      existed ? Engine::Open(index) : Engine::Create(EngineOptions{});
  if (!engine.ok()) return Fail(engine.status());
  const double open_seconds = progress.Seconds();
  const uint32_t docs_before = static_cast<uint32_t>((*engine)->Stats().alive);

  const ReaderOptions ro = reader_flags.Options();
  auto reader = CorpusReader::Open(input, ro);
  if (!reader.ok()) return Fail(reader.status());
  absl::StatusOr<FILE*> opened = OpenOutputOrStdout(output);
  if (!opened.ok()) return Fail(opened.status());
  FILE* out = *opened;

  const int nthreads = threads > 0 ? static_cast<int>(threads) : omp_get_max_threads();
  std::vector<Sketcher> sketchers;
  for (int t = 0; t < nthreads; ++t) {
    auto sk = (*engine)->NewSketcher();
    if (!sk.ok()) return Fail(sk.status());
    sketchers.push_back(std::move(*sk));
  }
  std::vector<InputIssue> issues;
  IssueReporter reporter(reader->path(), max_messages, &progress);
  std::vector<Article> batch;
  std::vector<ArticleSketch> sketches;
  std::string line;
  uint64_t added = 0;
  int64_t docs_read = 0, docs_with_text = 0;
  const double total = static_cast<double>(reader->total_bytes());
  // Sketching is parallel; assignment is one article at a time in input
  // order, so the result is that of Engine::Add on each line in turn (each
  // article is sketched with its input position: StoryFeaturizer).
  uint64_t batch_first = 0;
  // The term spellings of articles refused as duplicates, for the next article added: a
  // featurizer emits each spelling with the first article (in input order) that has the term,
  // whether it is added or not (StoryFeatures::new_strings), and no later article of its
  // emits it again. Handed on, they reach the clusterer as if in the refused article's place;
  // dropped, the spellings would depend on which thread sketched which article.
  StoryFeatures refused_strings;
  while (reader->NextBatch(static_cast<size_t>(batch_docs), &batch, &issues)) {
    reporter.Report(&issues);
    const int64_t n = static_cast<int64_t>(batch.size());
    docs_read += n;
    for (const Article& a : batch) docs_with_text += HasText(a.text);
    if (static_cast<int64_t>(sketches.size()) < n) sketches.resize(n);
#pragma omp parallel for num_threads(nthreads) schedule(dynamic, 8)
    for (int64_t i = 0; i < n; ++i) {
      sketchers[omp_get_thread_num()].Sketch(batch[i].title, batch[i].text,
                                             batch_first + static_cast<uint64_t>(i), &sketches[i]);
    }
    batch_first += static_cast<uint64_t>(n);
    for (int64_t i = 0; i < n; ++i) {
      Article& a = batch[i];
      const DocMeta meta{std::move(a.id), std::move(a.source), a.date, std::move(a.title)};
      StoryFeatures& story = sketches[i].story;
      if (!refused_strings.new_strings.empty()) {  // first: they come from earlier articles
        story.new_strings.insert(story.new_strings.begin(),
                                 std::make_move_iterator(refused_strings.new_strings.begin()),
                                 std::make_move_iterator(refused_strings.new_strings.end()));
        story.new_string_ids.insert(story.new_string_ids.begin(),
                                    refused_strings.new_string_ids.begin(),
                                    refused_strings.new_string_ids.end());
        refused_strings.Clear();
      }
      absl::StatusOr<Assignment> as = (*engine)->AddSketch(meta, sketches[i]);
      if (absl::IsAlreadyExists(as.status())) {
        refused_strings.new_strings.swap(story.new_strings);
        refused_strings.new_string_ids.swap(story.new_string_ids);
        reporter.Report(InputIssue{IssueKind::kDuplicateId, a.line,
                                   "id \"" + meta.id + "\" is already in the index " + index,
                                   true});
        continue;
      }
      if (!as.ok()) return Fail(as.status());
      line.clear();
      AppendAssignmentJson(*as, &line);
      std::fwrite(line.data(), 1, line.size(), out);
      ++added;
    }
    progress.Update("adding", added, reader->bytes_decoded() / 1e6,
                    total > 0 ? reader->bytes_read() / total : -1);
  }
  reporter.Report(&issues);
  progress.Finish();
  if (!reader->status().ok()) return Fail(reader->status());
  // Nothing read is a failure, and the index is not saved.
  if (const std::string why = NothingReadReason(reader->path(), reader->lines_read(), docs_read,
                                                docs_with_text, ro.fields.text, reporter);
      !why.empty()) {
    std::fprintf(stderr, "nazir add: %s\n", why.c_str());
    return 1;
  }
  if (absl::Status st = CloseOutput(out, OutputName(output)); !st.ok()) {
    return Fail(st);
  }
  const double add_seconds = progress.Seconds() - open_seconds;
  std::string retention;
  if (keep_days > 0 && (*engine)->NewestDate() != DocMeta::kNoDate) {
    const int64_t cutoff = KeepDaysCutoff((*engine)->NewestDate(), keep_days);
    const size_t removed = (*engine)->RemoveBefore(cutoff);
    retention = "; removed " + std::to_string(removed) + " docs dated before " +
                (cutoff == std::numeric_limits<int64_t>::min() ? std::string("any date")
                                                               : FormatDateTime(cutoff)) +
                " (--keep-days " + std::to_string(keep_days) + ")";
  }
  if (!no_save) {
    if (absl::Status st = (*engine)->Save(index); !st.ok()) return Fail(st);
  }
  if (!stories.empty()) {
    if (absl::Status st = WriteStories(**engine, stories); !st.ok()) return Fail(st);
  }
  if (!quiet) {
    const EngineStats st = (*engine)->Stats();
    std::fprintf(
        stderr,
        "nazir add: %s index %s (%u docs, %.2f s); added %llu docs in %.2f s "
        "(%.0f docs/s)%s; %llu docs, %llu groups (%llu with 2+ docs)%s; %lld lines "
        "skipped, %lld input problems; %.2f s in all, peak RSS %.0f MB\n",
        existed ? "opened" : "created", index.c_str(), docs_before, open_seconds,
        static_cast<unsigned long long>(added), add_seconds,
        add_seconds > 0 ? added / add_seconds : 0.0, retention.c_str(),
        static_cast<unsigned long long>(st.alive), static_cast<unsigned long long>(st.groups),
        static_cast<unsigned long long>(st.multi_doc_groups),
        no_save ? "; not saved (--no-save)" : "; saved",
        static_cast<long long>(reporter.skipped_lines()), static_cast<long long>(reporter.total()),
        progress.Seconds(), PeakRssBytes() / 1e6);
    if (reporter.total() > 0) {
      std::fprintf(stderr, "nazir add: input problems by kind: %s\n",
                   reporter.CountsByKind().c_str());
    }
  }
  return ExitNow(strict && reporter.total() > 0 ? 1 : 0);
}

NAZIR_REGISTER_COMMAND(add, "add", "add articles one at a time to a saved index (feed pipeline)",
                       Run);

}  // namespace
}  // namespace nazir::cli
