// sdc mrz: the ICAO 9303 TD1 machine-readable zone of a record, as three lines; or, with --image,
// the zone read from an image and which of its check digits hold.
#include <sdc/image.hpp>
#include <sdc/mrz.hpp>
#include <sdc/record.hpp>
#include <sdc/verify.hpp>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"

namespace sdc::cli {
namespace {

struct MrzArgs {
  std::string record, state = "XXA", code = "I", transliteration = "expand", optional_1, optional_2;
  long index = 1;
  std::string image;
  bool json = false;
};

int make_zone(const MrzArgs& a) {
  const std::string cmd = "mrz";
  auto rec = load_record_at(a.record, a.index);
  if (!rec) return fail(cmd, rec.error());
  const MrzOptions opt{a.transliteration == "base" ? MrzTransliteration::base : MrzTransliteration::expand};
  auto data = mrz_data_from_record(*rec, a.state, a.code, opt);
  if (!data) return fail(cmd, data.error());
  data->optional_1 = a.optional_1;
  data->optional_2 = a.optional_2;
  auto lines = make_td1(*data, opt);
  if (!lines) {
    Error e = std::move(lines).error();
    return fail(cmd, e.at_record(a.index - 1).in_file(a.record));
  }
  for (const auto& l : *lines) std::printf("%s\n", l.c_str());
  return ok;
}

nlohmann::ordered_json to_json(const MrzReading& r) {
  nlohmann::ordered_json j;
  j["format"] = to_string(r.format);
  j["lines"] = r.lines;
  j["all_checks_ok"] = r.all_checks_ok();
  auto& checks = j["checks"] = nlohmann::ordered_json::array();
  for (const auto& c : r.checks)
    checks.push_back({{"field", c.field},
                      {"line", c.line + 1},
                      {"column", c.column + 1},
                      {"printed", std::string(1, c.printed)},
                      {"expected", c.expected},
                      {"ok", c.ok}});
  const auto& f = r.fields;
  j["fields"] = {{"document_code", f.document_code},
                 {"issuing_state", f.issuing_state},
                 {"document_number", f.document_number},
                 {"date_of_birth", f.date_of_birth},
                 {"sex", std::string(1, f.sex)},
                 {"date_of_expiry", f.date_of_expiry},
                 {"nationality", f.nationality},
                 {"primary_identifier", f.primary_identifier},
                 {"secondary_identifier", f.secondary_identifier},
                 {"optional_1", f.optional_1},
                 {"optional_2", f.optional_2}};
  auto& corr = j["corrections"] = nlohmann::ordered_json::array();
  for (const auto& c : r.corrections)
    corr.push_back({{"line", c.line + 1},
                    {"column", c.column + 1},
                    {"from", std::string(1, c.from)},
                    {"to", std::string(1, c.to)},
                    {"reason", c.reason}});
  j["min_confidence"] = r.min_confidence();
  auto& corners = j["corners"] = nlohmann::ordered_json::array();
  for (const auto& p : r.location.corners) corners.push_back({p[0], p[1]});
  j["angle_deg"] = r.location.angle_deg;
  j["char_height_px"] = r.location.char_height_px;
  return j;
}

int read_zone(const MrzArgs& a) {
  const std::string cmd = "mrz";
  auto img = load_image(a.image);
  if (!img) return fail(cmd, img.error());
  MrzReadOptions opt;
  opt.ocrb_font = resources().font("OCRB.otf");
  auto reader = MrzReader::create(opt);
  if (!reader) return fail(cmd, reader.error());
  auto r = read_document_mrz(img->view(), *reader);
  if (!r) {
    Error e = std::move(r).error();
    return fail(cmd, e.in_file(a.image));
  }
  if (a.json) {
    std::cout << to_json(*r).dump(2) << "\n";
  } else {
    std::printf("%s\n", to_string(r->format));
    for (const auto& l : r->lines) std::printf("%s\n", l.c_str());
    for (const auto& c : r->checks)
      std::printf("%-16s line %d column %2d: printed %c, computed %d: %s\n", c.field.c_str(), c.line + 1, c.column + 1,
                  c.printed, c.expected, c.ok ? "ok" : "FAILS");
    for (const auto& c : r->corrections)
      std::printf("corrected line %d column %d: %c -> %c (%s)\n", c.line + 1, c.column + 1, c.from, c.to,
                  c.reason.c_str());
  }
  return r->all_checks_ok() ? ok : check_failed;
}

const Registrar reg_mrz{
    {"mrz", [](CLI::App& app) -> std::function<int()> {
       app.description(
           "Print the ICAO 9303 TD1 machine-readable zone (3 x 30 characters) of a record, or read the zone of "
           "any ICAO 9303 document (TD1, TD2, TD3, MRV) from an image and check its check digits (--image; exit 0 "
           "when every check digit holds, 1 when some fail, 2 when no zone is found)");
       auto a = std::make_shared<MrzArgs>();
       auto* record =
           app.add_option("--record,-r", a->record, "Record file (.json, .jsonl, .csv)")->check(CLI::ExistingFile);
       auto* image = app.add_option("--image,-i", a->image, "Read the zone from this image (PNG, JPEG, TIFF)")
                         ->check(CLI::ExistingFile);
       record->excludes(image);
       image->excludes(record);
       app.add_flag("--json", a->json, "With --image: print the reading as JSON");
       app.add_option("--index", a->index, "Which record of the file (1-based)")->check(CLI::PositiveNumber);
       app.add_option("--state", a->state, "Issuing state or organisation code (default XXA)");
       app.add_option("--document-code", a->code, "Document code, 1-2 characters (default I)");
       app.add_option("--transliteration", a->transliteration, "expand (Ä -> AE, default) or base (Ä -> A)")
           ->check(CLI::IsMember({"expand", "base"}));
       app.add_option("--optional-1", a->optional_1, "Optional data (1), line 1 positions 16-30");
       app.add_option("--optional-2", a->optional_2, "Optional data (2), line 2 positions 19-29");
       return [a, record, image]() -> int {
         if (image->count() > 0) return read_zone(*a);
         if (record->count() == 0) {
           std::fprintf(stderr, "sdc mrz: error: give --record FILE (make a zone) or --image IMG (read one)\n");
           return bad_input;
         }
         return make_zone(*a);
       };
     }}};

}  // namespace
}  // namespace sdc::cli
