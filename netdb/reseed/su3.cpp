#include "netdb/reseed/su3.h"

#include <algorithm>
#include <optional>

#include "crypto/signature.h"
#include "crypto/verify.h"

namespace umbra::reseed {

namespace {

constexpr std::string_view su3_magic = "I2Psu3";
constexpr std::size_t header_size = 40; // bytes 0-39, before the version
constexpr std::size_t min_version_size = 16;

// The signature lengths of updates.rst's table (the sizes of common-structures' Signature).
std::optional<std::size_t> su3_signature_size(std::uint16_t type)
{
    switch (static_cast<crypto::SigType>(type)) {
    case crypto::SigType::dsa_sha1:
        return 40;
    case crypto::SigType::ecdsa_sha256_p256:
        return 64;
    case crypto::SigType::ecdsa_sha384_p384:
        return 96;
    case crypto::SigType::ecdsa_sha512_p521:
        return 132;
    case crypto::SigType::rsa_sha256_2048:
        return 256;
    case crypto::SigType::rsa_sha384_3072:
        return 384;
    case crypto::SigType::rsa_sha512_4096:
        return 512;
    case crypto::SigType::eddsa_sha512_ed25519ph:
        return 64;
    default:
        return std::nullopt; // Ed25519 and RedDSA are not su3 signature types
    }
}

std::string text(Bytes b)
{
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// The fixed 40 bytes; unused bytes are covered by the signature and not checked, so a future
// format that assigns them still parses.
struct Header {
    std::uint16_t sig_type;
    std::uint16_t sig_size;
    std::uint8_t version_size;
    std::uint8_t signer_size;
    std::uint64_t content_size;
    std::uint8_t file_type;
    std::uint8_t content_type;
};

Result<Header> parse_header(ByteReader& r)
{
    UMBRA_TRY(auto magic, r.bytes(su3_magic.size()));
    if (!std::equal(magic.begin(), magic.end(), su3_magic.begin())) {
        return Errc::bad_encoding;
    }
    UMBRA_TRY_VOID(r.skip(1));
    UMBRA_TRY(auto format, r.u8());
    if (format != 0) {
        return Errc::unsupported;
    }
    Header h{};
    UMBRA_TRY(h.sig_type, r.u16());
    UMBRA_TRY(h.sig_size, r.u16());
    UMBRA_TRY_VOID(r.skip(1));
    UMBRA_TRY(h.version_size, r.u8());
    UMBRA_TRY_VOID(r.skip(1));
    UMBRA_TRY(h.signer_size, r.u8());
    UMBRA_TRY(h.content_size, r.u64());
    UMBRA_TRY_VOID(r.skip(1));
    UMBRA_TRY(h.file_type, r.u8());
    UMBRA_TRY_VOID(r.skip(1));
    UMBRA_TRY(h.content_type, r.u8());
    UMBRA_TRY_VOID(r.skip(header_size - 28));
    return h;
}

Result<void> check_header(const Header& h, std::size_t file_size)
{
    const auto expected = su3_signature_size(h.sig_type);
    if (!expected) {
        return Errc::unsupported;
    }
    if (h.sig_size != *expected || h.version_size < min_version_size || h.signer_size == 0 ||
        h.file_type > static_cast<std::uint8_t>(Su3FileType::exe) ||
        h.content_type > static_cast<std::uint8_t>(Su3ContentType::blocklist)) {
        return Errc::invalid_value;
    }
    // Every other term is below 2^16, so only content_size can overflow the sum.
    const std::size_t fixed = header_size + h.version_size + h.signer_size + h.sig_size;
    if (h.content_size > su3_max_size) {
        return Errc::too_large;
    }
    const std::size_t total = fixed + static_cast<std::size_t>(h.content_size);
    if (total > file_size) {
        return Errc::truncated;
    }
    if (total < file_size) {
        return Errc::trailing_data;
    }
    return {};
}

} // namespace

Result<Su3File> parse_su3(Bytes file)
{
    if (file.size() > su3_max_size) {
        return Errc::too_large;
    }
    ByteReader r(file);
    UMBRA_TRY(const Header h, parse_header(r));
    UMBRA_TRY_VOID(check_header(h, file.size()));
    Su3File su3;
    su3.sig_type = h.sig_type;
    su3.file_type = static_cast<Su3FileType>(h.file_type);
    su3.content_type = static_cast<Su3ContentType>(h.content_type);
    UMBRA_TRY(const Bytes version, r.bytes(h.version_size));
    su3.version = text(version);
    su3.version.erase(su3.version.find_last_not_of('\0') + 1); // npos + 1 == 0 erases all
    UMBRA_TRY(const Bytes signer, r.bytes(h.signer_size));
    su3.signer_id = text(signer);
    UMBRA_TRY(su3.content, r.bytes(static_cast<std::size_t>(h.content_size)));
    su3.signed_part = r.consumed();
    UMBRA_TRY(su3.signature, r.bytes(h.sig_size));
    UMBRA_TRY_VOID(r.expect_end());
    return su3;
}

Result<void> verify_su3(const Su3File& su3, const CertMap& certs)
{
    crypto::RsaHash hash{};
    switch (static_cast<crypto::SigType>(su3.sig_type)) {
    case crypto::SigType::rsa_sha256_2048:
        hash = crypto::RsaHash::sha256;
        break;
    case crypto::SigType::rsa_sha384_3072:
        hash = crypto::RsaHash::sha384;
        break;
    case crypto::SigType::rsa_sha512_4096:
        hash = crypto::RsaHash::sha512;
        break;
    default:
        return Errc::unsupported;
    }
    const auto cert = certs.find(su3.signer_id);
    if (cert == certs.end()) {
        return Errc::bad_signature;
    }
    // The signature length was checked against the type; OpenSSL also requires it to equal the
    // modulus size, so a 2048-bit certificate cannot check a type 6 signature.
    if (!crypto::rsa_verify_with_certificate(hash, cert->second, su3.signed_part, su3.signature)) {
        return Errc::bad_signature;
    }
    return {};
}

} // namespace umbra::reseed
