// `nazir normalize`: ar-nd-1 normalization (or tokens) of each input line.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "nazir/normalize/normalizer.h"
#include "nazir/normalize/tokenizer.h"

#include "command.h"

namespace nazir::cli {
namespace {

int RunNormalize(int argc, char** argv) {
  ArgParser parser(
      "nazir normalize", "[FILE|-]",
      "Reads UTF-8 text lines from FILE (or stdin when FILE is '-' or absent) and writes one\n"
      "line per input line: the ar-nd-1 normalized text (spec NORMALIZATION.md §3: NFKC_Casefold,\n"
      "alef/yeh/teh-marbuta/hamza folding, diacritics and tatweel removed, digits and Arabic\n"
      "punctuation to ASCII, whitespace collapsed) or, with --tokens, its ar-nd-1 tokens (§4)\n"
      "separated by single spaces. Invalid UTF-8 is replaced (and counted on stderr).\n\n"
      "Example:\n"
      "  echo 'قال وزير الخارجية: «مسؤول» ١٥' | nazir normalize --tokens\n"
      "  قال وزير الخارجيه مسءول 15");
  bool tokens_flag = false;
  std::string hamza_mode = "hamza";
  parser.Bool("tokens", &tokens_flag, "print space-separated tokens instead of normalized text");
  parser.String("hamza-mode", &hamza_mode,
                "hamza-seat folding: hamza (ؤ ئ → ء), seat (ؤ → و, ئ → ي) or keep");
  if (int rc = parser.Parse(argc, argv); rc >= 0) return rc;

  NormalizerOptions options;
  if (hamza_mode == "hamza") {
    options.hamza_mode = HamzaMode::kHamza;
  } else if (hamza_mode == "seat") {
    options.hamza_mode = HamzaMode::kSeatLetter;
  } else if (hamza_mode == "keep") {
    options.hamza_mode = HamzaMode::kKeep;
  } else {
    std::fprintf(stderr, "nazir normalize: --hamza-mode must be hamza, seat or keep, got '%s'\n",
                 hamza_mode.c_str());
    return 2;
  }
  if (parser.positionals().size() > 1) {
    std::fprintf(stderr, "nazir normalize: at most one input file\n");
    return 2;
  }
  const std::string path = parser.positionals().empty() ? "-" : parser.positionals()[0];
  FILE* in = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (in == nullptr) {
    std::fprintf(stderr, "nazir normalize: cannot open '%s': %s\n", path.c_str(),
                 std::strerror(errno));
    return 1;
  }

  auto analyzer = TextAnalyzer::Create(options);
  if (!analyzer.ok()) {
    std::fprintf(stderr, "nazir normalize: %s\n", analyzer.status().ToString().c_str());
    return 1;
  }
  const Normalizer& normalizer = analyzer->normalizer();

  char* line = nullptr;
  size_t cap = 0;
  std::string out;
  std::vector<std::string_view> tokens;
  size_t invalid = 0, lines = 0;
  for (ssize_t len; (len = getline(&line, &cap, in)) >= 0;) {
    ++lines;
    std::string_view text(line, static_cast<size_t>(len));
    if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
    if (tokens_flag) {
      invalid += analyzer->Analyze(text, &tokens);
      out.clear();
      for (size_t i = 0; i < tokens.size(); ++i) {
        if (i) out += ' ';
        out += tokens[i];
      }
    } else {
      invalid += normalizer.Normalize(text, &out);
    }
    out += '\n';
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  const bool read_error = std::ferror(in);
  std::free(line);
  if (in != stdin) std::fclose(in);
  if (invalid > 0) {
    std::fprintf(stderr, "nazir normalize: replaced %zu invalid UTF-8 sequence(s) in %zu line(s)\n",
                 invalid, lines);
  }
  if (read_error) {
    std::fprintf(stderr, "nazir normalize: read error on '%s'\n", path.c_str());
    return 1;
  }
  if (std::fflush(stdout) != 0) return 1;
  return 0;
}

}  // namespace

NAZIR_REGISTER_COMMAND(normalize, "normalize",
                       "print ar-nd-1 normalized text or tokens of each input line", RunNormalize);

}  // namespace nazir::cli
