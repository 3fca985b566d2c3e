// nazir: near-duplicate groups and stories for Arabic news.
// Dispatches `nazir <command> ...` to the commands registered in cmd_*.cc.
#include <cstdio>
#include <cstring>
#include <string>

#include "command.h"

namespace {

void PrintUsage(FILE* out) {
  std::fprintf(out,
               "nazir - near-duplicate groups and stories for Arabic news\n\n"
               "Usage: nazir <command> [OPTIONS] [ARGS]\n       nazir --version\n\nCommands:\n");
  for (const auto& [name, cmd] : nazir::cli::Registry()) {
    std::fprintf(out, "  %-12s %s\n", name.c_str(), cmd.summary.c_str());
  }
  std::fprintf(out, "\nRun 'nazir <command> --help' for a command's options.\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(stderr);
    return 2;
  }
  std::string cmd = argv[1];
  if (cmd == "-h" || cmd == "--help" || cmd == "help") {
    PrintUsage(stdout);
    return 0;
  }
  if (cmd == "--version" || cmd == "-V") {
    std::printf("nazir %s\n", NAZIR_VERSION);
    return 0;
  }
  auto& registry = nazir::cli::Registry();
  auto it = registry.find(cmd);
  if (it == registry.end()) {
    std::fprintf(stderr, "nazir: unknown command '%s'\n\n", cmd.c_str());
    PrintUsage(stderr);
    return 2;
  }
  return it->second.run(argc - 1, argv + 1);
}
