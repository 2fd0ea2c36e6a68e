// Running commands from tests (the sdc binary, and tools such as tiffinfo or tesseract): one
// popen reader for all of them.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <string>

namespace sdc::test {

/// The CLI built next to the tests (target sdc_cli, output name sdc).
inline std::filesystem::path cli() {
  return std::filesystem::path(SDC_BINARY_DIR) / "sdc";
}

struct Run {
  int status = -1;  ///< the exit code, or -1 when the command did not exit normally
  std::string out;  ///< standard output (and standard error, for run())
};

/// Runs `cmd` through the shell: its exit code and standard output.
inline Run run_command(const std::string& cmd) {
  Run r;
  if (std::FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int raw = ::pclose(p);
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  }
  return r;
}

/// Standard output of a shell command ("" if it cannot be started).
inline std::string command_output(const std::string& cmd) {
  return run_command(cmd).out;
}

/// Runs `cmd` with standard error merged into the output.
inline Run run(const std::string& cmd) {
  return run_command(cmd + " 2>&1");
}

}  // namespace sdc::test
