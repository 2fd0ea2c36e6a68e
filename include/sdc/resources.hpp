/// @file resources.hpp
/// Where the library finds its data: fonts, printer profiles, the default CMYK profile and the
/// face-detection model.
///
/// The library never looks at environment variables or at the tree it was built from. Every
/// function that reads data takes a `Resources` (or an object created from one, such as a
/// `Composer` or a `Pipeline`); the default is `Resources::installed()`, the data installed beside
/// the library. A program that wants another location (the `sdc` tool honours `SDC_DATA_DIR`; tests
/// use the source tree) says so with `Resources::at(dir)`.
///
/// **Layout of a data directory** (as installed under `<prefix>/share/sdc`):
///
///     fonts/                 the bundled fonts (fonts/README.md)
///     assets/printers/       printer profiles (<id>.json, docs/print.md)
///     assets/...             templates, records, keys and issuers of the specimen
///
/// `Resources` is a value of paths; nothing is opened until a function needs it.
#pragma once

#include <sdc/api.hpp>

#include <filesystem>

namespace sdc {

struct Resources {
  /// The data directory (layout above). Empty: no data directory; then every path below that is
  /// needed must be set.
  std::filesystem::path data_dir;
  /// Overrides; empty: derived from `data_dir` (or the system default, for the last two).
  std::filesystem::path fonts_dir;     ///< default `data_dir/fonts`
  std::filesystem::path printers_dir;  ///< default `data_dir/assets/printers`
  /// OpenCV Haar cascade for frontal faces; default: Debian's opencv-data copy (photo.hpp).
  std::filesystem::path face_cascade;
  /// Default CMYK output ICC profile; default: `default_cmyk_profile_path()` (color.hpp).
  std::filesystem::path cmyk_profile;

  /// Resources in `dir` (layout above).
  static Resources at(std::filesystem::path dir) { return Resources{.data_dir = std::move(dir)}; }
  /// The data installed with this copy of the library: `share/sdc` of the prefix the library (or
  /// the program it is linked into) lies in, found from the library file's own location, so any
  /// install prefix works and a relocated installation still finds its data (whether that folder
  /// exists is not checked: a library that is not installed gets a path without data, and the
  /// function that needs the data says so). The prefix chosen at build time only when the
  /// library's location cannot be found. Never the build tree, never the environment.
  static SDC_EXPORT Resources installed();

  std::filesystem::path fonts() const { return fonts_dir.empty() ? data_dir / "fonts" : fonts_dir; }
  std::filesystem::path printers() const {
    return printers_dir.empty() ? data_dir / "assets" / "printers" : printers_dir;
  }
  /// A font file of the font directory.
  std::filesystem::path font(const std::filesystem::path& file) const { return fonts() / file; }
};

}  // namespace sdc
