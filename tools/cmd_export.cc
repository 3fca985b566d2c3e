// nazir export: the current state of a saved index. `nazir add` writes each
// article's group and story as of its arrival; later articles may re-form a
// group (a removed anchor) or merge stories (a bridging report, the second
// look at a finished story). This command writes where every article stands
// now, and the story summaries, without changing the index.
#include <cstdio>
#include <memory>
#include <string>

#include "nazir/engine/engine.h"

#include "command.h"
#include "output.h"
#include "progress.h"

namespace nazir::cli {
namespace {

constexpr char kDescription[] =
    "Writes the current near-duplicate group and story of every article in a\n"
    "saved index (`nazir add`, `nazir cluster --save`), one JSON object per\n"
    "article in the order they were added: {\"id\", \"group\", \"group_size\",\n"
    "\"similarity\", \"status\", \"story\"} as `nazir cluster` writes them. `nazir\n"
    "add` prints each article's assignment as of its arrival; stories merged and\n"
    "groups re-formed since then show here. Articles removed by --keep-days are\n"
    "not listed. Reads the last saved index; does not change it or wait for a\n"
    "running `nazir add`.";

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "nazir export: %s\n", std::string(s.message()).c_str());
  return 1;
}

int Run(int argc, char** argv) {
  std::string index, output, stories;
  bool quiet = false, settle = false;
  ArgParser p("nazir export", "--index FILE.nzi", kDescription);
  p.String("index", &index, "the saved index to read");
  p.String("output", &output, "write results here instead of stdout", 'o');
  p.String("stories", &stories,
           "also write one JSON line per story (anchor, size, groups, outlets, dates, title, "
           "top terms) to this file");
  p.Bool("settle", &settle,
         "first give the stories still open the second look a batch gives every story "
         "(Engine::SettleStories) in memory; the index is not changed");
  p.Bool("quiet", &quiet, "no summary line");
  if (int rc = p.Parse(argc, argv); rc >= 0) return rc;
  if (index.empty() || !p.positionals().empty()) {
    std::fprintf(stderr, "nazir export: --index is required and takes no INPUT\n");
    return 2;
  }
  if (absl::Status st =
          CheckPaths({{"--index", index}}, {}, {{"-o", output}, {"--stories", stories}});
      !st.ok()) {
    return PathError("nazir export", st);
  }
  Progress progress;
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Open(index);
  if (!engine.ok()) return Fail(engine.status());
  if (settle) (*engine)->SettleStories();
  const Engine& e = **engine;

  absl::StatusOr<FILE*> opened = OpenOutputOrStdout(output);
  if (!opened.ok()) return Fail(opened.status());
  FILE* out = *opened;
  std::string line;
  uint64_t written = 0;
  for (uint32_t slot = 0; slot < e.num_slots(); ++slot) {
    if (!e.alive(slot)) continue;
    line.clear();
    AppendAssignmentJson(e.AssignmentOf(slot), &line);
    std::fwrite(line.data(), 1, line.size(), out);
    ++written;
  }
  if (absl::Status st = CloseOutput(out, OutputName(output)); !st.ok()) {
    return Fail(st);
  }
  if (!stories.empty()) {
    if (absl::Status st = WriteStories(e, stories); !st.ok()) return Fail(st);
  }
  if (!quiet) {
    const EngineStats st = e.Stats();
    std::fprintf(stderr,
                 "nazir export: %s: %llu docs, %llu groups (%llu with 2+ docs); %.2f s, peak "
                 "RSS %.0f MB\n",
                 index.c_str(), static_cast<unsigned long long>(written),
                 static_cast<unsigned long long>(st.groups),
                 static_cast<unsigned long long>(st.multi_doc_groups), progress.Seconds(),
                 PeakRssBytes() / 1e6);
  }
  return ExitNow(0);
}

NAZIR_REGISTER_COMMAND(export_cmd, "export",
                       "write the current groups and stories of a saved index", Run);

}  // namespace
}  // namespace nazir::cli
