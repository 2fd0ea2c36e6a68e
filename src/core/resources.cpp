#include <sdc/resources.hpp>

#include <dlfcn.h>

#include <system_error>

namespace sdc {

// SDC_DATA_FROM_LIBDIR / SDC_DATA_FROM_BINDIR: the installed data directory relative to the folder
// of the installed library and of the installed program (computed by CMake from the GNUInstallDirs
// of this build), so that the lookup depends on where the files are, not on the prefix compiled in.
Resources Resources::installed() {
  std::error_code ec;
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&Resources::installed), &info) == 0 || info.dli_fname == nullptr)
    return at(SDC_INSTALL_DATA_DIR);
  const auto self = std::filesystem::canonical(info.dli_fname, ec);
  if (ec) return at(SDC_INSTALL_DATA_DIR);
  // The library is in <prefix>/<libdir>; a static library is part of a program in <prefix>/<bindir>.
  const auto from_lib = (self.parent_path() / SDC_DATA_FROM_LIBDIR).lexically_normal();
  const auto from_bin = (self.parent_path() / SDC_DATA_FROM_BINDIR).lexically_normal();
  if (std::filesystem::is_directory(from_bin / "fonts", ec)) return at(from_bin);
  return at(from_lib);
}

}  // namespace sdc
