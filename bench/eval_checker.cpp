// The checker's evaluation harness (issue 10): fictional records -> cards -> genuine and attack sets
// -> the print-scan simulator -> Checker::check_card on both simulated captures, end to end (the
// real locator, the seal, the photo, the pattern binding and copy detection) -> one table per set
// in ISO/IEC 30107-3 terms. `--true-corners` keeps the earlier measurement: the simulator's true
// corners, Checker::check_image on the back and the forensics called directly. Run through
// bench/eval.
//
// Everything is deterministic: records, keys (the specimen key signs; the untrusted key of attack
// (a) is generated), channel seeds and the check time are fixed, so a run gives the same table.
#include <sdc/compose.hpp>
#include <sdc/export.hpp>
#include <sdc/image.hpp>
#include <sdc/record.hpp>
#include <sdc/render.hpp>
#include <sdc/seal.hpp>
#include <sdc/simulate.hpp>
#include <sdc/template.hpp>
#include <sdc/verify.hpp>

#include "forensics/forensics.hpp"
#include "verify/checker_detail.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

using namespace sdc;

[[noreturn]] void die(const std::string& what, const Error& e) {
  std::fprintf(stderr, "eval_checker: %s: %s\n", what.c_str(), e.message().c_str());
  std::exit(2);
}

template <class T>
T must(Result<T> r, const std::string& what) {
  if (!r) die(what, r.error());
  return std::move(*r);
}

// ---- fictional records ----------------------------------------------------------------------

struct Name {
  const char* printed;
  const char* latin;
};
constexpr Name kSurnames[] = {
    {"Specimen", "SPECIMEN"},      {"Ødegård", "ODEGARD"},
    {"Kowalczyk", "KOWALCZYK"},    {"Nguyễn", "NGUYEN"},
    {"Müller", "MUELLER"},         {"García López", "GARCIA LOPEZ"},
    {"Παπαδάκη", "PAPADAKI"},      {"O'Neill", "ONEILL"},
    {"Ivanova", "IVANOVA"},        {"Abebe", "ABEBE"},
    {"Tanaka", "TANAKA"},          {"Hernández Ruiz", "HERNANDEZ RUIZ"},
    {"Þórsdóttir", "THORSDOTTIR"}, {"Okafor", "OKAFOR"},
    {"Lindqvist", "LINDQVIST"},    {"Yılmaz", "YILMAZ"},
};
constexpr Name kGiven[] = {
    {"Alexandra", "ALEXANDRA"},
    {"Jonas", "JONAS"},
    {"Zoë", "ZOE"},
    {"Mateo", "MATEO"},
    {"Aiko", "AIKO"},
    {"Chidi", "CHIDI"},
    {"Ingrid Maria", "INGRID MARIA"},
    {"Łukasz", "LUKASZ"},
    {"Amara", "AMARA"},
    {"Sven Erik", "SVEN ERIK"},
    {"Fatima", "FATIMA"},
    {"Noah", "NOAH"},
};
constexpr const char* kNations[] = {"XXA", "NOR", "POL", "VNM", "DEU", "ESP", "GRC", "IRL", "FIN", "ETH", "JPN"};
constexpr const char* kOffices[][2] = {
    {"Specimen City Field Office", "SCF"}, {"Northern District Office", "NDO"}, {"Harbour Office", "HBO"}};

std::string pad(long v, int width) {
  std::string s = std::to_string(v);
  return std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(s.size()))), '0') + s;
}

// Record `index` (0-based, unique document number), valid at the check time unless `expired`.
Record make_record(long index, bool expired) {
  std::mt19937_64 rng(0x5EC0DE00ULL + static_cast<std::uint64_t>(index));
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const Name sn = kSurnames[pick(std::size(kSurnames))];
  const Name gn = kGiven[pick(std::size(kGiven))];
  const auto* office = kOffices[pick(std::size(kOffices))];
  Record r;
  r.source = "generated";
  r.index = index;
  r.set("surname", sn.printed);
  r.set("given_names", gn.printed);
  r.set("surname_latin", sn.latin);
  r.set("given_names_latin", gn.latin);
  r.set("date_of_birth", std::to_string(1950 + pick(55)) + "-" + pad(1 + static_cast<long>(pick(12)), 2) + "-" +
                             pad(1 + static_cast<long>(pick(28)), 2));
  r.set("sex", std::string(1, "FMX"[pick(3)]));
  r.set("nationality", kNations[pick(std::size(kNations))]);
  r.set("registration_number", pad(100000000 + static_cast<long>(rng() % 899999999), 9));
  r.set("docket_number", "CR-2026-" + pad(index, 6));
  r.set("document_number", "XB" + pad(index, 7));
  r.set("issuing_office", office[0]);
  r.set("issuing_office_code", office[1]);
  const std::string issue =
      "2026-" + pad(1 + static_cast<long>(pick(9)), 2) + "-" + pad(1 + static_cast<long>(pick(28)), 2);
  r.set("issue_date", issue);
  r.set("expiry_date", expired ? "2027-03-" + pad(1 + static_cast<long>(pick(28)), 2)
                               : std::to_string(2028 + pick(4)) + issue.substr(4));
  r.set("card_variant", pick(2) ? "permanent" : "temporary");
  return r;
}

// Another face for attack (b), synthesised here (no second public-domain portrait ships in a
// Debian package we depend on): a frontal cartoon face, 400 x 512, deterministic. Variant 0 is the
// face every card of set B had until the twenty-eighth session; the others vary its backdrop,
// shoulders, hair, face, skin, eyes, nose and mouth from `variant`, so that set B measures the
// photo hash's margin over many faces, not one.
Image other_face(std::uint64_t variant = 0) {
  std::mt19937_64 rng(variant * 0x9E3779B97F4A7C15ULL + 7);
  const auto u = [&](double lo, double hi) {
    return variant == 0 ? (lo + hi) / 2 : std::uniform_real_distribution<double>(lo, hi)(rng);
  };
  const auto level = [&](int base, int spread) {
    return static_cast<std::uint8_t>(
        std::clamp(static_cast<int>(std::lround(u(base - spread, base + spread))), 0, 255));
  };
  const std::uint8_t backdrop[3] = {level(90, 40), level(120, 40), level(160, 40)};
  const std::uint8_t hair[3] = {level(60, 40), level(40, 30), level(25, 20)};
  const std::uint8_t skin[3] = {level(214, 35), level(170, 40), level(140, 40)};
  const double face_x = u(185, 215), face_y = u(225, 255), face_rx = u(90, 120), face_ry = u(125, 155);
  const double hair_rx = face_rx + u(15, 35), hair_ry = face_ry + u(10, 30), hair_dy = u(-65, -35);
  const double eye_dx = u(32, 48), eye_dy = u(-35, -15), eye_rx = u(13, 23), eye_ry = u(6, 12);
  const double nose_ry = u(21, 35), mouth_dy = u(65, 95), mouth_rx = u(28, 48), mouth_ry = u(7, 13);
  Image img(400, 512, PixelFormat::rgb8);
  auto in_ellipse = [](double x, double y, double cx, double cy, double rx, double ry) {
    const double dx = (x - cx) / rx, dy = (y - cy) / ry;
    return dx * dx + dy * dy <= 1;
  };
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) {
      std::uint8_t c[3] = {backdrop[0], backdrop[1], backdrop[2]};
      const double fx = x, fy = y;
      if (in_ellipse(fx, fy, face_x, 470, 190, 120)) c[0] = 40, c[1] = 60, c[2] = 50;  // shoulders
      if (in_ellipse(fx, fy, face_x, face_y + hair_dy, hair_rx, hair_ry)) std::copy_n(hair, 3, c);
      if (in_ellipse(fx, fy, face_x, face_y, face_rx, face_ry)) std::copy_n(skin, 3, c);
      if (in_ellipse(fx, fy, face_x - eye_dx, face_y + eye_dy, eye_rx, eye_ry) ||
          in_ellipse(fx, fy, face_x + eye_dx, face_y + eye_dy, eye_rx, eye_ry))
        c[0] = 30, c[1] = 30, c[2] = 40;  // eyes
      if (in_ellipse(fx, fy, face_x, face_y + 25, 10, nose_ry))
        c[0] = static_cast<std::uint8_t>(std::max(0, skin[0] - 24)),
        c[1] = static_cast<std::uint8_t>(std::max(0, skin[1] - 30)),
        c[2] = static_cast<std::uint8_t>(std::max(0, skin[2] - 25));                                            // nose
      if (in_ellipse(fx, fy, face_x, face_y + mouth_dy, mouth_rx, mouth_ry)) c[0] = 150, c[1] = 60, c[2] = 60;  // mouth
      std::copy_n(c, 3, img.row(y) + 3 * x);
    }
  return img;
}

// ---- cards ----------------------------------------------------------------------------------

struct Env {
  Template tmpl;
  Composer composer;
  Renderer renderer;
  Issuer issuer, rogue;
  Image astronaut, other;
  bool same_other_face = false;  // set B: every card with other_face(0), as before the 28th session
  Dpi print_dpi{600}, work_dpi{600};
  // --dump: where to write the captures of a presentation whose front or back was located more
  // than 5 capture pixels off (empty: nowhere), to reproduce a locator failure with `sdc verify`;
  // of every presentation when `dump_all` (the presentations were picked with --indices).
  std::string dump_dir;
  bool dump_all = false;
  // --retakes: further captures of each presentation (other seeds), combined by check_captures.
  int retakes = 0;
};

struct Physical {  // both sides as printed (composited artwork at the print dpi)
  Image front, back;
  PxRect trim;
};

Card compose(const Env& env, const Record& r, const Issuer& issuer, const Image& photo, Dpi dpi) {
  return must(env.composer.compose(env.tmpl, r, issuer, {.photo = &photo, .dpi = dpi}),
              "compose record " + *r.get("document_number"));
}

Physical render(const Env& env, const Card& card) {
  Physical p;
  auto f = must(env.renderer.render(card, Side::front, {.dpi = env.print_dpi}), "render front");
  auto b = must(env.renderer.render(card, Side::back, {.dpi = env.print_dpi}), "render back");
  p.trim = f.trim;
  p.front = composite(f);
  p.back = composite(b);
  return p;
}

// Copies the pixels of element `name`'s box from `src` onto `dst` (same size and geometry).
void paste(Image& dst, const Image& src, const Card& card, Side side, std::string_view name, const Env& env,
           PxRect trim) {
  for (const auto& it : card.display(side).items) {
    if (it->name != name) continue;
    const int x0 = trim.x + to_px(it->box.x, env.print_dpi).v, y0 = trim.y + to_px(it->box.y, env.print_dpi).v;
    const int x1 = trim.x + to_px(it->box.right(), env.print_dpi).v,
              y1 = trim.y + to_px(it->box.bottom(), env.print_dpi).v;
    for (int y = std::max(0, y0); y < std::min(dst.height(), y1); ++y)
      std::copy(src.row(y) + 3 * std::max(0, x0), src.row(y) + 3 * std::min(dst.width(), x1),
                dst.row(y) + 3 * std::max(0, x0));
    return;
  }
  std::fprintf(stderr, "eval_checker: no element '%s'\n", std::string(name).c_str());
  std::exit(2);
}

std::string first_element_of_type(const Card& card, Side side, std::string_view type) {
  for (const auto& it : card.display(side).items)
    if (it->type == type) return it->name;
  return {};
}

// ---- one presentation -----------------------------------------------------------------------

struct Presentation {
  Verdict verdict = Verdict::unreadable;        // without pattern and copy
  Verdict final_verdict = Verdict::unreadable;  // end to end: the report's verdict
  bool end_to_end = false;
  std::string why;      // the first failing check, for rejected genuine cards
  std::string detail;   // its one-line reason (verbose output)
  double mrz = -1;      // the mrz finding's score (verbose output; -1 when it has none)
  double text = -1;     // the text finding's score (verbose output; -1 when it has none)
  double photo = -1;    // the photo finding's score, bits (verbose output; -1 when it has none)
  bool retake = false;  // the copy could not be judged at the capture's resolution (a failure to acquire)
  // End to end: the front's located corners against the simulator's, the largest distance in
  // capture pixels (-1: not located), and whether the checker took the card to be upside down.
  double front_off_px = -1;
  bool front_turned = false;
  double back_off_px = -1;    // end to end: how far the back's corners are located (pixels, up to a 180° turn)
  double front_dpi = 0;       // end to end: the front's capture resolution as the checker estimated it
  double front_edge_mm = 0;   // end to end: the front's CaptureQuality::edge_mm
  double front_keystone = 0;  // end to end: the located front's longer over shorter opposite side, the larger pair
  forensics::ForensicScore pattern, copy;
  bool accepted_checker() const { return verdict == Verdict::genuine; }
  bool accepted() const {
    if (end_to_end) return final_verdict == Verdict::genuine;
    return accepted_checker() && (!pattern.checked || pattern.pass) && (!copy.checked || copy.pass);
  }
};

// The earlier measurement (--true-corners): rectified with the simulator's corners, check_image on
// the back given the portrait cut from the front, the forensics called here.
Presentation present_true_corners(const Env& env, const Checker& checker, const Physical& card, const Channel& channel,
                                  std::uint64_t seed, const forensics::PatternOptions& po, forensics::CopyOptions co) {
  Presentation out;
  auto front = must(simulate(card.front.view(), env.print_dpi, card.trim, channel, seed * 2 + 1), "simulate front");
  auto back = must(simulate(card.back.view(), env.print_dpi, card.trim, channel, seed * 2 + 2), "simulate back");
  // The corners a locator would report: the true ones, off by up to half a capture pixel.
  std::mt19937_64 rng(seed ^ 0xC0FFEEULL);
  auto corners = front.corners;
  for (auto& c : corners) {
    c.x += static_cast<double>(rng() % 1001) / 1000.0 - 0.5;
    c.y += static_cast<double>(rng() % 1001) / 1000.0 - 0.5;
  }
  const SideGeometry geom;  // ID-1
  auto rect = must(rectify_quad(front.image.view(), corners, geom.trim(), env.work_dpi), "rectify");
  // The printed portrait, cut from the rectified front at the photo element's box.
  ImageView portrait;
  for (const auto& info : env.tmpl.elements(Side::front))
    if (info.type == "photo") {
      const PxRect r{to_px(info.box.x, env.work_dpi).v, to_px(info.box.y, env.work_dpi).v,
                     to_px(info.box.w, env.work_dpi).v, to_px(info.box.h, env.work_dpi).v};
      portrait = rect.view().cropped(r);
      break;
    }
  auto report = must(checker.check_image(back.image.view(), portrait, "back"), "check");
  out.verdict = report.verdict;
  for (const auto& f : report.findings)
    if (f.outcome == Outcome::fail || f.outcome == Outcome::warn) {
      out.why = f.check + ":" + f.code;
      break;
    }
  if (report.seals.empty() || !report.seals[0].verification.payload) return out;
  // The card the seal describes, composed again with the issuer's seed.
  const Record expected_record = detail::record_from_payload(*report.seals[0].verification.payload);
  auto expected =
      env.composer.compose(env.tmpl, expected_record, env.issuer, {.photo = &env.astronaut, .dpi = env.work_dpi});
  if (!expected) {
    out.why = "compose from seal: " + expected.error().message();
    return out;
  }
  out.pattern = must(forensics::pattern_binding(rect.view(), env.work_dpi, *expected, Side::front, po), "pattern");
  co.capture_dpi = channel.passes.back().capture.dpi;
  out.copy = must(forensics::copy_detection(rect.view(), env.work_dpi, *expected, Side::front, co), "copy");
  return out;
}

// How far `found`'s corners are from the simulator's `truth` (the largest distance, pixels), as
// they are or turned by 180° (whichever is nearer; `turned` says which).
template <class Corners>
double corners_off(const CardLocation& found, const Corners& truth, bool* turned_out) {
  // The simulator's corners have pixel centres at integers; ImagePoint's at +0.5.
  double straight = 0, turned = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& t = truth[i];
    const auto& a = found.corners[i];
    const auto& b = found.corners[(i + 2) % 4];
    straight = std::max(straight, std::hypot(a.x - (t.x + 0.5), a.y - (t.y + 0.5)));
    turned = std::max(turned, std::hypot(b.x - (t.x + 0.5), b.y - (t.y + 0.5)));
  }
  if (turned_out) *turned_out = turned < straight;
  return std::min(straight, turned);
}

// The product end to end: both captures through Checker::check_card.
Presentation present(const Env& env, const Checker& checker, const Physical& card, const Channel& channel,
                     std::uint64_t seed) {
  Presentation out;
  auto front = must(simulate(card.front.view(), env.print_dpi, card.trim, channel, seed * 2 + 1), "simulate front");
  auto back = must(simulate(card.back.view(), env.print_dpi, card.trim, channel, seed * 2 + 2), "simulate back");
  // --retakes: the card captured again through the same channel (other seeds: the highlight, the
  // light and the hand elsewhere), all captures combined as Checker::check_captures does.
  std::vector<Capture> again;
  std::vector<std::string> names;
  for (int k = 1; k <= env.retakes; ++k) {
    const std::uint64_t s = seed * 2 + 1 + 7919 * static_cast<std::uint64_t>(k);
    again.push_back(must(simulate(card.front.view(), env.print_dpi, card.trim, channel, s), "simulate front"));
    again.push_back(must(simulate(card.back.view(), env.print_dpi, card.trim, channel, s + 1), "simulate back"));
    names.push_back("front-" + std::to_string(k + 1));
    names.push_back("back-" + std::to_string(k + 1));
  }
  std::vector<CardImages> captures{{front.image.view(), back.image.view(), "front", "back"}};
  for (std::size_t i = 0; i + 1 < again.size(); i += 2)
    captures.push_back({again[i].image.view(), again[i + 1].image.view(), names[i], names[i + 1]});
  auto report = must(checker.check_captures(captures), "check");
  // For --dump, per side: the simulator's corners, then the located ones.
  const auto corner_line = [](const char* what, const auto& corners, double shift) {
    std::string line = what;
    for (const auto& t : corners) line += " " + std::to_string(t.x + shift) + " " + std::to_string(t.y + shift);
    return line;
  };
  std::string corners_text = corner_line("true", front.corners, 0.5),
              back_text = corner_line("true", back.corners, 0.5);
  for (const auto& sc : report.sides)
    if (sc.name == "front" && sc.location.found) {
      out.front_dpi = sc.capture.dpi;
      out.front_edge_mm = sc.capture.edge_mm;
      const auto& px = sc.location.side_px;
      const auto side = [&](std::size_t i) { return px[i]; };
      out.front_keystone = std::max(std::max(side(0), side(2)) / std::max(1e-9, std::min(side(0), side(2))),
                                    std::max(side(1), side(3)) / std::max(1e-9, std::min(side(1), side(3))));
      corners_text += "\n" + corner_line("found", sc.location.corners, 0);
      out.front_off_px = corners_off(sc.location, front.corners, &out.front_turned);
    } else if (sc.name == "back" && sc.location.found) {
      back_text += "\n" + corner_line("found", sc.location.corners, 0);
      out.back_off_px = corners_off(sc.location, back.corners, nullptr);
    }
  if (!env.dump_dir.empty() && (env.dump_all || out.front_off_px < 0 || out.front_off_px > 5 || out.back_off_px > 5)) {
    const std::string stem = env.dump_dir + "/" + std::to_string(seed);
    for (const auto& [side, cap] : {std::pair{"front", &front}, std::pair{"back", &back}})
      if (auto st = write_png(cap->image.view(), stem + "-" + side + ".png"); !st)
        std::fprintf(stderr, "eval: --dump: %s\n", st.error().to_string().c_str());
    std::ofstream(stem + "-front.txt") << corners_text << "\n";
    std::ofstream(stem + "-back.txt") << back_text << "\n";
  }
  // "checker accepted" (the columns before the forensics): the verdict without pattern and copy.
  std::vector<Finding> reading;
  for (const auto& f : report.findings)
    if (f.check != "pattern" && f.check != "copy") reading.push_back(f);
  out.verdict = detail::verdict_of(reading);
  out.final_verdict = report.verdict;
  out.end_to_end = true;
  for (const auto& f : report.findings)
    if (f.outcome == Outcome::fail || f.outcome == Outcome::warn) {
      out.why = f.check + ":" + f.code;
      out.detail = f.reason;
      break;
    }
  if (out.why.empty() && report.verdict != Verdict::genuine)
    out.why = std::string("verdict:") + to_string(report.verdict);
  if (const Finding* f = report.find("mrz", 0); f && f->score) out.mrz = *f->score;
  if (const Finding* f = report.find("text", 0); f && f->score) out.text = *f->score;
  if (const Finding* f = report.find("photo", 0); f && f->score) out.photo = *f->score;
  // ISO/IEC 30107-3's failure to acquire: nothing failed, but the capture was too coarse or too
  // blurred to judge the copy, so the checker asks for a retake (suspicious). Counted apart from APCER and BPCER.
  // Glare over the fine lines, the MRZ, the text or the portrait (`pattern`, `copy`, `mrz`, `text` or
  // `photo` warns `glare`) is one too, and so is glare over the QR code's place (`qr` fails `glare`:
  // unreadable).
  const auto retake_code = [](const Finding* f) {
    return f && f->outcome == Outcome::warn &&
           (f->code == "low_resolution" || f->code == "blurred" || f->code == "glare");
  };
  if ((retake_code(report.find("copy", 0)) || retake_code(report.find("pattern", 0)) ||
       retake_code(report.find("mrz", 0)) || retake_code(report.find("text", 0)) ||
       retake_code(report.find("photo", 0))) &&
      report.verdict == Verdict::suspicious)
    out.retake = std::none_of(report.findings.begin(), report.findings.end(),
                              [](const Finding& g) { return g.outcome == Outcome::fail; });
  // No code read where glare washes out the template's place for it: unreadable, and a retake.
  if (const Finding* q = report.find("qr", -1); q && q->code == "glare" && report.verdict == Verdict::unreadable)
    out.retake = true;
  auto score_of = [&](const char* check, forensics::ForensicScore& s) {
    if (const Finding* f = report.find(check, 0); f && f->score && f->threshold) {
      s.checked = true;
      s.score = *f->score;
      s.threshold = *f->threshold;
      s.pass = f->outcome == Outcome::pass;
    }
  };
  score_of("pattern", out.pattern);
  score_of("copy", out.copy);
  return out;
}

// ---- sets -----------------------------------------------------------------------------------

struct SetDef {
  std::string id, what, channel;
  bool attack;
  double target;  // the largest error rate accepted (APCER or BPCER), in %
};

struct Stats {
  int n = 0, acc_checker = 0, acc_pattern = 0, acc_all = 0, retakes = 0;
  int invalid = 0;  // genuine presentations the checker called forged (`invalid`), among the rejected
  std::vector<double> pattern, copy;
  std::map<std::string, int> why;
};

std::string pct(int k, int n) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f %%", n ? 100.0 * k / n : 0.0);
  return b;
}

std::string range(std::vector<double> v) {
  if (v.empty()) return "—";
  std::sort(v.begin(), v.end());
  char b[64];
  std::snprintf(b, sizeof b, "%.2f / %.2f / %.2f", v.front(), v[v.size() / 2], v.back());
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"sdc checker evaluation: genuine and attack sets through the print-scan simulator"};
  int n = 6;
  int print_dpi = 600, work_dpi = 600;
  std::uint64_t seed = 1;
  std::string only;
  std::vector<int> indices;
  bool verbose = false, true_corners = false, check_targets = false;
  double pattern_threshold = forensics::kPatternThreshold, copy_threshold = forensics::kCopyThreshold;
  app.add_option("-n,--cards", n, "cards per set")->check(CLI::Range(1, 100000));
  app.add_option("--print-dpi", print_dpi, "printer resolution")->check(CLI::Range(150, 1200));
  app.add_option("--work-dpi", work_dpi, "forensics working resolution")->check(CLI::Range(300, 1200));
  app.add_option("--seed", seed, "channel seed");
  app.add_option("--sets", only, "comma-separated set ids (default: all)");
  app.add_option("--indices", indices,
                 "only these card indices of each set (0-based, as the verbose lines number them), to rerun a few")
      ->delimiter(',')
      ->check(CLI::Range(0, 99999));
  app.add_option("--pattern-threshold", pattern_threshold);
  app.add_option("--copy-threshold", copy_threshold);
  std::string last_capture;
  app.add_option("--last-capture", last_capture,
                 "the last capture of every channel taken as this channel's (mild: a flatbed scan, of a copy too), "
                 "before the options below change it")
      ->check(CLI::IsMember({"mild", "medium", "harsh"}));
  int capture_dpi = 0;
  app.add_option("--capture-dpi", capture_dpi,
                 "the last capture's resolution in every channel (0: the channel's own), to calibrate copy detection")
      ->check(CLI::Range(0, 1200));
  double motion_px = 0;
  app.add_option("--motion", motion_px,
                 "a motion blur of this many capture pixels on the last capture of every channel (a hand that "
                 "moved), in a direction drawn from the seed")
      ->check(CLI::Range(0.0, 60.0));
  double max_copy_edge = CheckerOptions{}.max_copy_edge_mm;
  app.add_option("--max-copy-edge", max_copy_edge,
                 "CheckerOptions::max_copy_edge_mm: captures whose card edge is spread over more (mm) are retakes "
                 "(0: judge all)")
      ->check(CLI::Range(0.0, 5.0));
  double copy_floor = CheckerOptions{}.copy_floor;
  app.add_option("--copy-floor", copy_floor,
                 "CheckerOptions::copy_floor: on a capture too coarse or blurred to judge, a copy score under it "
                 "fails (0: those are all retakes)")
      ->check(CLI::Range(0.0, 1.0));
  double sharp_edge_px = CheckerOptions{}.copy_sharp_edge_px, threshold_per_px = CheckerOptions{}.copy_threshold_per_px;
  app.add_option("--copy-sharp-edge-px", sharp_edge_px,
                 "CheckerOptions::copy_sharp_edge_px: captures sharper than this raise the copy threshold");
  app.add_option("--copy-threshold-per-px", threshold_per_px,
                 "CheckerOptions::copy_threshold_per_px: by this much per pixel sharper (0: a fixed threshold)");
  double copy_borderline = CheckerOptions{}.copy_borderline;
  app.add_option("--copy-borderline", copy_borderline,
                 "CheckerOptions::copy_borderline: copy scores this little under the threshold warn `borderline` "
                 "(suspicious) instead of failing (0: none)")
      ->check(CLI::Range(0.0, 0.2));
  double perspective = -1;
  app.add_option("--perspective", perspective,
                 "the last capture's perspective in every channel (CaptureStep::perspective, 0..0.2; -1: the "
                 "channel's own)")
      ->check(CLI::Range(-1.0, 0.2));
  double tilt = 0;
  app.add_option("--tilt", tilt,
                 "the card tilted by this many degrees before a phone's camera in the last capture of every "
                 "channel (CaptureStep::tilt_deg, 0..60; the axis drawn from the seed)")
      ->check(CLI::Range(0.0, 60.0));
  double glare = 0;
  app.add_option("--glare", glare,
                 "a specular highlight of this strength on the card in the last capture of every channel "
                 "(CaptureStep::glare, 0..2; where and how large drawn from the seed)")
      ->check(CLI::Range(0.0, 2.0));
  double glare_size = 0;
  app.add_option("--glare-size", glare_size,
                 "the highlight's size: σ of its shorter axis in fractions of the card's width (CaptureStep::"
                 "glare_size, 0.01..0.5; 0: drawn from the seed, 0.05 to 0.12). 0.01 to 0.02: a spot over a "
                 "letter or two")
      ->check(CLI::Range(0.0, 0.5));
  double shadow = 0, shadow_edge = 1;
  app.add_option("--shadow", shadow,
                 "a shadow across the last capture of every channel: the light times 1 - this beyond a straight "
                 "edge (CaptureStep::shadow, 0..0.9; where and which way drawn from the seed)")
      ->check(CLI::Range(0.0, 0.9));
  app.add_option("--shadow-edge", shadow_edge,
                 "the shadow's penumbra in millimetres of the card (CaptureStep::shadow_edge_mm, 0.05..20)")
      ->check(CLI::Range(0.05, 20.0));
  double sharpen = 0;
  app.add_option("--sharpen", sharpen,
                 "a phone's sharpening on the last capture of every channel (CaptureStep::sharpen, 0..3)")
      ->check(CLI::Range(0.0, 3.0));
  double denoise = 0;
  app.add_option("--denoise", denoise,
                 "a phone's noise reduction on the last capture of every channel (CaptureStep::denoise, 0..3)")
      ->check(CLI::Range(0.0, 3.0));
  int min_copy_dpi = CheckerOptions{}.min_copy_capture_dpi.v;
  app.add_option("--min-copy-dpi", min_copy_dpi,
                 "CheckerOptions::min_copy_capture_dpi: captures estimated under it are retakes (0: judge all)")
      ->check(CLI::Range(0, 1200));
  app.add_flag("-v,--verbose", verbose, "one line per presentation");
  bool one_other_face = false;
  app.add_flag("--one-other-face", one_other_face,
               "set B with one drawn face on every card (before the twenty-eighth session) instead of one per card");
  std::string dump_dir;
  app.add_option("--dump", dump_dir,
                 "write both captures of each presentation whose front is located over 5 px off (or not at all) "
                 "or whose back is, or of each one picked with --indices, to DIR/<seed>-front.png, -back.png, and "
                 "each side's true and located corners to DIR/<seed>-front.txt, -back.txt")
      ->check(CLI::ExistingDirectory);
  int retakes = 0;
  app.add_option("--retakes", retakes,
                 "capture each presentation this many more times (other seeds) and combine the captures "
                 "(Checker::check_captures): an officer's retakes")
      ->check(CLI::Range(0, static_cast<int>(Checker::max_captures) - 1));
  std::string template_file;
  app.add_option("--template", template_file,
                 "the card template to evaluate (default: the specimen, assets/templates/specimen.json); its "
                 "elements must carry the specimen's field names (surname, expiry, docket_number, ...)")
      ->check(CLI::ExistingFile);
  app.add_flag("--check-targets", check_targets, "exit 1 when a set misses its target (for the ctest smoke run)");
  app.add_flag("--true-corners", true_corners,
               "the earlier measurement: the simulator's true corners, check_image and the forensics called "
               "directly (default: Checker::check_card end to end, with its own locator)");
  CLI11_PARSE(app, argc, argv);

  const auto t0 = std::chrono::steady_clock::now();
  // The source tree (bench/eval sets SDC_DATA_DIR), else the current directory.
  const char* data_env = std::getenv("SDC_DATA_DIR");
  const std::filesystem::path data = data_env && *data_env ? data_env : ".";
  const Resources resources = Resources::at(data);
  Env env{.tmpl = must(Template::load(template_file.empty() ? data / "assets/templates/specimen.json"
                                                            : std::filesystem::path(template_file)),
                       "template"),
          .composer = must(Composer::create(resources), "composer"),
          .renderer = Renderer{},
          .issuer = {},
          .rogue = {},
          .astronaut = must(load_image(data / "assets/records/photos/astronaut.png"), "photo"),
          .other = other_face(),
          .print_dpi = Dpi{print_dpi},
          .work_dpi = Dpi{work_dpi}};
  env.renderer = must(Renderer::create(env.composer.fonts()), "renderer");
  env.dump_dir = dump_dir;
  env.dump_all = !indices.empty();
  env.same_other_face = one_other_face;
  env.retakes = retakes;
  const auto key_dir = data / "assets/keys/specimen-ed25519";
  env.issuer.signer = must(load_signer(key_dir / "key.pem", key_dir / "cert.pem"), "specimen key");
  // The issuer's secret pattern seed, which the checker holds too.
  env.issuer.code = "XXA";
  for (const char c : std::string_view("sdc eval issuer pattern seed"))
    env.issuer.pattern_seed.push_back(static_cast<std::uint8_t>(c));
  // Attack (a): a key the checker does not trust, and no knowledge of the issuer's pattern seed.
  {
    auto gen = must(generate_key({.alg = SignatureAlg::ed25519, .subject_cn = "forger", .not_before_unix = 1767225600}),
                    "keygen");
    const auto dir = std::filesystem::temp_directory_path() / ("sdc-eval-rogue-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    if (auto st = write_generated_key(gen, dir); !st) die("rogue key", st.error());
    env.rogue.signer = must(load_signer(dir / "key.pem", dir / "cert.pem"), "rogue key");
    std::filesystem::remove_all(dir);
    env.rogue.pattern_seed = {'f', 'o', 'r', 'g', 'e', 'r', ' ', 's', 'e', 'e', 'd', '!', '!', '!', '!', '!'};
  }

  const std::vector<SetDef> sets = {
      {"G-mild", "genuine", "mild", false, 1},
      {"G-medium", "genuine", "medium", false, 1},
      {"G-harsh", "genuine", "harsh", false, -1},  // the issue sets no target
      {"A", "data changed, re-signed with an untrusted key", "medium", true, 0},
      {"B", "photo replaced with another face", "medium", true, 1},
      {"C", "whole card copied (scan 300 dpi, reprint 300 dpi)", "copy", true, 5},
      {"D", "QR code of another genuine card pasted on", "medium", true, 0},
      {"E-exp", "expired card", "medium", true, 0},
      {"E-rev", "revoked card (document number revoked)", "medium", true, 0},
      {"F", "name and MRZ altered on the print, genuine QR kept", "medium", true, 1},
      // Last, so that every other set keeps its records (index_of) and the revoked set its index.
      {"C-fine", "whole card copied finely (scan 1200 dpi lossless, reprint 600 dpi)", "copy-fine", true, -1},
      // The issue's (f) names "the MRZ or the name": here the name a person reads, changed on the
      // front, with the zone on the back and the QR code left genuine. Last, as C-fine.
      {"F-name", "name altered on the front only, MRZ and QR genuine", "medium", true, 1},
      // The smallest alteration that pays: the validity date a person reads on the front moved two
      // years on (one or two digits of the year), the zone on the back and the QR code genuine.
      {"F-date", "validity year on the front moved 2 years on, MRZ and QR genuine", "medium", true, 1},
      // The back's docket number (no personal guilloché there, and the zone does not carry it).
      {"F-back", "docket number on the back altered (last 3 digits), MRZ and QR genuine", "medium", true, 1},
      // A replay: the genuine card scanned and shown at its size on a phone's screen, photographed.
      // The issue sets no target; judged as the copy is (5 %). Last, as C-fine.
      {"S", "replayed on a phone's screen (scan 600 dpi, shown at 460 ppi)", "screen", true, 5},
  };

  TrustStore trust;
  {
    std::ifstream in(key_dir / "cert.pem", std::ios::binary);
    const std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (auto st = trust.add_certificate({reinterpret_cast<const std::uint8_t*>(pem.data()), pem.size()}); !st)
      die("trust", st.error());
  }
  // Records: set s uses indices s * 100000 + i, so every card of the run is distinct.
  auto index_of = [&](std::size_t s, int i) { return static_cast<long>(s) * 100000 + i + 1; };
  for (int i = 0; i < n; ++i) trust.revoke_document(*make_record(index_of(8, i), false).get("document_number"));
  CheckerOptions copts;
  copts.check_time = must(parse_time("2027-06-01"), "time");
  copts.templates = {env.tmpl};
  copts.pattern_seeds[env.issuer.code] = env.issuer.pattern_seed;
  copts.resources = resources;
  copts.forensic_dpi = env.work_dpi;
  copts.pattern_threshold = pattern_threshold;
  copts.copy_threshold = copy_threshold;
  copts.min_copy_capture_dpi = Dpi{min_copy_dpi};
  copts.max_copy_edge_mm = max_copy_edge;
  copts.copy_floor = copy_floor;
  copts.copy_sharp_edge_px = sharp_edge_px;
  copts.copy_threshold_per_px = threshold_per_px;
  copts.copy_borderline = copy_borderline;
  const Checker checker = must(Checker::create(trust, copts), "checker");
  const forensics::PatternOptions po{.threshold = pattern_threshold};
  const forensics::CopyOptions co{.threshold = copy_threshold};

  std::printf(
      "| set | what | channel | retakes (FTA) | n | checker accepted | + pattern | + copy (all) | metric | target | "
      "met "
      "| pattern score min / median / max | copy score min / median / max |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  int missed = 0;
  for (std::size_t s = 0; s < sets.size(); ++s) {
    const auto& def = sets[s];
    if (!only.empty() && ("," + only + ",").find("," + def.id + ",") == std::string::npos) continue;
    Channel channel = must(channel_preset(def.channel, env.print_dpi), "channel");
    if (!last_capture.empty())
      channel.passes.back().capture =
          must(channel_preset(last_capture, env.print_dpi), "channel").passes.back().capture;
    if (capture_dpi > 0) channel.passes.back().capture.dpi = Dpi{capture_dpi};
    channel.passes.back().capture.motion_px = motion_px;
    channel.passes.back().capture.sharpen = sharpen;
    channel.passes.back().capture.glare = glare;
    channel.passes.back().capture.glare_size = glare_size;
    channel.passes.back().capture.shadow = shadow;
    channel.passes.back().capture.shadow_edge_mm = shadow_edge;
    channel.passes.back().capture.denoise = denoise;
    if (perspective >= 0) channel.passes.back().capture.perspective = perspective;
    if (tilt > 0) channel.passes.back().capture.tilt_deg = tilt;
    Stats st;
    for (int i = 0; i < n; ++i) {
      if (!indices.empty() && std::find(indices.begin(), indices.end(), i) == indices.end()) continue;
      const long idx = index_of(s, i);
      const Record rec = make_record(idx, def.id == "E-exp");
      const Card genuine = compose(env, rec, env.issuer, env.astronaut, env.print_dpi);
      Physical card = render(env, genuine);
      if (def.id == "A" || def.id == "F") {
        Record altered = rec;
        altered.set("surname", "Forgeron");
        altered.set("surname_latin", "FORGERON");
        if (def.id == "A") {
          card = render(env, compose(env, altered, env.rogue, env.astronaut, env.print_dpi));
        } else {
          const Physical genuine_print = card;
          const Card altered_card = compose(env, altered, env.issuer, env.astronaut, env.print_dpi);
          card = render(env, altered_card);
          paste(card.back, genuine_print.back, altered_card, Side::back,
                first_element_of_type(altered_card, Side::back, "qr"), env, card.trim);
        }
      } else if (def.id == "F-name" || def.id == "F-date" || def.id == "F-back") {
        // One element overprinted: taken from the print of the record with one value altered.
        Record altered = rec;
        Side side = Side::front;
        const char* element = "surname";
        if (def.id == "F-name") {
          altered.set("surname", "Forgeron");
          altered.set("surname_latin", "FORGERON");
        } else if (def.id == "F-date") {
          const std::string expiry = *rec.get("expiry_date");
          altered.set("expiry_date", std::to_string(std::stoi(expiry.substr(0, 4)) + 2) + expiry.substr(4));
          element = "expiry";
        } else {
          const std::string docket = *rec.get("docket_number");
          altered.set("docket_number", docket.substr(0, docket.size() - 3) + pad((idx * 7 + 311) % 1000, 3));
          side = Side::back;
          element = "docket_number";
        }
        const Physical altered_print = render(env, compose(env, altered, env.issuer, env.astronaut, env.print_dpi));
        paste(side == Side::front ? card.front : card.back,
              side == Side::front ? altered_print.front : altered_print.back, genuine, side, element, env, card.trim);
      } else if (def.id == "B") {
        const Card with_other =
            compose(env, rec, env.issuer, env.same_other_face ? env.other : other_face(idx + 1), env.print_dpi);
        const Physical other = render(env, with_other);
        paste(card.front, other.front, genuine, Side::front, first_element_of_type(genuine, Side::front, "photo"), env,
              card.trim);
      } else if (def.id == "D") {
        const Card donor = compose(env, make_record(idx + 50000, false), env.issuer, env.astronaut, env.print_dpi);
        const Physical donor_print = render(env, donor);
        paste(card.back, donor_print.back, genuine, Side::back, first_element_of_type(genuine, Side::back, "qr"), env,
              card.trim);
      }
      const std::uint64_t sample_seed = seed * 1000003ULL + static_cast<std::uint64_t>(idx);
      const Presentation o = true_corners ? present_true_corners(env, checker, card, channel, sample_seed, po, co)
                                          : present(env, checker, card, channel, sample_seed);
      if (o.retake) {
        ++st.retakes;
        if (verbose)
          std::fprintf(stderr, "%s %d %s verdict=retake pattern=%.3f, front %.0f dpi, edge %.3f mm: %s\n",
                       def.id.c_str(), i, rec.get("document_number")->c_str(), o.pattern.score, o.front_dpi,
                       o.front_edge_mm, o.detail.c_str());
        continue;
      }
      ++st.n;
      st.acc_checker += o.accepted_checker();
      st.acc_pattern += o.accepted_checker() && (!o.pattern.checked || o.pattern.pass);
      st.acc_all += o.accepted();
      st.invalid += !def.attack && o.end_to_end && o.final_verdict == Verdict::invalid;
      if (o.pattern.checked) st.pattern.push_back(o.pattern.score);
      if (o.copy.checked) st.copy.push_back(o.copy.score);
      std::string why = o.why;
      if (why.empty() && o.pattern.checked && !o.pattern.pass) why = "pattern";
      if (why.empty() && o.copy.checked && !o.copy.pass) why = "copy";
      if (!why.empty() && (def.attack || !o.accepted())) ++st.why[why];
      if (verbose) {
        char where[160] = "";
        if (o.front_off_px >= 0)
          std::snprintf(where, sizeof where, " front corners %.1f px off%s, %.0f dpi, edge %.3f mm, keystone %.2f",
                        o.front_off_px, o.front_turned ? " (turned)" : "", o.front_dpi, o.front_edge_mm,
                        o.front_keystone);
        if (o.back_off_px >= 0) {
          const std::size_t used = std::strlen(where);
          std::snprintf(where + used, sizeof where - used, ", back %.1f px off", o.back_off_px);
        }
        // `verdict` leaves pattern and copy out; `final` is the report's, end to end.
        std::fprintf(stderr,
                     "%s %d %s verdict=%s final=%s pattern=%.3f copy=%.3f mrz=%.3f text=%.3f photo=%.0f%s %s %s\n",
                     def.id.c_str(), i, rec.get("document_number")->c_str(), to_string(o.verdict),
                     o.end_to_end ? to_string(o.final_verdict) : "-", o.pattern.score, o.copy.score, o.mrz, o.text,
                     o.photo, where, why.c_str(), o.detail.c_str());
      }
    }
    const int errors = def.attack ? st.acc_all : st.n - st.acc_all;
    const double rate = st.n ? 100.0 * errors / st.n : 0.0;
    const std::string target = def.target < 0 ? "none" : "≤ " + std::to_string(static_cast<int>(def.target)) + " %";
    const char* met = def.target < 0 ? "—" : rate <= def.target ? "yes" : "**no**";
    // A genuine card rejected as `suspicious` asks for another look; as `invalid`, it is called forged.
    std::string metric = std::string(def.attack ? "APCER " : "BPCER ") + pct(errors, st.n);
    if (!def.attack && !true_corners && errors > 0)
      metric += " (" + std::to_string(errors - st.invalid) + " suspicious, " + std::to_string(st.invalid) + " invalid)";
    if (def.target >= 0 && rate > def.target) ++missed;
    std::printf("| %s | %s | %s | %d of %d (%s) | %d | %s | %s | %s | %s | %s | %s | %s | %s |\n", def.id.c_str(),
                def.what.c_str(), def.channel.c_str(), st.retakes, st.n + st.retakes,
                pct(st.retakes, st.n + st.retakes).c_str(), st.n, pct(st.acc_checker, st.n).c_str(),
                pct(st.acc_pattern, st.n).c_str(), pct(st.acc_all, st.n).c_str(), metric.c_str(), target.c_str(), met,
                range(st.pattern).c_str(), range(st.copy).c_str());
    std::string causes;
    for (const auto& [k, v] : st.why) causes += " " + k + "×" + std::to_string(v);
    if (!causes.empty()) std::fprintf(stderr, "%s rejections by first cause:%s\n", def.id.c_str(), causes.c_str());
    std::fflush(stdout);
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf(
      "\n%d cards per set, template '%s', %s, printer %d dpi, forensics at %d dpi, thresholds pattern %.2f copy %.2f, "
      "copy judged "
      "from "
      "%d dpi and up to %.3f mm of edge spread (under it down to %.2f), borderline %.2f, last capture %s at %s dpi, "
      "motion blur %g px, "
      "sharpening "
      "%g, glare %g (size %g), shadow %g (edge %g mm), noise reduction %g, tilt %g°, retakes %d, seed %llu, "
      "%.0f s\n",
      n, env.tmpl.name().c_str(),
      true_corners ? "true corners, check_image + forensics" : "Checker::check_card end to end", print_dpi, work_dpi,
      pattern_threshold, copy_threshold, min_copy_dpi, max_copy_edge, copy_floor, copy_borderline,
      last_capture.empty() ? "the channel's" : ("as " + last_capture + "'s").c_str(),
      capture_dpi > 0 ? std::to_string(capture_dpi).c_str() : "the channel's", motion_px, sharpen, glare, glare_size,
      shadow, shadow_edge, denoise, tilt, retakes, static_cast<unsigned long long>(seed), secs);
  return check_targets && missed > 0 ? 1 : 0;
}
