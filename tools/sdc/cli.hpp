// The sdc command-line tool: each subcommand lives in its own cmd_<name>.cpp and registers itself
// here, so commands are added without touching main.cpp.
#pragma once

#include <CLI/CLI.hpp>
#include <sdc/error.hpp>
#include <sdc/pipeline.hpp>
#include <sdc/record.hpp>
#include <sdc/resources.hpp>
#include <sdc/verify.hpp>

#include <functional>
#include <string>
#include <vector>

namespace sdc::cli {

/// Exit codes shared by all commands.
enum Exit : int {
  ok = 0,
  check_failed = 1,  ///< the command ran, and its answer is "no" (an invalid seal, a failed check)
  bad_input = 2,     ///< usage error, bad template/record/photo/key, unwritable output
  internal = 3,
  some_failed = 4,  ///< sdc batch ran to the end, but some records were not made (errors.jsonl)
  suspicious = 5,   ///< sdc verify: nothing failed, but a check warned or could not run
  unreadable = 6,   ///< sdc verify: no seal could be read from the images
};

/// A command adds its options to `app` and returns the function to run when it was chosen.
struct Command {
  std::string name;
  std::function<std::function<int()>(CLI::App& app)> setup;
};

/// Registers a command; used from a static `Registrar` in each cmd_*.cpp.
void add_command(Command c);
const std::vector<Command>& commands();

struct Registrar {
  explicit Registrar(Command c) { add_command(std::move(c)); }
};

/// Prints an error to stderr as "sdc <command>: error: <what, where, what to do>".
int fail(const std::string& command, const Error& e, int code = bad_input);

/// Record `index` (1-based) of a record file; errors name the file and the valid range.
Result<Record> load_record_at(const std::string& path, long index);

/// Where a record's photo may be (render, sheet, batch): by default in or below the records
/// file's folder; --photo-root names another folder, --any-photo-path lifts the limit.
struct PhotoPaths {
  std::string root;
  bool any = false;
};
void add_photo_path_options(CLI::App& app, PhotoPaths& p);

/// What render, sheet and batch give Pipeline::create: resources(), the dpi, the photo paths and
/// the export request.
PipelineOptions pipeline_options(Dpi dpi, const PhotoPaths& photos, ExportRequest request = {});

/// The first line of a passphrase file (never echoed anywhere).
Result<std::string> read_passphrase(const std::string& file);

/// The checker of `verify` and `verify-seal`: `options` with the check time from --at (Unix
/// seconds or a date; now when empty) and the trust store at `trust` (folder or JSON list).
Result<Checker> make_checker(const std::string& trust, const std::string& at, CheckerOptions options);

/// Where the tool finds fonts/ and assets/: $SDC_DATA_DIR; else the data installed with the
/// library (`Resources::installed()`, relative to the library, for any prefix) when it is there;
/// else the source tree this binary was built from (an uninstalled development build).
Resources resources();

}  // namespace sdc::cli
