// Subcommand registry and a small argument parser for the `nazir` CLI.
//
// Each tools/cmd_<name>.cc registers itself with NAZIR_REGISTER_COMMAND; the
// main program dispatches on argv[1]. Arguments are GNU-style: `--flag value`,
// `--flag=value`, `-o value`, boolean `--flag`, and positionals; `--` ends
// options. Unknown flags are errors (exit status 2).
#ifndef NAZIR_TOOLS_COMMAND_H_
#define NAZIR_TOOLS_COMMAND_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nazir::cli {

struct Command {
  std::string name;
  std::string summary;                  // one line for `nazir --help`
  std::function<int(int, char**)> run;  // argv[0] is the command name
};

std::map<std::string, Command>& Registry();

struct Registrar {
  explicit Registrar(Command c);
};

#define NAZIR_REGISTER_COMMAND(var, ...) \
  static ::nazir::cli::Registrar var##_registrar(::nazir::cli::Command{__VA_ARGS__})

// Declarative flag set. Usage:
//   ArgParser p("nazir normalize", "[FILE]", "Normalizes ...");
//   bool tokens = false;
//   p.Bool("tokens", &tokens, "print tokens instead of text");
//   p.Int("threads", &threads, "worker threads (0 = all)", 0, kMaxThreads);
//   if (int rc = p.Parse(argc, argv); rc >= 0) return rc;  // help or error
class ArgParser {
 public:
  ArgParser(std::string prog, std::string positional_usage, std::string description);

  void Bool(const std::string& name, bool* out, const std::string& help);
  void String(const std::string& name, std::string* out, const std::string& help,
              char short_name = 0);
  // An integer flag accepts only values in [min, max] (the range of the type
  // it ends up in, or narrower); anything else, including a value beyond
  // int64, is a usage error naming the flag.
  void Int(const std::string& name, int64_t* out, const std::string& help, int64_t min,
           int64_t max);
  // A number flag refuses NaN.
  void Double(const std::string& name, double* out, const std::string& help);

  // Returns -1 when the program should continue, otherwise the exit code
  // (0 after --help, 2 after a usage error, which is printed to stderr).
  int Parse(int argc, char** argv);
  const std::vector<std::string>& positionals() const { return positionals_; }
  void PrintHelp(FILE* out) const;

 private:
  enum class Kind { kBool, kString, kInt, kDouble };
  struct Flag {
    Kind kind;
    void* out;
    std::string help;
    char short_name;
    std::string default_text;
    int64_t min = 0, max = 0;  // kInt
  };
  std::string prog_, positional_usage_, description_;
  std::map<std::string, Flag> flags_;
  std::vector<std::string> order_;
  std::vector<std::string> positionals_;
};

// Ends the process now with status `code`, without running destructors: a
// command that has written and closed all its output returns ExitNow(code)
// so that the user does not wait for a large engine to be freed piece by
// piece (20-30 ms for SaudiNewsNet). Flushes stdout and stderr first. In
// builds with AddressSanitizer, whose leak check runs at exit, it just
// returns `code` and the caller's normal return frees everything.
int ExitNow(int code);

// Flag ranges shared by the commands.
inline constexpr int64_t kMaxThreads = 4096;
inline constexpr int64_t kMaxBatchDocs = int64_t{1} << 24;
inline constexpr int64_t kMaxInt64 = INT64_MAX;
inline constexpr int64_t kMaxUint32 = UINT32_MAX;
inline constexpr int64_t kMaxInt32 = INT32_MAX;

}  // namespace nazir::cli

#endif  // NAZIR_TOOLS_COMMAND_H_
