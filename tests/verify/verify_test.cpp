// The Checker: findings, verdicts and the JSON report, for sdc seals, foreign COSE payloads (EU
// DCC test data), card images with and without a bound photo, hostile text, and the --at parser.
#include "seal/seal_detail.hpp"
#include "seal/seal_support.hpp"
#include "verify/checker_detail.hpp"

#include <sdc/qr.hpp>
#include <sdc/verify.hpp>

#include <thread>

namespace sdc::test {
namespace {

const std::int64_t kNow = utc(2026, 12, 1);

Checker make_checker(const TrustStore& trust, CheckerOptions o = {}) {
  if (!o.check_time) o.check_time = kNow;
  auto c = Checker::create(trust, o);
  if (!c) throw std::runtime_error(c.error().to_string());
  return *c;
}

std::string seal_of(const TestKey& key, const SealPayload& p) {
  auto s = make_seal(p, *key.signer);
  if (!s) throw std::runtime_error(s.error().to_string());
  return *s;
}

// A gray image holding the QR code of `text`, 4 px per module, with a quiet zone and a margin.
Image qr_image(const std::string& text) {
  auto m = encode_qr(text);
  if (!m) throw std::runtime_error(m.error().to_string());
  const int px = 4, margin = 40;
  const int side = m->size * px + 2 * margin;
  Image img(side, side, PixelFormat::gray8);
  std::fill(img.data(), img.data() + static_cast<std::ptrdiff_t>(side) * side, std::uint8_t{255});
  for (int y = 0; y < m->size * px; ++y)
    for (int x = 0; x < m->size * px; ++x)
      if (m->at(x / px, y / px)) img.data()[static_cast<std::ptrdiff_t>(y + margin) * side + x + margin] = 0;
  return img;
}

Image portrait() {
  auto img = load_image(std::filesystem::path(SDC_SOURCE_DIR) / "assets/records/photos/astronaut.png");
  if (!img) throw std::runtime_error(img.error().to_string());
  return std::move(*img);
}

// Not a face: diagonal stripes.
Image stripes() {
  Image img(128, 160, PixelFormat::gray8);
  for (int y = 0; y < 160; ++y)
    for (int x = 0; x < 128; ++x)
      img.data()[y * 128 + x] = static_cast<std::uint8_t>(((x + 2 * y) / 16) % 2 ? 230 : 20);
  return img;
}

Outcome outcome(const Report& r, std::string_view check, int seal = 0) {
  const Finding* f = r.find(check, seal);
  if (!f) throw std::runtime_error("no finding " + std::string(check));
  return f->outcome;
}

TEST(Checker, AGoodSealIsGenuineWithEveryCheckPassing) {
  TestKey key(SignatureAlg::ed25519);
  const auto r = make_checker(key.trust).check_seal(seal_of(key, specimen_payload()));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->verdict, Verdict::genuine) << r->summary;
  EXPECT_TRUE(r->valid());
  EXPECT_EQ(r->checked_at, kNow);
  for (const char* c : {"seal_format", "seal_signature", "certificate", "seal_payload", "revocation", "expiry"})
    EXPECT_EQ(outcome(*r, c), Outcome::pass) << c;
  EXPECT_EQ(r->find("photo"), nullptr) << "a seal text has no portrait to compare";
  ASSERT_EQ(r->seals.size(), 1u);
  EXPECT_EQ(r->seals[0].verification.payload->document_number, "XA0000417");
  EXPECT_NE(r->summary.find("sdc test signer"), std::string::npos) << r->summary;

  const auto j = nlohmann::json::parse(to_json(*r));
  EXPECT_TRUE(j["valid"].get<bool>());
  EXPECT_EQ(j["reason"], "valid");
  EXPECT_EQ(j["verdict"], "genuine");
  EXPECT_EQ(j["alg"], "EdDSA");
  EXPECT_EQ(j["payload"]["surname"], "Specimen-Example");
  EXPECT_EQ(j["findings"].size(), 6u);
  EXPECT_EQ(j["findings"][1]["check"], "seal_signature");
  EXPECT_EQ(j["findings"][1]["outcome"], "pass");
  EXPECT_EQ(j["checked_at"], kNow);
}

TEST(Checker, EachFailureIsItsOwnFindingAndTheLaterChecksAreNotChecked) {
  TestKey key(SignatureAlg::es256);
  const std::string text = seal_of(key, specimen_payload());
  const Checker checker = make_checker(key.trust);

  std::string changed = text;
  changed[text.size() / 2] = changed[text.size() / 2] == 'A' ? 'B' : 'A';
  auto r = checker.check_seal(changed);
  ASSERT_TRUE(r);
  EXPECT_NE(r->verdict, Verdict::genuine);

  r = checker.check_seal("HC1:" + text.substr(5));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->verdict, Verdict::unreadable);
  EXPECT_EQ(outcome(*r, "seal_format"), Outcome::fail);
  EXPECT_EQ(r->find("seal_format")->code, "bad_prefix");
  EXPECT_EQ(outcome(*r, "seal_signature"), Outcome::not_checked);

  CheckerOptions late;
  late.check_time = utc(2027, 11, 2);
  r = make_checker(key.trust, late).check_seal(text);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->verdict, Verdict::invalid);
  EXPECT_EQ(outcome(*r, "seal_signature"), Outcome::pass);
  EXPECT_EQ(outcome(*r, "expiry"), Outcome::fail);
  EXPECT_EQ(r->find("expiry")->code, "expired");

  TrustStore revoking = key.trust;
  revoking.revoke_kid(key.generated.kid);
  r = make_checker(revoking).check_seal(text);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->verdict, Verdict::invalid);
  EXPECT_EQ(outcome(*r, "revocation"), Outcome::fail);
  EXPECT_EQ(outcome(*r, "seal_payload"), Outcome::not_checked);

  TestKey other(SignatureAlg::es256);
  r = make_checker(other.trust).check_seal(text);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->verdict, Verdict::invalid);
  EXPECT_EQ(r->find("seal_signature")->code, "unknown_kid");
}

// EU DCC test data: a correctly signed foreign COSE payload read as an sdc card shows that the
// signature is valid and the payload is not an sdc card, decoded as generic CBOR.
TEST(Checker, ASignedDccIsNotAnSdcCardButItsSignatureIsShownValid) {
  const auto j = read_json(data_dir() / "dcc" / "dcc_cases.json");
  int checked = 0;
  for (const auto& c : j.at("cases")) {
    if (c.value("file", "") != "AT/2DCode/raw/1.json") continue;
    TrustStore trust;
    ASSERT_TRUE(trust.add_certificate(b64url(c.at("CERTIFICATE").get<std::string>())));
    CheckerOptions o;
    o.prefix = "HC1:";
    o.check_time = utc(2021, 5, 6) + 18 * 3600;
    const auto r = make_checker(trust, o).check_seal(c.at("PREFIX").get<std::string>());
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_EQ(r->verdict, Verdict::invalid);
    EXPECT_EQ(outcome(*r, "seal_format"), Outcome::pass);
    EXPECT_EQ(outcome(*r, "seal_signature"), Outcome::pass);
    EXPECT_EQ(outcome(*r, "certificate"), Outcome::pass);
    EXPECT_EQ(outcome(*r, "seal_payload"), Outcome::fail);
    EXPECT_EQ(r->find("seal_payload")->code, "not_sdc_card");
    EXPECT_NE(r->summary.find("not an sdc card"), std::string::npos) << r->summary;
    EXPECT_EQ(r->seals[0].verification.reason, SealReason::malformed_payload);
    EXPECT_NE(r->seals[0].verification.message.find("signature is valid"), std::string::npos);
    ASSERT_TRUE(r->seals[0].decoded_payload);
    EXPECT_EQ(r->seals[0].decoded_payload->kind, CborValue::Kind::map);

    const auto js = nlohmann::json::parse(to_json(*r));
    EXPECT_EQ(js["reason"], "malformed_payload");
    EXPECT_EQ(js["verdict"], "invalid");
    EXPECT_EQ(js["decoded_payload"]["1"], "AT") << js.dump();          // CWT iss
    EXPECT_TRUE(js["decoded_payload"].contains("-260")) << js.dump();  // hcert
    EXPECT_TRUE(js["decoded_payload"]["-260"]["1"].contains("nam")) << js.dump();

    // Read as what it is (CWT claims), the same code is genuine.
    o.payload_format = PayloadFormat::cwt;
    const auto cwt = make_checker(trust, o).check_seal(c.at("PREFIX").get<std::string>());
    ASSERT_TRUE(cwt);
    EXPECT_EQ(cwt->verdict, Verdict::genuine) << cwt->summary;
    EXPECT_EQ(outcome(*cwt, "expiry"), Outcome::pass);
    ++checked;
  }
  EXPECT_EQ(checked, 1);
}

TEST(Checker, CardImageWithTheRightPortraitIsGenuine) {
  TestKey key(SignatureAlg::ed25519);
  const Image face = portrait();
  SealPayload p = specimen_payload();
  p.photo_hash = *photo_hash(face.view());
  const Image card = qr_image(seal_of(key, p));
  const Checker checker = make_checker(key.trust);

  auto r = checker.check_image(card.view(), face.view(), "card.png");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->verdict, Verdict::genuine) << r->summary;
  EXPECT_EQ(r->codes_found, 1);
  EXPECT_EQ(outcome(*r, "qr", -1), Outcome::pass);
  EXPECT_EQ(outcome(*r, "photo"), Outcome::pass);
  EXPECT_EQ(r->find("photo")->score, 0.0);
  EXPECT_EQ(r->find("photo")->threshold, double{photo_hash_threshold});

  // Another picture: a mismatch, with its distance and the threshold.
  const Image other = stripes();
  r = checker.check_image(card.view(), other.view(), "card.png");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->verdict, Verdict::invalid);
  EXPECT_EQ(r->find("photo")->code, "mismatch");
  EXPECT_GT(*r->find("photo")->score, photo_hash_threshold);
  const auto j = nlohmann::json::parse(to_json(*r));
  EXPECT_FALSE(j["valid"].get<bool>());
  EXPECT_FALSE(j["seals"][0]["photo_matches"].get<bool>());
  EXPECT_TRUE(j["seals"][0]["valid"].get<bool>()) << "the seal itself is valid";

  // An image without a code is unreadable.
  r = checker.check_image(other.view());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->verdict, Verdict::unreadable);
  EXPECT_EQ(r->find("qr", -1)->code, "no_code");
  EXPECT_EQ(nlohmann::json::parse(to_json(*r))["message"], "no QR code found in the image");
}

TEST(Checker, ASealThatBindsNoPhotoIsNeverGenuineOnACard) {
  TestKey key(SignatureAlg::ed25519);
  SealPayload p = specimen_payload();
  p.photo_hash.clear();
  const Image card = qr_image(seal_of(key, p));
  const Checker checker = make_checker(key.trust);
  const Image face = portrait();
  // Any face "passed" before: now the photo finding fails as not bound.
  auto r = checker.check_image(card.view(), face.view());
  ASSERT_TRUE(r);
  EXPECT_EQ(outcome(*r, "photo"), Outcome::fail);
  EXPECT_EQ(r->find("photo")->code, "not_bound");
  EXPECT_EQ(r->verdict, Verdict::invalid);
  // Without a portrait it is a warning: suspicious, still not genuine.
  r = checker.check_image(card.view());
  ASSERT_TRUE(r);
  EXPECT_EQ(outcome(*r, "photo"), Outcome::warn);
  EXPECT_EQ(r->verdict, Verdict::suspicious);
}

TEST(Checker, InvalidUtf8AndLongInputGiveValidJson) {
  TestKey key(SignatureAlg::ed25519);
  const Checker checker = make_checker(key.trust);
  const auto r = checker.check_seal(
      "SD\x87"
      "1:RRQT");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->verdict, Verdict::unreadable);
  const std::string json = to_json(*r);
  nlohmann::json j;
  ASSERT_NO_THROW(j = nlohmann::json::parse(json)) << json;
  EXPECT_EQ(j["reason"], "bad_prefix");
  EXPECT_NE(j["message"].get<std::string>().find("\xEF\xBF\xBD"), std::string::npos) << "U+FFFD replaces the bad byte";

  // A non-UTF-8 image name, and one far too long: still JSON, the name cut.
  const Image blank = stripes();
  const std::string name = "card-\xff\xfe-" + std::string(5000, 'x') + ".png";
  const auto img = checker.check_image(blank.view(), {}, name);
  ASSERT_TRUE(img);
  ASSERT_NO_THROW(j = nlohmann::json::parse(to_json(*img)));
  EXPECT_LT(j["image"].get<std::string>().size(), 1100u);
}

TEST(Checker, FindingsAndVerdictsFollowTheDocumentedRules) {
  auto f = [](const char* check, Outcome o) {
    Finding x;
    x.check = check;
    x.outcome = o;
    return x;
  };
  using detail::verdict_of;
  EXPECT_EQ(verdict_of({f("qr", Outcome::fail)}), Verdict::unreadable);
  EXPECT_EQ(verdict_of({f("seal_format", Outcome::pass), f("seal_signature", Outcome::pass)}), Verdict::genuine);
  EXPECT_EQ(verdict_of({f("seal_format", Outcome::pass), f("expiry", Outcome::not_checked)}), Verdict::genuine);
  EXPECT_EQ(verdict_of({f("seal_format", Outcome::pass), f("photo", Outcome::warn)}), Verdict::suspicious);
  EXPECT_EQ(verdict_of({f("seal_format", Outcome::pass), f("seal_format", Outcome::fail)}), Verdict::suspicious);
  EXPECT_EQ(verdict_of({f("seal_format", Outcome::fail), f("photo", Outcome::fail)}), Verdict::invalid);
}

TEST(Checker, ExceptionsBecomeErrorsNeverVerdicts) {
  auto oom = detail::error_from_exception(std::make_exception_ptr(std::bad_alloc()), "checking");
  EXPECT_EQ(oom.code(), Errc::limit_exceeded);
  auto bug = detail::error_from_exception(std::make_exception_ptr(std::logic_error("boom")), "checking");
  EXPECT_EQ(bug.code(), Errc::internal);
  EXPECT_NE(bug.message().find("boom"), std::string::npos);
  EXPECT_EQ(detail::error_from_exception(std::make_exception_ptr(42), "checking").code(), Errc::internal);

  auto [r1, m1] = detail::seal_failure_from_exception(std::make_exception_ptr(std::bad_alloc()));
  EXPECT_EQ(r1, SealReason::out_of_memory);
  auto [r2, m2] = detail::seal_failure_from_exception(std::make_exception_ptr(std::runtime_error("libX failed")));
  EXPECT_EQ(r2, SealReason::internal_error);
  EXPECT_NE(m2.find("libX failed"), std::string::npos);

  // A verification that could not finish is an error of the Checker, not a report.
  SealVerification v;
  v.reason = SealReason::internal_error;
  EXPECT_EQ(detail::error_from_verification(v)->code(), Errc::internal);
  v.reason = SealReason::out_of_memory;
  EXPECT_EQ(detail::error_from_verification(v)->code(), Errc::limit_exceeded);
  v.reason = SealReason::bad_signature;
  EXPECT_FALSE(detail::error_from_verification(v));
}

TEST(Checker, RefusesBadOptionsAndIsSharedBetweenThreads) {
  TestKey key(SignatureAlg::ed25519);
  CheckerOptions o;
  o.photo_threshold = 65;
  EXPECT_EQ(Checker::create(key.trust, o).error().code(), Errc::invalid_argument);
  const Checker checker = make_checker(key.trust);
  const std::string text = seal_of(key, specimen_payload());
  std::vector<Verdict> got(4, Verdict::unreadable);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < got.size(); ++i)
    threads.emplace_back([&, i] { got[i] = checker.check_seal(text)->verdict; });
  for (auto& t : threads) t.join();
  for (auto v : got) EXPECT_EQ(v, Verdict::genuine);
}

TEST(DecodeCbor, GenericItemsKeepTheirKinds) {
  // {1: [-2, h'01ff', "t"], "k": 1(1000), 2: true, 3: null, 4: 1.5, 5: 18446744073709551615}
  const auto v = decode_cbor(unhex("a60183214201ff6174616bc11903e802f503f604f93e00051bffffffffffffffff"));
  ASSERT_TRUE(v) << v.error().to_string();
  ASSERT_EQ(v->kind, CborValue::Kind::map);
  ASSERT_EQ(v->items.size(), 12u);
  EXPECT_EQ(v->items[1].items[0].integer, -2);
  EXPECT_EQ(v->items[1].items[1].bytes, (std::vector<std::uint8_t>{0x01, 0xff}));
  EXPECT_EQ(v->items[3].kind, CborValue::Kind::tag);
  EXPECT_EQ(v->items[3].items[0].integer, 1000);
  EXPECT_EQ(v->items[9].number, 1.5);
  EXPECT_EQ(v->items[11].text, "18446744073709551615");
  EXPECT_FALSE(decode_cbor(unhex("9bffffffffffffffff00")));  // an array claiming 2^64 items
  EXPECT_FALSE(decode_cbor({}));
}

TEST(ParseTime, StrictFormsAndClearErrors) {
  EXPECT_EQ(*parse_time("1793577600"), 1793577600);
  EXPECT_EQ(*parse_time("2026-11-02"), utc(2026, 11, 2));
  EXPECT_EQ(*parse_time("2026-11-02T10:20:30Z"), utc(2026, 11, 2) + 10 * 3600 + 20 * 60 + 30);
  EXPECT_EQ(*parse_time("2028-02-29"), utc(2028, 2, 29));
  for (const char* bad : {"2027-02-30", "2027-13-01", "2026-11-02T24:00:00Z", "2026-11-02T10:60:00Z", "2026-11-2", "",
                          "yesterday", "-5", "2026-11-02 10:20:30", "99999999999999999999", "253402300800"}) {
    const auto t = parse_time(bad);
    ASSERT_FALSE(t) << bad;
    EXPECT_EQ(t.error().code(), Errc::invalid_argument) << bad;
    EXPECT_NE(t.error().hint().find("YYYY-MM-DD"), std::string::npos) << bad;
  }
  EXPECT_NE(parse_time("99999999999999999999").error().message().find("too large"), std::string::npos);
}

TEST(TrustStoreLoad, FolderJsonAndClearErrorsForLinks) {
  TestKey key(SignatureAlg::ed25519);
  const auto& dir = key.dir.path;  // key.pem and cert.pem
  auto t = TrustStore::load(dir);
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_EQ(t->size(), 1u);

  TempDir loop;
  std::filesystem::copy_file(dir / "cert.pem", loop.path / "cert.pem");
  std::filesystem::create_symlink(loop.path / "a.pem", loop.path / "b.pem");
  std::filesystem::create_symlink(loop.path / "b.pem", loop.path / "a.pem");
  t = TrustStore::load(loop.path);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), Errc::io);
  EXPECT_NE(t.error().message().find("loop"), std::string::npos) << t.error().to_string();
  EXPECT_NE(t.error().where().file.find("a.pem"), std::string::npos) << t.error().to_string();

  // A loop under a name that is not a certificate's is refused too (load_dir would throw on it).
  TempDir loop2;
  std::filesystem::copy_file(dir / "cert.pem", loop2.path / "cert.pem");
  std::filesystem::create_symlink(loop2.path / "x", loop2.path / "y");
  std::filesystem::create_symlink(loop2.path / "y", loop2.path / "x");
  t = TrustStore::load(loop2.path);
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message().find("loop"), std::string::npos) << t.error().to_string();

  t = TrustStore::load(dir / "missing");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), Errc::io);
}

}  // namespace
}  // namespace sdc::test
