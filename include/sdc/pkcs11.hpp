/// @file pkcs11.hpp
/// Seals signed with a key that never leaves a PKCS#11 token (a hardware security module, a smart
/// card, or SoftHSM2 for tests). The key is named by a `pkcs11:` URI (RFC 7512); `load_signer()`
/// hands such a "key path" here, so every command and profile that takes a key file also takes a
/// URI (docs/keys.md has the key ceremony and an example against SoftHSM2).
///
/// **URI attributes used.** Token: `token=` (label), `manufacturer=`, `model=`, `serial=`,
/// `slot-id=`. Key: `object=` (CKA_LABEL) and/or `id=` (CKA_ID, percent-encoded bytes); `type=` may
/// only be `private`. Exactly one private key on one token must match. Module: `module-path=` (the
/// module's file, e.g. /usr/lib/softhsm/libsofthsm2.so), else `module-name=` (a module registered
/// with p11-kit), else every module registered with p11-kit is searched. PIN: the `pin` argument
/// when not empty, else `pin-source=` (a file whose first line is the PIN; "file:" prefix optional),
/// else `pin-value=`. Prefer pin-source: a URI with pin-value ends up in shell histories and
/// process lists. Unknown attributes are refused, so that a typo cannot select another key.
///
/// **Algorithms.** A P-256 EC key signs ES256 (CKM_ECDSA over the SHA-256 digest, computed by
/// sdc; the token returns r || s, which is COSE's form). An Ed25519 key (CKK_EC_EDWARDS, as in
/// SoftHSM 2.6) signs EdDSA (CKM_EDDSA, pure Ed25519). Other keys are refused.
///
/// **Secrets.** The PIN is never part of a message, and errors quote the URI with its pin-value
/// removed. sdc's copies of the PIN are wiped (OPENSSL_cleanse) as soon as the login is done; the
/// signer does not keep it (a token that loses the login, e.g. when unplugged, needs a new signer).
#pragma once

#include <sdc/api.hpp>
#include <sdc/error.hpp>
#include <sdc/seal.hpp>

#include <filesystem>
#include <memory>
#include <string_view>

namespace sdc {

/// True when `key` is a PKCS#11 URI: it starts with "pkcs11:" (the scheme in any case).
SDC_EXPORT bool is_pkcs11_uri(std::string_view key) noexcept;

/// Opens the token the URI names, logs in, finds its one private key and returns a Signer that
/// signs with it inside the token.
///
/// `cert`: the signer certificate, a PEM or DER file; or empty, or a `pkcs11:` URI, to read it from
/// the token: the certificate object with the URI's `id=`/`object=` (for an empty `cert`, those of
/// the key). At load the key signs a fixed test message that must verify with the certificate's
/// public key, so a key and certificate that do not belong together are refused here, as
/// load_signer() refuses them, and not later by every checker.
///
/// Threads: the signer holds one session; `sign()` may be called from many threads and takes a
/// mutex around each C_SignInit/C_Sign pair (PKCS#11 allows one operation per session at a time),
/// so signatures are serialised and run at the token's speed. The module stays loaded (and
/// initialised, through p11-kit, which counts other users in the same process) while the signer
/// lives.
///
/// Errors: Errc::invalid_argument for a URI that does not parse or has an unknown attribute;
/// Errc::io when the module cannot be loaded or initialised, or the pin-source file cannot be read;
/// Errc::bad_key when no token or no key (or several) match, the login fails, the key is not P-256
/// or Ed25519, needs a PIN per signature (CKA_ALWAYS_AUTHENTICATE), or does not belong to the
/// certificate; the certificate errors of load_signer().
SDC_EXPORT Result<std::shared_ptr<const Signer>> load_pkcs11_signer(std::string_view uri,
                                                                    const std::filesystem::path& cert = {},
                                                                    std::string_view pin = {});

}  // namespace sdc
