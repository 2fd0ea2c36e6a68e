// Replays fuzz inputs without libFuzzer: every file given, and every regular file in each folder
// given (sorted, not recursive), is passed once to LLVMFuzzerTestOneInput. Linked with each target in
// the ordinary build, where ctest runs it over tests/fuzz/corpus/<target>/ under the sanitizers.
// Exit status: 0 when every input ran; 2 for a missing path or an empty corpus. A crash is the
// sanitizer's.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg = argv[i];
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      std::vector<fs::path> files;
      for (const auto& e : fs::directory_iterator(arg, ec))
        if (e.is_regular_file(ec) && e.path().filename() != "README.md") files.push_back(e.path());
      std::sort(files.begin(), files.end());
      inputs.insert(inputs.end(), files.begin(), files.end());
    } else if (fs::is_regular_file(arg, ec)) {
      inputs.push_back(arg);
    } else {
      std::fprintf(stderr, "replay: %s is neither a file nor a folder\n", argv[i]);
      return 2;
    }
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "replay: no inputs (give corpus folders or files)\n");
    return 2;
  }
  for (const auto& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.eof() && in.fail()) {
      std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
      return 2;
    }
    std::fprintf(stderr, "replay: %s (%zu bytes)\n", path.c_str(), bytes.size());
    // A copy of exactly `size` bytes on the heap, as libFuzzer passes it: ASan sees overreads. An
    // empty input still gets a valid pointer, as from libFuzzer.
    static std::uint8_t none = 0;
    std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
    const std::uint8_t* p = data.empty() ? &none : data.data();
    LLVMFuzzerTestOneInput(p, data.size());
  }
  std::fprintf(stderr, "replay: %zu inputs, no crash\n", inputs.size());
  return 0;
}
