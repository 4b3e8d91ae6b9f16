// The parts the LeaseSet2 family shares (common-structures.rst, "OfflineSignature",
// "LeaseSet2Header"), and the signed-entry wrapper for LeaseSet2, MetaLeaseSet and
// EncryptedLeaseSet: each signature covers the DatabaseStore type byte prepended to the content
// ("The signature is over the data above, PREPENDED with the single byte containing the
// DatabaseStore type").
#pragma once
#include <optional>
#include <vector>

#include "crypto/random.h"
#include "crypto/signature.h"
#include "router/base/clock.h"
#include "router/data/keys_and_cert.h"

namespace umbra::data {

// The DatabaseStore type of each leaseset variant (i2np.rst, "DatabaseStore").
enum class LeaseSetType : std::uint8_t {
    lease_set = 1,
    lease_set2 = 3,
    encrypted_lease_set = 5,
    meta_lease_set = 7,
};

// How far in the future a published time may lie before validate() rejects it.
inline constexpr std::int64_t max_lease_set_published_skew_s = 2 * 60;

// The key whose signature closes an entry: the transient key when offline-signed, otherwise the
// destination's (or, for an EncryptedLeaseSet, the blinded) key.
struct Signer {
    crypto::SigType type;
    Bytes public_key;
    std::size_t signature_size;
};

struct OfflineSignature {
    std::uint32_t expires = 0; // seconds since the epoch
    crypto::SigType transient_type = crypto::SigType::eddsa_sha512_ed25519;
    std::vector<std::uint8_t> transient_public_key;
    std::vector<std::uint8_t> signature; // by the destination (or blinded) key

    // signer_signature_size: from the sig type of the key that signs this block.
    // Errc::unsupported for a transient sig type umbra does not know.
    static Result<OfflineSignature> parse(ByteReader& in, std::size_t signer_signature_size);
    void write(ByteWriter& out) const;
    // expires, transient sig type and transient public key.
    std::vector<std::uint8_t> signed_bytes() const;
    [[nodiscard]] bool verify(crypto::SigType signer_type, Bytes signer_public_key) const;
    // The transient key, which signs the entry.
    Signer transient_signer() const;
    static OfflineSignature create(std::uint32_t expires, const crypto::SigningKey& transient,
                                   const crypto::SigningKey& signer, crypto::Rng& rng);

    bool operator==(const OfflineSignature&) const = default;
};

// The timestamps validate() checks, in seconds since the epoch.
struct EntryTimes {
    const OfflineSignature* offline;
    std::uint32_t published;
    std::uint16_t expires; // after published
};

struct LeaseSet2Header {
    static constexpr std::uint16_t flag_offline = 1 << 0;
    static constexpr std::uint16_t flag_unpublished = 1 << 1;
    static constexpr std::uint16_t flag_blinded = 1 << 2;

    Destination destination;
    std::uint32_t published = 0; // seconds since the epoch
    std::uint16_t expires = 0;   // seconds after published
    // Every bit but bit 0, which is offline.has_value(); reserved bits 3-15 are kept as read.
    std::uint16_t flags = 0;
    std::optional<OfflineSignature> offline;

    static Result<LeaseSet2Header> parse(ByteReader& in);
    void write(ByteWriter& out) const;
    Signer signer() const;
    // Offline block signed by the destination key; success when there is none.
    Result<void> verify_offline() const;
    EntryTimes times() const { return {offline ? &*offline : nullptr, published, expires}; }

    bool operator==(const LeaseSet2Header&) const = default;
};

// Errc::invalid_value unless key is the signer's private key.
Result<void> check_signing_key(const Signer& signer, const crypto::SigningKey& key);

// A signed LeaseSet2-family entry that keeps its bytes. Content provides: store_type,
// parse(ByteReader&) reading up to the signature, write(ByteWriter&), check() (counts within
// limits before writing), signer(), verify_offline() and times().
template <class Content> class SignedEntry {
public:
    // The whole span must be one entry (without the DatabaseStore type byte). Does not verify.
    static Result<SignedEntry> parse(Bytes data);
    // Writes, signs with key (the transient key when content is offline-signed), re-parses.
    static Result<SignedEntry> create(Content content, const crypto::SigningKey& key,
                                      crypto::Rng& rng);

    const Content& content() const { return content_; }
    Bytes bytes() const { return raw_; }
    // Writes the parsed fields anew; equal to bytes() (parse accepts only the canonical form).
    std::vector<std::uint8_t> serialize() const;
    Bytes signature() const { return Bytes(raw_).subspan(content_size_); }
    // The DatabaseStore type byte followed by everything before the signature.
    std::vector<std::uint8_t> signed_message() const;

    // The offline block (if any), then the entry signature.
    Result<void> verify() const;
    // verify(), then: offline block not expired, published at most two minutes ahead of now,
    // entry not expired (published + expires >= now). Errc::expired for the time checks.
    Result<void> validate(WallTime now) const;

private:
    SignedEntry(Content c, Bytes raw, std::size_t content_size)
        : content_(std::move(c)), raw_(raw.begin(), raw.end()), content_size_(content_size)
    {
    }

    Content content_;
    std::vector<std::uint8_t> raw_;
    std::size_t content_size_;
};

// type byte || content, the message every LeaseSet2-family signature covers.
std::vector<std::uint8_t> prefixed_message(LeaseSetType type, Bytes content);

// Shared time checks of validate().
Result<void> check_times(const EntryTimes& times, WallTime now);

template <class Content> Result<SignedEntry<Content>> SignedEntry<Content>::parse(Bytes data)
{
    ByteReader r(data);
    UMBRA_TRY(auto content, Content::parse(r));
    const std::size_t content_size = r.offset();
    UMBRA_TRY_VOID(r.skip(content.signer().signature_size));
    UMBRA_TRY_VOID(r.expect_end());
    return SignedEntry(std::move(content), data, content_size);
}

template <class Content>
Result<SignedEntry<Content>>
SignedEntry<Content>::create(Content content, const crypto::SigningKey& key, crypto::Rng& rng)
{
    UMBRA_TRY_VOID(content.check());
    UMBRA_TRY_VOID(check_signing_key(content.signer(), key));
    ByteWriter w;
    content.write(w);
    const auto signature = key.sign(prefixed_message(Content::store_type, w.view()), rng);
    w.bytes(signature);
    return parse(w.view());
}

template <class Content> std::vector<std::uint8_t> SignedEntry<Content>::signed_message() const
{
    return prefixed_message(Content::store_type, Bytes(raw_).first(content_size_));
}

template <class Content> std::vector<std::uint8_t> SignedEntry<Content>::serialize() const
{
    ByteWriter w(raw_.size());
    content_.write(w);
    w.bytes(signature());
    return w.take();
}

template <class Content> Result<void> SignedEntry<Content>::verify() const
{
    UMBRA_TRY_VOID(content_.verify_offline());
    const Signer s = content_.signer();
    if (!crypto::verify_signature(s.type, s.public_key, signed_message(), signature())) {
        return Errc::bad_signature;
    }
    return {};
}

template <class Content> Result<void> SignedEntry<Content>::validate(WallTime now) const
{
    UMBRA_TRY_VOID(verify());
    return check_times(content_.times(), now);
}

} // namespace umbra::data
