// Running the built `nazir` binary from a test (NAZIR_CLI is its path).
#ifndef NAZIR_TESTS_TOOLS_CLI_UTIL_H_
#define NAZIR_TESTS_TOOLS_CLI_UTIL_H_

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

namespace nazir::testing {

struct CliRun {
  int status = -1;
  std::string out, err;
};

// A per-process path in the test's temp directory.
inline std::string Temp(const std::string& name) {
  return ::testing::TempDir() + "/nazir_test_" + std::to_string(getpid()) + "_" + name;
}

inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `nazir ARGS` through the shell; captures exit status, stdout, stderr.
inline CliRun Nazir(const std::string& args) {
  const std::string out = Temp("stdout"), err = Temp("stderr");
  const std::string cmd = std::string(NAZIR_CLI) + " " + args + " >" + out + " 2>" + err;
  CliRun r;
  const int rc = std::system(cmd.c_str());
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = Slurp(out);
  r.err = Slurp(err);
  std::remove(out.c_str());
  std::remove(err.c_str());
  return r;
}

inline std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> v;
  std::stringstream ss(s);
  for (std::string line; std::getline(ss, line);) v.push_back(line);
  return v;
}

}  // namespace nazir::testing

#endif  // NAZIR_TESTS_TOOLS_CLI_UTIL_H_
