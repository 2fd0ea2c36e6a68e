#include "cli.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

namespace sdc::cli {

static std::vector<Command>& registry() {
  static std::vector<Command> r;
  return r;
}
void add_command(Command c) {
  registry().push_back(std::move(c));
}
const std::vector<Command>& commands() {
  return registry();
}

int fail(const std::string& command, const Error& e, int code) {
  std::fprintf(stderr, "sdc %s: error: %s\n", command.c_str(), e.to_string().c_str());
  return code;
}

Result<Record> load_record_at(const std::string& path, long index) {
  SDC_TRY_ASSIGN(auto records, load_records(path));
  const auto n = static_cast<long>(records.size());
  if (index < 1 || index > n)
    return Error(Errc::invalid_argument,
                 "record " + std::to_string(index) + " does not exist; the file has " + std::to_string(n) + ".",
                 "choose --index from 1 to " + std::to_string(n) + ".", Where{.file = path});
  return std::move((records)[static_cast<std::size_t>(index - 1)]);
}

void add_photo_path_options(CLI::App& app, PhotoPaths& p) {
  auto* root = app.add_option("--photo-root", p.root,
                              "Folder every record's photo must be in or below; a record naming a photo elsewhere is "
                              "refused (default: the records file's folder)");
  app.add_flag("--any-photo-path", p.any,
               "Let records name any photo file this user can read (only for records you wrote yourself)")
      ->excludes(root);
}

PipelineOptions pipeline_options(Dpi dpi, const PhotoPaths& photos, ExportRequest request) {
  return {.resources = resources(),
          .dpi = dpi,
          .request = std::move(request),
          .photo_root = photos.root,
          .allow_any_photo_path = photos.any};
}

Result<Checker> make_checker(const std::string& trust, const std::string& at, CheckerOptions options) {
  if (!at.empty()) {
    SDC_TRY_ASSIGN(options.check_time, parse_time(at));
  }
  SDC_TRY_ASSIGN(TrustStore store, TrustStore::load(trust));
  return Checker::create(std::move(store), options);
}

Result<std::string> read_passphrase(const std::string& file) {
  return read_passphrase_file(file);
}

Resources resources() {
  if (const char* env = std::getenv("SDC_DATA_DIR"); env && *env) return Resources::at(env);
  std::error_code ec;
  if (auto installed = Resources::installed(); std::filesystem::is_directory(installed.fonts(), ec)) return installed;
  if (std::filesystem::is_directory(std::filesystem::path(SDC_SOURCE_DATA_DIR) / "fonts", ec))
    return Resources::at(SDC_SOURCE_DATA_DIR);
  return Resources::installed();  // the error then names the installed folder
}

}  // namespace sdc::cli

int main(int argc, char** argv) {
  CLI::App app{"sdc: compose, secure, seal, export and check identity cards"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "sdc 0.1.0");
  std::vector<std::pair<CLI::App*, std::function<int()>>> runners;
  for (const auto& c : sdc::cli::commands()) {
    CLI::App* sub = app.add_subcommand(c.name);
    runners.emplace_back(sub, c.setup(*sub));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : sdc::cli::bad_input;
  }
  for (auto& [sub, run] : runners) {
    if (sub->parsed()) {
      try {
        return run();
      } catch (const std::exception& e) {
        std::fprintf(stderr, "sdc %s: internal error: %s\n", sub->get_name().c_str(), e.what());
        return sdc::cli::internal;
      }
    }
  }
  return sdc::cli::bad_input;
}
