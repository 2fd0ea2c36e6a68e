/// @file sdc.hpp
/// sdc: secure identity cards, composed, security-printed, sealed, exported and checked.
///
/// Concepts that apply across the API are explained once here.
///
/// - **Units.** Lengths are `sdc::Mm` (millimetres) or `sdc::Pt`; pixels are `sdc::Px`; turning one
///   into the other needs a `sdc::Dpi`. See units.hpp for the rounding rule.
/// - **Errors.** Fallible functions return `sdc::Result<T>`: a value or an `sdc::Error` that says
///   what went wrong, where (file, JSON path, record, field, element) and what to do. Nothing
///   throws for bad input. See error.hpp.
/// - **Threads.** Value types (`Template`, `Record`, `Card`, `Image`) are immutable once built and
///   may be shared between threads. Heavy objects (`FontSet`, `Renderer`) are immutable after
///   construction; their `const` methods are safe to call from many threads at once. sdc has no
///   global mutable state.
/// - **Determinism.** The same template, record, photo, keys and seed give byte-identical output.
///   ECDSA (ES256) signatures from OpenSSL 3.0 are randomised: with ES256 keys everything but the
///   signature bytes (and the QR code that carries them) is byte-identical; with Ed25519 keys the
///   whole card is.
#pragma once

#include <sdc/batch.hpp>
#include <sdc/color.hpp>
#include <sdc/compose.hpp>
#include <sdc/display.hpp>
#include <sdc/error.hpp>
#include <sdc/export.hpp>
#include <sdc/guilloche.hpp>
#include <sdc/image.hpp>
#include <sdc/lint.hpp>
#include <sdc/microtext.hpp>
#include <sdc/mrz.hpp>
#include <sdc/photo.hpp>
#include <sdc/pipeline.hpp>
#include <sdc/pkcs11.hpp>
#include <sdc/planes.hpp>
#include <sdc/qr.hpp>
#include <sdc/record.hpp>
#include <sdc/render.hpp>
#include <sdc/resources.hpp>
#include <sdc/seal.hpp>
#include <sdc/simulate.hpp>
#include <sdc/template.hpp>
#include <sdc/text.hpp>
#include <sdc/units.hpp>
#include <sdc/verify.hpp>
