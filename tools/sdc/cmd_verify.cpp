// sdc verify: checks a card from images of it.
//   sdc verify FRONT [BACK] --trust DIR [--template T | --templates DIR] [--issuer PROFILE ...] [--json]
// finds and rectifies the card in each image (a scan, a phone photo or an exported PNG), reads and
// verifies the seal, compares the printed portrait with the sealed photo hash and, for the issuers
// whose profile is given (only the code and the pattern seed file are read, never the key), the
// printed guilloché with the one the seal's data gives, and looks for a copy
// (sdc::Checker::check_card). Prints a short report, or the JSON report with --json.
//   sdc verify --image IMG --trust DIR [--photo P]
// is the older form: reads the QR code(s) of the image as they are (sdc::Checker::check_image)
// and always prints JSON. Exit 0 only when the card is genuine, 1 otherwise, 2 for bad usage.
#include <sdc/compose.hpp>
#include <sdc/image.hpp>
#include <sdc/template.hpp>
#include <sdc/verify.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>

#include "cli.hpp"

namespace sdc::cli {
namespace {

struct Args {
  std::vector<std::string> images, issuers, retakes, retakes_back;
  std::string image, trust, prefix = "SDC1:", at, photo, template_file, templates_dir;
  int working_dpi = 300;
  bool json = false;
  // The thresholds, from the Checker's calibrated defaults.
  CheckerOptions thresholds;
};

// One exit code per verdict, so a script can tell a forgery from a capture to retake.
int exit_code(Verdict v) {
  switch (v) {
    case Verdict::genuine: return ok;
    case Verdict::invalid: return check_failed;
    case Verdict::suspicious: return suspicious;
    case Verdict::unreadable: return unreadable;
  }
  return internal;
}

// Every *.json template of a folder, in name order. A template that does not load is an error:
// a checker that silently skips it would call that issuer's cards unreadable.
Result<std::vector<Template>> load_templates(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return Error(Errc::io, "--templates: '" + dir + "' is not a folder",
                 "give the folder holding the template JSON files");
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.path().extension() == ".json" && e.is_regular_file()) files.push_back(e.path());
  if (ec) return Error(Errc::io, "--templates: cannot list '" + dir + "': " + ec.message(), "check the folder");
  std::sort(files.begin(), files.end());
  if (files.empty())
    return Error(Errc::io, "--templates: no *.json template in '" + dir + "'", "give the folder of card templates");
  std::vector<Template> out;
  for (const auto& f : files) {
    SDC_TRY_ASSIGN(auto t, Template::load(f));
    out.push_back(std::move(t));
  }
  return out;
}

void print_text(const Report& r) {
  std::cout << r.summary << "\n";
  for (const auto& s : r.sides) {
    std::cout << "  " << s.name << (s.side.empty() ? "" : " (" + s.side + ")") << ": ";
    if (!s.location.found) {
      std::cout << "card not found\n";
      continue;
    }
    std::cout << "card by " << s.location.method << ", corners";
    for (const auto& c : s.location.corners)
      std::cout << " (" << static_cast<int>(std::lround(c.x)) << "," << static_cast<int>(std::lround(c.y)) << ")";
    std::cout << ", ~" << static_cast<int>(std::lround(s.capture.dpi)) << " dpi\n";
  }
  for (const auto& f : r.findings)
    std::cout << "  [" << to_string(f.outcome) << "] " << f.check << ": " << f.reason << "\n";
  // What the seal says, for the officer to hold against the card: the checks compare the portrait,
  // the pattern and the machine-readable zone with it, not the name and dates printed for people.
  for (const auto& seal : r.seals) {
    const auto& v = seal.verification;
    if (!v.signer || !v.payload) continue;
    const SealPayload& p = *v.payload;
    std::cout << "  sealed data (compare the name, dates and numbers printed on the card):\n";
    const auto line = [](std::initializer_list<std::pair<const char*, const std::string*>> fields) {
      std::string out;
      for (const auto& [label, value] : fields)
        if (!value->empty()) out += (out.empty() ? "    " : "; ") + std::string(label) + " " + *value;
      if (!out.empty()) std::cout << out << "\n";
    };
    line({{"surname", &p.surname}, {"given names", &p.given_names}});
    line({{"born", &p.date_of_birth}, {"sex", &p.sex}, {"nationality", &p.nationality}});
    line({{"document", &p.document_number},
          {"registration", &p.registration_number},
          {"docket", &p.docket_number},
          {"office", &p.office}});
    line({{"issued", &p.issue_date}, {"valid until", &p.expiry_date}, {"variant", &p.card_variant}});
  }
}

int run(const Args& a) {
  const std::string cmd = "verify";
  if (a.image.empty() == a.images.empty())
    return fail(cmd, Error(Errc::invalid_argument, "give the card image(s): FRONT [BACK], or --image IMG (not both)",
                           "sdc verify front.png back.png --trust DIR --templates DIR"));
  if (!a.image.empty() && (!a.template_file.empty() || !a.templates_dir.empty()))
    return fail(cmd, Error(Errc::invalid_argument, "--template and --templates go with FRONT [BACK], not --image",
                           "sdc verify front.png back.png --trust DIR --template T"));
  if (a.images.empty() && (!a.retakes.empty() || !a.retakes_back.empty()))
    return fail(cmd, Error(Errc::invalid_argument, "--retake and --retake-back go with FRONT [BACK], not --image",
                           "sdc verify front.png back.png --retake front-2.jpg --trust DIR --template T"));
  if (a.images.size() < 2 && !a.retakes_back.empty())
    return fail(cmd, Error(Errc::invalid_argument, "--retake-back needs the BACK image it retakes",
                           "sdc verify front.png back.png --retake-back back-2.jpg --trust DIR --template T"));
  if (1 + a.retakes.size() + a.retakes_back.size() > Checker::max_captures)
    return fail(cmd, Error(Errc::invalid_argument,
                           "up to " + std::to_string(Checker::max_captures) + " captures: FRONT [BACK] and " +
                               std::to_string(Checker::max_captures - 1) + " retakes at most",
                           "give the retakes that show what the others could not read"));
  if (!a.images.empty() && !a.photo.empty())
    return fail(cmd, Error(Errc::invalid_argument, "--photo goes with --image",
                           "with FRONT [BACK], the portrait is cropped from the card by its template"));
  CheckerOptions o = a.thresholds;
  o.prefix = a.prefix;
  o.working_dpi = Dpi{a.working_dpi};
  if (!a.template_file.empty()) {
    auto t = Template::load(a.template_file);
    if (!t) return fail(cmd, t.error());
    o.card_template = std::move(*t);
  }
  if (!a.templates_dir.empty()) {
    auto ts = load_templates(a.templates_dir);
    if (!ts) return fail(cmd, ts.error());
    o.templates = std::move(*ts);
  }
  if (!a.issuers.empty() && !a.image.empty())
    return fail(cmd, Error(Errc::invalid_argument, "--issuer goes with FRONT [BACK], not --image",
                           "sdc verify front.png back.png --trust DIR --template T --issuer issuer.json"));
  for (const auto& profile : a.issuers) {
    // A checker holds the pattern seed, not the signing key: the key file is not read.
    auto issuer = load_issuer_seed(profile);
    if (!issuer) return fail(cmd, issuer.error());
    o.pattern_seeds[issuer->code] = std::move(issuer->pattern_seed);
  }
  o.resources = resources();  // fonts: the expected card (pattern, copy) and the MRZ reader
  auto checker = make_checker(a.trust, a.at, o);
  if (!checker) return fail(cmd, checker.error());

  if (!a.image.empty()) {
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

  if (a.images.size() > 2)
    return fail(cmd, Error(Errc::invalid_argument,
                           "give one or two images (front and back), not " + std::to_string(a.images.size()),
                           "sdc verify front.png back.png --trust DIR"));
  // The images: FRONT [BACK], then each --retake (of FRONT), then each --retake-back.
  std::vector<std::string> paths = a.images;
  paths.insert(paths.end(), a.retakes.begin(), a.retakes.end());
  paths.insert(paths.end(), a.retakes_back.begin(), a.retakes_back.end());
  std::vector<Image> imgs;
  for (const auto& path : paths) {
    auto img = load_image(path);
    if (!img) return fail(cmd, img.error());
    imgs.push_back(std::move(*img));
  }
  // One capture per retake: a retake of FRONT with BACK, a retake of BACK with FRONT.
  const bool two = a.images.size() > 1;
  const ImageView back = two ? imgs[1].view() : ImageView{};
  const std::string back_name = two ? a.images[1] : "";
  std::vector<CardImages> captures{{imgs[0].view(), back, a.images[0], back_name}};
  for (std::size_t i = a.images.size(); i < paths.size(); ++i) {
    if (i < a.images.size() + a.retakes.size())
      captures.push_back({imgs[i].view(), back, paths[i], back_name});
    else
      captures.push_back({imgs[0].view(), imgs[i].view(), a.images[0], paths[i]});
  }
  auto report = checker->check_captures(captures);
  if (!report) {
    const Error& e = report.error();
    return fail(cmd, e, e.code() == Errc::internal ? internal : bad_input);
  }
  if (a.json)
    std::cout << to_json(*report) << "\n";
  else
    print_text(*report);
  return exit_code(report->verdict);
}

const Registrar reg_verify{Command{
    "verify", [](CLI::App& app) -> std::function<int()> {
      auto a = std::make_shared<Args>();
      app.description(
          "Check a card from images of it (scan, phone photo or exported PNG): find and rectify the card, "
          "verify the seal, compare the printed portrait with the sealed photo hash and (--issuer) the printed "
          "guilloché with the seal's, and look for a copy. Exit 0 genuine, 1 invalid, 5 suspicious, 6 unreadable "
          "(no seal read), 2 bad usage or input, 3 internal error; --image: 0 genuine, 1 otherwise");
      app.add_option("images", a->images, "FRONT [BACK]: the card's images, PNG, JPEG or TIFF, either order");
      app.add_option("--retake", a->retakes,
                     "Another capture of FRONT (the card tilted another way, so glare falls elsewhere), checked "
                     "with BACK; the captures' card checks are combined (repeat for more, up to " +
                         std::to_string(Checker::max_captures) + " captures)");
      app.add_option("--retake-back", a->retakes_back, "Another capture of BACK, checked with FRONT (as --retake)");
      app.add_option("--image,-i", a->image,
                     "Older form: read the QR code(s) of this image as it is, without locating the card "
                     "(always prints JSON)");
      app.add_option("--trust", a->trust, "Folder of trusted signer certificates or a JSON list")->required();
      auto* t = app.add_option("--template", a->template_file, "The card's template (JSON)");
      auto* ts = app.add_option("--templates", a->templates_dir,
                                "Folder of templates; the one the seal names (template_id) is used");
      t->excludes(ts);
      ts->excludes(t);
      app.add_option("--photo", a->photo,
                     "With --image: the portrait as printed (cropped from the card), compared with the "
                     "seal's photo hash");
      // One profile per --issuer (repeated for several), so that the card images may follow it.
      app.add_option("--issuer", a->issuers,
                     "Issuer profile (JSON, as sdc render --issuer reads it); only its code and pattern "
                     "seed file are read: the printed guilloché is compared with the seal's and the print "
                     "checked for a copy. Repeat for several issuers")
          ->allow_extra_args(false);
      app.add_option("--prefix", a->prefix, "Seal prefix (default SDC1:)");
      app.add_option("--at", a->at, "Check at this time: Unix seconds, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
      app.add_option("--working-dpi", a->working_dpi, "Resolution the card is rectified to (100..1200)")
          ->default_val(300);
      app.add_flag("--json", a->json, "print the report as JSON (--image always does)");
      // The thresholds a deployment may set (the defaults, shown, are calibrated in bench/RESULTS.md);
      // the Checker refuses values out of range with a clear error.
      CheckerOptions& th = a->thresholds;
      app.add_option("--photo-threshold", th.photo_threshold, "Largest photo-hash distance accepted, 0..64 bits")
          ->capture_default_str();
      app.add_option("--pattern-threshold", th.pattern_threshold,
                     "With --issuer: the least guilloché correlation accepted, -1..1")
          ->capture_default_str();
      app.add_option("--copy-threshold", th.copy_threshold,
                     "With --issuer: the least fine-line correlation of an original print, -1..1")
          ->capture_default_str();
      app.add_option("--text-threshold", th.text_threshold,
                     "With --issuer: the least correlation of each printed text element with the sealed data, -1..1")
          ->capture_default_str();
      app.add_option("--min-copy-dpi", th.min_copy_capture_dpi.v,
                     "With --issuer: captures estimated under this resolution leave the copy check to a retake "
                     "(0: judge every capture)")
          ->capture_default_str();
      app.add_flag("--allow-unjudged-copy", th.allow_unjudged_copy,
                   "With --issuer: a copy check the capture cannot judge (too coarse or blurred) is not_checked "
                   "instead of a retake (suspicious)");
      return [a] { return run(*a); };
    }}};

}  // namespace
}  // namespace sdc::cli
