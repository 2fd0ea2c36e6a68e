// bench/locate_scenes: how often locate_card finds a card it has never seen, on seeded random scenes
// of ID-1 cards that are not sdc's (tests/verify/random_scenes.hpp: seven designs, eight desks, seven
// lights, a pinhole camera, blur, noise, JPEG, four frame sizes up to 12 MP). A scene counts as found
// when every corner is within max(3 px, 0.6 % of the card's width) of the truth (up to the 180-degree
// turn locate_card leaves open). Prints the rate, and per design, desk, light and frame. Not a test:
// a measurement of the locator's generality (bench/RESULTS.md).
#include "verify/corner_error.hpp"
#include "verify/random_scenes.hpp"

#include <sdc/export.hpp>
#include <sdc/image.hpp>
#include <sdc/simulate.hpp>
#include <sdc/verify.hpp>

#include <CLI/CLI.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace {

using P = cv::Point2d;

// The scene reduced to 900 px, the truth in green and what was found in red, as PNG.
void dump(const sdc::test::RandomScene& s, const sdc::CardLocation* found, const std::filesystem::path& path) {
  const cv::Mat full(s.h, s.w, CV_8UC3, const_cast<std::uint8_t*>(s.image.data()), s.image.row_stride());
  cv::Mat v;
  const double k = 900.0 / std::max(s.w, s.h);
  cv::resize(full, v, cv::Size(), k, k, cv::INTER_AREA);
  for (std::size_t j = 0; j < 4; ++j) {
    cv::line(v, s.truth[j] * k, s.truth[(j + 1) % 4] * k, cv::Scalar(0, 255, 0), 1);
    if (found)
      cv::line(v, P(found->corners[j].x, found->corners[j].y) * k,
               P(found->corners[(j + 1) % 4].x, found->corners[(j + 1) % 4].y) * k, cv::Scalar(255, 0, 0), 2);
  }
  sdc::Image out(v.cols, v.rows, sdc::PixelFormat::rgb8);
  for (int y = 0; y < v.rows; ++y) std::copy_n(v.ptr<uchar>(y), 3 * v.cols, out.data() + y * out.row_stride());
  if (auto st = sdc::write_png(out.view(), path); !st) std::fprintf(stderr, "%s\n", st.error().to_string().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"How often locate_card finds a card it has never seen, on seeded random scenes"};
  int scenes = 150;
  std::uint64_t seed = 2;
  std::string dump_dir;
  bool verbose = false;
  std::vector<int> indices;
  app.add_option("--scenes", scenes, "number of scenes")->check(CLI::Range(1, 100000));
  app.add_option("--seed", seed, "the scenes' seed (scene i is drawn from seed * 100000 + i)");
  app.add_option("--indices", indices, "only these scenes");
  app.add_option("--dump", dump_dir, "write each missed scene as PNG here (truth green, found red)");
  app.add_flag("-v,--verbose", verbose, "a line per missed scene");
  CLI11_PARSE(app, argc, argv);
  if (!dump_dir.empty()) std::filesystem::create_directories(dump_dir);

  std::map<std::string, std::array<int, 2>> by;  // found, scenes
  int found_n = 0, n = 0;
  for (int i = 0; i < scenes; ++i) {
    if (!indices.empty() && std::find(indices.begin(), indices.end(), i) == indices.end()) continue;
    const sdc::test::RandomScene s = sdc::test::random_scene(seed * 100000 + static_cast<std::uint64_t>(i));
    const auto l = sdc::locate_card(s.image.view());
    const bool located = l && l->found;
    const double err = located ? sdc::test::corner_error_either(*l, s.truth) : -1;
    const bool good = l && sdc::test::found_card(s, *l);
    ++n;
    found_n += good;
    for (const std::string& key :
         {std::string("design ") + sdc::test::kDesigns[s.design], std::string("desk ") + sdc::test::kDesks[s.desk],
          std::string("light ") + sdc::test::kLights[s.light],
          "frame " + std::to_string(s.w) + "x" + std::to_string(s.h)}) {
      by[key][0] += good;
      by[key][1] += 1;
    }
    if (good) continue;
    if (verbose)
      std::printf(
          "missed %d: %dx%d %s card on %s desk, %s light, turned %.0f, pitch %.0f, yaw %.0f, %.0f px wide, "
          "blur %.1f, JPEG %d: %s\n",
          i, s.w, s.h, sdc::test::kDesigns[s.design], sdc::test::kDesks[s.desk], sdc::test::kLights[s.light], s.deg,
          s.pitch, s.yaw, s.width, s.sigma, s.quality,
          !l          ? l.error().to_string().c_str()
          : !l->found ? "not found"
                      : (l->method + ", " + std::to_string(static_cast<int>(err)) + " px off").c_str());
    if (!dump_dir.empty())
      dump(s, located ? &*l : nullptr, std::filesystem::path(dump_dir) / ("scene" + std::to_string(i) + ".png"));
  }
  std::printf("found %d of %d scenes (%.1f %%), seed %llu\n", found_n, n, 100.0 * found_n / std::max(n, 1),
              static_cast<unsigned long long>(seed));
  for (const auto& [key, v] : by) std::printf("  %-24s %3d of %3d\n", key.c_str(), v[0], v[1]);
  return 0;
}
