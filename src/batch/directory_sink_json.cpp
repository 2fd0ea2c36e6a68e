// DirectorySink: card files in DIR/<document number>/, the audit trail in manifest.jsonl and the
// failures in errors.jsonl. Lines are appended with one write() each and fsynced; a resume keeps
// only the manifest entries whose files still hash as listed.
#include <sdc/batch.hpp>
#include <sdc/export.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "core/atomic_file.hpp"
#include "core/digest.hpp"

namespace sdc {

namespace {

using json = nlohmann::ordered_json;  // keys in the documented order: "record" first

Error io_error(const std::filesystem::path& path, const std::string& what, int err, std::string hint) {
  return Error(Errc::io, what + ": " + std::strerror(err) + ".", std::move(hint), Where{.file = path.string()});
}

bool safe_folder_name(std::string_view s) {
  if (s.empty() || s.size() > 64 || s[0] == '.' || s == "manifest.jsonl" || s == "errors.jsonl") return false;
  for (char c : s)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
          c == '-'))
      return false;
  return true;
}

std::string sha256_of_file(const std::filesystem::path& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  if (!ok) return {};
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ok = !in.bad();
  return detail::to_hex(detail::digest_sha256(bytes));
}

// Appends one whole line and makes it durable; a short write is undone so no torn line remains.
Status append_line(int fd, const std::filesystem::path& path, std::string line) {
  line += '\n';
  const off_t before = ::lseek(fd, 0, SEEK_END);
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t w = ::write(fd, line.data() + done, line.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      const int err = w < 0 ? errno : ENOSPC;
      if (before >= 0 && ::ftruncate(fd, before) != 0) {
        // Nothing more to do: resume drops a torn last line.
      }
      return io_error(path, "cannot append to the file", err,
                      "free space on the output disk, then resume the batch (DirectorySinkOptions::resume; sdc "
                      "batch --resume).");
    }
    done += static_cast<std::size_t>(w);
  }
  if (::fdatasync(fd) != 0)
    return io_error(path, "cannot flush the file to disk", errno,
                    "free space on the output disk, then resume the batch (DirectorySinkOptions::resume; sdc "
                    "batch --resume).");
  return {};
}

// Temporary files of atomic writes cut short by a crash (".<name>.tmp-XXXXXX"): safe to remove
// while we hold the lock.
void remove_temporaries(const std::filesystem::path& dir) {
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it.depth() > 2) it.disable_recursion_pending();
    if (name.size() > 1 && name[0] == '.' && name.find(".tmp-") != std::string::npos && it->is_regular_file(ec))
      std::filesystem::remove(it->path(), ec);
  }
}

int open_append(const std::filesystem::path& path, bool truncate) {
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0), 0644);
}

}  // namespace

struct DirectorySink::Impl {
  std::filesystem::path dir;
  int lock_fd = -1, manifest_fd = -1, errors_fd = -1;
  std::unordered_set<long> done;
  long resumed = 0, dropped = 0;

  ~Impl() {
    for (int fd : {manifest_fd, errors_fd, lock_fd})
      if (fd >= 0) ::close(fd);
  }

  // Keeps the manifest entries whose files are intact; rewrites the manifest atomically with them.
  Status check_manifest(const std::filesystem::path& manifest) {
    std::ifstream in(manifest, std::ios::binary);
    if (!in) return io_error(manifest, "cannot read the manifest", errno, "check the folder's permissions.");
    std::vector<std::string> keep;
    std::string line;
    while (std::getline(in, line)) {
      if (in.eof()) break;  // no newline: a line torn by a crash; its record is made again
      json j = json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.is_object() || !j.contains("record") || !j["record"].is_number_integer() ||
          !j.contains("files") || !j["files"].is_array()) {
        ++dropped;
        continue;
      }
      bool intact = true;
      for (const auto& f : j["files"]) {
        if (!f.is_object() || !f.contains("path") || !f.contains("sha256") || !f["path"].is_string() ||
            !f["sha256"].is_string()) {
          intact = false;
          break;
        }
        bool ok = false;
        const std::string have = sha256_of_file(dir / f["path"].get<std::string>(), ok);
        if (!ok || have != f["sha256"].get<std::string>()) {
          intact = false;
          break;
        }
      }
      const long number = j["record"].get<long>();
      if (!intact || !done.insert(number).second) {
        ++dropped;
        continue;
      }
      keep.push_back(std::move(line));
    }
    if (in.bad()) return io_error(manifest, "cannot read the manifest", errno, "check the disk.");
    resumed = static_cast<long>(done.size());
    return detail::write_atomically(manifest, [&](std::FILE* f) -> Status {
      for (const auto& l : keep)
        if (std::fputs(l.c_str(), f) < 0 || std::fputc('\n', f) < 0)
          return io_error(manifest, "cannot rewrite the manifest", errno, "free space on the output disk.");
      return {};
    });
  }
};

DirectorySink::DirectorySink(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DirectorySink::~DirectorySink() = default;

Result<std::unique_ptr<DirectorySink>> DirectorySink::open(const std::filesystem::path& dir,
                                                           const DirectorySinkOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    return Error(Errc::io, "cannot create the output folder: " + ec.message() + ".",
                 "choose a folder you can write to.", Where{.file = dir.string()});
  const auto lock = dir / ".sdc-batch.lock";
  impl->lock_fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (impl->lock_fd < 0)
    return io_error(lock, "cannot create the lock file", errno, "choose a folder you can write to.");
  if (::flock(impl->lock_fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK)
      return Error(Errc::io, "another batch is writing into this folder (it holds " + lock.string() + ").",
                   "wait for it to finish, or choose another output folder.", Where{.file = dir.string()});
    return io_error(lock, "cannot lock the output folder", errno, "choose a folder on a local disk.");
  }
  const auto manifest = dir / "manifest.jsonl";
  const bool has_manifest = std::filesystem::exists(manifest, ec) && std::filesystem::file_size(manifest, ec) > 0;
  if (has_manifest && !options.resume)
    return Error(Errc::invalid_argument, "the folder already holds a batch (manifest.jsonl).",
                 "resume it (DirectorySinkOptions::resume; sdc batch --resume), or choose an empty folder.",
                 Where{.file = dir.string()});
  if (has_manifest) SDC_TRY(impl->check_manifest(manifest));
  if (options.resume) remove_temporaries(dir);
  impl->manifest_fd = open_append(manifest, false);
  if (impl->manifest_fd < 0)
    return io_error(manifest, "cannot open the manifest", errno, "choose a folder you can write to.");
  // Failures are reported afresh by every run: a resumed run tries the failed records again.
  const auto errors = dir / "errors.jsonl";
  impl->errors_fd = open_append(errors, true);
  if (impl->errors_fd < 0)
    return io_error(errors, "cannot open the error list", errno, "choose a folder you can write to.");
  return std::unique_ptr<DirectorySink>(new DirectorySink(std::move(impl)));
}

bool DirectorySink::skip(long number) const {
  return impl_->done.count(number) != 0;
}
long DirectorySink::resumed() const noexcept {
  return impl_->resumed;
}
long DirectorySink::dropped() const noexcept {
  return impl_->dropped;
}

Status DirectorySink::store(BatchCard& card) {
  if (!safe_folder_name(card.document_number))
    return Error(Errc::invalid_field,
                 "the document number '" + card.document_number + "' cannot name the card's folder.",
                 "use 1 to 64 letters, digits, '.', '_' or '-' (not starting with '.').",
                 Where{.record = card.number - 1, .field = "document_number"});
  const auto folder = impl_->dir / card.document_number;
  for (auto& f : card.files) {
    const auto path = folder / f.name;
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec)
      return Error(Errc::io, "cannot create the folder: " + ec.message() + ".", "free space on the output disk.",
                   Where{.file = path.parent_path().string()});
    SDC_TRY(write_file_atomic(path, f.bytes));
    f.path = card.document_number + "/" + f.name;
    f.bytes.clear();  // written: the batch takes the buffer back for its next card
  }
  return {};
}

bool DirectorySink::store_waits() const {
  return true;  // fsync
}

Status DirectorySink::card_done(const BatchCard& card) {
  json files = json::array();
  for (const auto& f : card.files) files.push_back({{"name", f.name}, {"path", f.path}, {"sha256", f.sha256}});
  const json line = {{"record", card.number},        {"line", card.line}, {"document_number", card.document_number},
                     {"template", card.template_id}, {"kid", card.kid},   {"files", std::move(files)}};
  return append_line(impl_->manifest_fd, impl_->dir / "manifest.jsonl",
                     line.dump(-1, ' ', false, json::error_handler_t::replace));
}

Status DirectorySink::record_failed(const BatchFailure& failure) {
  const Error& e = failure.error;
  const json line = {
      {"record", failure.number}, {"line", failure.line},        {"document_number", failure.document_number},
      {"field", e.where().field}, {"code", to_string(e.code())}, {"message", e.message()},
      {"hint", e.hint()},         {"file", e.where().file}};
  return append_line(impl_->errors_fd, impl_->dir / "errors.jsonl",
                     line.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace sdc
