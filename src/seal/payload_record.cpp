#include <sdc/mrz.hpp>
#include <sdc/seal.hpp>

namespace sdc {

namespace {

std::string mrz_form(const Record& record, const char* latin_field, const std::string& printed) {
  const auto latin = record.get(latin_field);
  auto t = mrz_transliterate(latin && !latin->empty() ? *latin : printed, MrzTransliteration::expand);
  return t ? *t : std::string();
}

}  // namespace

SealPayload seal_payload_from_record(const Record& record, std::string issuer_code, std::string pattern_id,
                                     std::string_view template_content_id) {
  auto field = [&record](const char* name) { return record.get(name).value_or(""); };
  SealPayload p;
  p.issuer = std::move(issuer_code);
  // Compactness (the seal must fit a version-12 QR code): the office as its short code if any.
  p.office = record.get("issuing_office_code").value_or(field("issuing_office"));
  if (p.office.empty()) p.office = field("issuing_office");
  p.document_number = field("document_number");
  p.registration_number = field("registration_number");
  p.docket_number = field("docket_number");
  p.surname = field("surname");
  p.given_names = field("given_names");
  p.surname_latin = mrz_form(record, "surname_latin", p.surname);
  p.given_names_latin = mrz_form(record, "given_names_latin", p.given_names);
  p.date_of_birth = field("date_of_birth");
  p.sex = field("sex");
  p.nationality = field("nationality");
  p.issue_date = field("issue_date");
  p.expiry_date = field("expiry_date");
  p.card_variant = field("card_variant");
  p.pattern_id = std::move(pattern_id);
  p.template_id = std::string(template_content_id.substr(0, 8));
  return p;
}

}  // namespace sdc
