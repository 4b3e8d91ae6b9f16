// su3: I2P's signed container for router updates, plugins, news and reseed bundles
// (updates.rst, "SU3 File Specification"). parse_su3 only checks the layout; verify_su3 checks
// the signature against a certificate the caller trusts for the signer id.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "router/base/bytes.h"

namespace umbra::reseed {

// Byte 25 of the header.
enum class Su3FileType : std::uint8_t {
    zip = 0,
    xml = 1,
    html = 2,
    xml_gz = 3,
    txt_gz = 4,
    dmg = 5,
    exe = 6,
};

// Byte 27 of the header: the trust domain the signer must belong to.
enum class Su3ContentType : std::uint8_t {
    unknown = 0,
    router_update = 1,
    plugin = 2,
    reseed = 3,
    news = 4,
    blocklist = 5,
};

// Whole files above this are refused before any field is read. Real reseed bundles are well
// under 1 MiB; router updates are larger but are not read by this module.
inline constexpr std::size_t su3_max_size = 16 * 1024 * 1024;

// A parsed su3 file. The spans point into the buffer given to parse_su3, which must outlive it.
struct Su3File {
    std::uint16_t sig_type = 0; // crypto::SigType code
    Su3FileType file_type = Su3FileType::zip;
    Su3ContentType content_type = Su3ContentType::unknown;
    std::string version;   // trailing 0x00 padding removed
    std::string signer_id; // e.g. "someone@mail.i2p"
    Bytes content;
    Bytes signed_part; // bytes 0 up to the signature: what the signature covers
    Bytes signature;
};

// Errc::too_large above su3_max_size; Errc::bad_encoding for a wrong magic; Errc::unsupported for
// a format version other than 0 or an unknown signature type; Errc::invalid_value for a
// signature length that does not match the type, a version shorter than 16 bytes, an empty
// signer id, or an unknown file or content type; Errc::truncated / Errc::trailing_data unless
// the lengths add up to exactly the input size.
Result<Su3File> parse_su3(Bytes file);

// Signer id -> PEM X.509 certificate, for one content type (the trust domain).
using CertMap = std::map<std::string, std::string, std::less<>>;

// Errc::bad_signature if the signer is not in certs or the signature does not verify with its
// certificate; Errc::unsupported for signature types that cannot be checked with a certificate
// here (DSA, ECDSA, Ed25519ph: crypto/verify.h only takes RSA keys from certificates).
Result<void> verify_su3(const Su3File& su3, const CertMap& certs);

} // namespace umbra::reseed
