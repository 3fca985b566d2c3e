#include "command.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace nazir::cli {

std::map<std::string, Command>& Registry() {
  static auto* registry = new std::map<std::string, Command>();
  return *registry;
}

Registrar::Registrar(Command c) { Registry().emplace(c.name, std::move(c)); }

ArgParser::ArgParser(std::string prog, std::string positional_usage, std::string description)
    : prog_(std::move(prog)),
      positional_usage_(std::move(positional_usage)),
      description_(std::move(description)) {}

void ArgParser::Bool(const std::string& name, bool* out, const std::string& help) {
  flags_[name] = {Kind::kBool, out, help, 0, ""};
  order_.push_back(name);
}
void ArgParser::String(const std::string& name, std::string* out, const std::string& help,
                       char short_name) {
  flags_[name] = {Kind::kString, out, help, short_name, out->empty() ? "" : *out};
  order_.push_back(name);
}
void ArgParser::Int(const std::string& name, int64_t* out, const std::string& help, int64_t min,
                    int64_t max) {
  flags_[name] = {Kind::kInt, out, help, 0, std::to_string(*out), min, max};
  order_.push_back(name);
}
void ArgParser::Double(const std::string& name, double* out, const std::string& help) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", *out);
  flags_[name] = {Kind::kDouble, out, help, 0, buf};
  order_.push_back(name);
}

void ArgParser::PrintHelp(FILE* out) const {
  std::fprintf(out, "Usage: %s [OPTIONS] %s\n\n%s\n\nOptions:\n", prog_.c_str(),
               positional_usage_.c_str(), description_.c_str());
  for (const auto& name : order_) {
    const Flag& f = flags_.at(name);
    std::string left = "  ";
    if (f.short_name) left += std::string("-") + f.short_name + ", ";
    left += "--" + name;
    switch (f.kind) {
      case Kind::kBool:
        break;
      case Kind::kString:
        left += " STR";
        break;
      case Kind::kInt:
        left += " N";
        break;
      case Kind::kDouble:
        left += " X";
        break;
    }
    std::string help = f.help;
    if (!f.default_text.empty()) help += " (default: " + f.default_text + ")";
    std::fprintf(out, "%-28s %s\n", left.c_str(), help.c_str());
  }
  std::fprintf(out, "%-28s %s\n", "  -h, --help", "show this help");
}

int ArgParser::Parse(int argc, char** argv) {
  auto fail = [&](const std::string& msg) {
    std::fprintf(stderr, "%s: %s\nTry '%s --help'.\n", prog_.c_str(), msg.c_str(), prog_.c_str());
    return 2;
  };
  bool options_done = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (options_done || arg == "-" || arg.size() < 2 || arg[0] != '-') {
      positionals_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      PrintHelp(stdout);
      return 0;
    }
    std::string name, value;
    bool has_value = false;
    if (arg.rfind("--", 0) == 0) {
      name = arg.substr(2);
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_value = true;
      }
    } else {
      for (const auto& [n, f] : flags_) {
        if (f.short_name == arg[1] && arg.size() == 2) name = n;
      }
      if (name.empty()) return fail("unknown option '" + arg + "'");
    }
    auto it = flags_.find(name);
    if (it == flags_.end()) return fail("unknown option '--" + name + "'");
    Flag& f = it->second;
    if (f.kind == Kind::kBool) {
      if (has_value) return fail("option '--" + name + "' takes no value");
      *static_cast<bool*>(f.out) = true;
      continue;
    }
    if (!has_value) {
      if (i + 1 >= argc) return fail("option '--" + name + "' needs a value");
      value = argv[++i];
    }
    errno = 0;
    char* end = nullptr;
    switch (f.kind) {
      case Kind::kString:
        *static_cast<std::string*>(f.out) = value;
        break;
      case Kind::kInt: {
        // strtoll saturates out-of-range values with ERANGE: refused here too.
        const long long v = std::strtoll(value.c_str(), &end, 10);
        if (errno || end == value.c_str() || *end || v < f.min || v > f.max) {
          const std::string range = f.max == INT64_MAX ? ">= " + std::to_string(f.min)
                                                       : "in [" + std::to_string(f.min) + ", " +
                                                             std::to_string(f.max) + "]";
          return fail("option '--" + name + "' expects an integer " + range + ", got '" + value +
                      "'");
        }
        *static_cast<int64_t*>(f.out) = v;
        break;
      }
      case Kind::kDouble: {
        const double v = std::strtod(value.c_str(), &end);
        if (errno || end == value.c_str() || *end || std::isnan(v))
          return fail("option '--" + name + "' expects a number, got '" + value + "'");
        *static_cast<double*>(f.out) = v;
        break;
      }
      case Kind::kBool:
        break;
    }
  }
  return -1;
}

int ExitNow(int code) {
  std::fflush(stdout);
  std::fflush(stderr);
#if defined(__SANITIZE_ADDRESS__)
  return code;
#else
  std::_Exit(code);
#endif
}

}  // namespace nazir::cli
