// sdc verify: reads the QR code(s) of a card image (a render, a scan, a phone photo) and checks
// each seal with sdc::Checker, comparing the printed portrait with the sealed photo hash when
// --photo is given. Prints the report as JSON; exit 0 only when the card is genuine.
#include <sdc/image.hpp>
#include <sdc/verify.hpp>

#include <iostream>

#include "cli.hpp"

namespace sdc::cli {
namespace {

struct Args {
  std::string image, trust, prefix = "SDC1:", at, photo;
  bool json = true;
};

int run(const Args& a) {
  const std::string cmd = "verify";
  CheckerOptions o;
  o.prefix = a.prefix;
  auto checker = make_checker(a.trust, a.at, o);
  if (!checker) return fail(cmd, checker.error());
  auto img = load_image(a.image);
  if (!img) return fail(cmd, img.error());
  Image portrait;
  if (!a.photo.empty()) {
    auto p = load_image(a.photo);
    if (!p) return fail(cmd, p.error());
    portrait = std::move(*p);
  }
  auto report = checker->check_image(img->view(), portrait.view(), a.image);
  if (!report) {
    Error e = std::move(report).error();
    if (e.code() == Errc::bad_image && !a.photo.empty()) e.in_file(a.photo);
    return fail(cmd, e, e.code() == Errc::internal ? internal : bad_input);
  }
  std::cout << to_json(*report) << "\n";
  return report->valid() ? ok : check_failed;
}

const Registrar reg{
    Command{"verify", [](CLI::App& app) -> std::function<int()> {
              auto a = std::make_shared<Args>();
              app.description(
                  "Read the seal QR code from a card image and check it; prints the report as JSON; exit 0 genuine, "
                  "1 not genuine or no seal found, 2 bad usage/input");
              app.add_option("--image,-i", a->image, "Card image: PNG, JPEG or TIFF (render or scan)")->required();
              app.add_option("--trust", a->trust, "Folder of trusted signer certificates or a JSON list")->required();
              app.add_option("--photo", a->photo,
                             "The portrait as printed (cropped from the card), compared with the seal's "
                             "photo hash");
              app.add_option("--prefix", a->prefix, "Seal prefix (default SDC1:)");
              app.add_option("--at", a->at, "Check at this time: Unix seconds, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
              app.add_flag("--json", a->json, "print the report as JSON (the default and only form)");
              return [a] { return run(*a); };
            }}};

}  // namespace
}  // namespace sdc::cli
