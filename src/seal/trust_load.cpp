// TrustStore::load: a folder or a JSON trust list, chosen by what the path is. The folder is
// walked first with the error_code forms of std::filesystem, so that a symbolic link loop or a
// dangling link is named instead of escaping as an exception.
#include <sdc/seal.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

namespace sdc {
namespace {

namespace fs = std::filesystem;

bool is_trust_file(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".pem" || ext == ".crt" || ext == ".cer" || ext == ".der" || p.filename() == "revoked.json";
}

Error link_error(const fs::path& p, const std::error_code& ec) {
  const bool loop = ec == std::errc::too_many_symbolic_link_levels;
  return Error(Errc::io,
               loop ? "a symbolic link loop: the link leads back to itself"
                    : "cannot read the entry: " + ec.message() + " (a dangling symbolic link?)",
               "remove or fix the link in the trust folder", Where{.file = p.string()});
}

Status check_entries(const fs::path& dir) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  if (ec) return Error(Errc::io, "cannot list: " + ec.message(), "check the permissions", Where{.file = dir.string()});
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    const fs::path& p = it->path();
    std::error_code sec;
    const auto st = fs::status(p, sec);  // follows links: ELOOP for a loop
    if (sec == std::errc::too_many_symbolic_link_levels) return link_error(p, sec);
    // A dangling link named like a certificate would be skipped silently: say so instead.
    if (is_trust_file(p) && (sec || !fs::exists(st)))
      return link_error(p, sec ? sec : std::make_error_code(std::errc::no_such_file_or_directory));
  }
  if (ec) return Error(Errc::io, "cannot list: " + ec.message(), "check the permissions", Where{.file = dir.string()});
  return {};
}

}  // namespace

Result<TrustStore> TrustStore::load(const fs::path& path) {
  try {
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec == std::errc::too_many_symbolic_link_levels) return link_error(path, ec);
    if (ec || !fs::exists(st))
      return Error(Errc::io, "no such file or folder",
                   "give the folder of trusted signer certificates (*.pem) or a JSON trust list",
                   Where{.file = path.string()});
    if (fs::is_directory(st)) {
      SDC_TRY(check_entries(path));
      return load_dir(path);
    }
    return load_json(path);
  } catch (const std::bad_alloc&) {
    return Error(Errc::limit_exceeded, "out of memory while loading the trust store", "free memory and retry",
                 Where{.file = path.string()});
  } catch (const fs::filesystem_error& e) {
    return Error(Errc::io, e.code().message(), "check the trust folder's entries and permissions",
                 Where{.file = e.path1().empty() ? path.string() : e.path1().string()});
  } catch (const std::exception& e) {
    return Error(Errc::internal, std::string("internal error while loading the trust store: ") + e.what(),
                 "please report it", Where{.file = path.string()});
  }
}

}  // namespace sdc
