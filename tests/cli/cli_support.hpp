// Running the sdc binary from tests: its path, and a shell command's exit status and output.
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
  std::string out;  ///< standard output and standard error together
};

/// Runs `cmd` through the shell and returns its exit code and combined output.
inline Run run(const std::string& cmd) {
  Run r;
  if (std::FILE* p = ::popen((cmd + " 2>&1").c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int raw = ::pclose(p);
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  }
  return r;
}

}  // namespace sdc::test
