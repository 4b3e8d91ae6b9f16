#include "router/garlic/router_message.h"

#include <algorithm>
#include <string_view>

#include "crypto/chacha.h"
#include "crypto/hash.h"
#include "crypto/noise.h"
#include "router/data/i2np/payload.h"
#include "router/garlic/error.h"

namespace umbra::garlic {

namespace {

// ecies-routers.rst "KDF for Initial ck and h": the 31-byte name padded with one zero byte is
// both the initial h and ck; then MixHash of the empty prologue.
constexpr std::string_view kProtocolName = "Noise_N_25519_ChaChaPoly_SHA256";

crypto::Hash32 padded_protocol_name()
{
    crypto::Hash32 out{};
    std::copy(kProtocolName.begin(), kProtocolName.end(), out.begin());
    return out;
}

crypto::Hash32 mix_hash(const crypto::Hash32& h, Bytes data)
{
    crypto::Sha256 hash;
    hash.update(h);
    hash.update(data);
    return hash.finish();
}

// h after "MixHash(hepk)", which each router can precompute for all incoming messages.
crypto::Hash32 initial_h(const crypto::X25519Public& router_key)
{
    const crypto::Hash32 h0 = crypto::sha256(padded_protocol_name());
    return mix_hash(h0, router_key);
}

// "es": keydata = HKDF(chainKey, sharedSecret, "", 64); k = keydata[32:63].
crypto::Key32 message_key(const crypto::Key32& shared_secret)
{
    auto [ck, k] = crypto::noise_hkdf2(padded_protocol_name(), shared_secret.bytes());
    return std::move(k);
}

} // namespace

Result<i2np::Garlic> seal_for_router(const crypto::X25519Public& router_key, Bytes plaintext,
                                     crypto::Rng& rng)
{
    if (plaintext.size() > kMaxRouterPlaintext) {
        return Errc::too_large;
    }
    const auto ephemeral = crypto::X25519Keypair::generate(rng);
    crypto::Key32 shared;
    if (!crypto::x25519(ephemeral.private_key, router_key, shared)) {
        return Errc::invalid_value;
    }
    const crypto::Hash32 h = mix_hash(initial_h(router_key), ephemeral.public_key);
    const crypto::Key32 k = message_key(shared);

    i2np::Garlic garlic;
    auto& out = garlic.ciphertext;
    out.resize(kEphemeralKeySize + plaintext.size() + kMacSize);
    std::copy(ephemeral.public_key.begin(), ephemeral.public_key.end(), out.begin());
    crypto::aead_encrypt(k.bytes(), crypto::noise_nonce(0), h, plaintext,
                         MutableBytes(out).subspan(kEphemeralKeySize));
    return garlic;
}

Result<i2np::Garlic> encrypt_for_router(const crypto::X25519Public& router_key,
                                        std::span<const GarlicClove> cloves, WallTime now,
                                        crypto::Rng& rng)
{
    std::vector<Block> blocks;
    blocks.reserve(cloves.size() + 2);
    blocks.emplace_back(DateTimeBlock{static_cast<std::uint32_t>(now.seconds())});
    for (const auto& clove : cloves) {
        blocks.emplace_back(clove);
    }
    if (const auto padding = rng.uniform(16); padding > 0) {
        blocks.emplace_back(PaddingBlock{std::vector<std::uint8_t>(padding, 0)});
    }
    UMBRA_TRY(const auto plaintext, serialize_blocks(blocks));
    return seal_for_router(router_key, plaintext, rng);
}

Result<i2np::Message> wrap_for_router(const crypto::X25519Public& router_key,
                                      const i2np::Message& message, MessageId garlic_id,
                                      WallTime now, crypto::Rng& rng)
{
    const GarlicClove clove{CloveDelivery::to_local(), message};
    UMBRA_TRY(const auto garlic, encrypt_for_router(router_key, {&clove, 1}, now, rng));
    return i2np::make_message(garlic, garlic_id, message.expiration);
}

RouterDecryptor::RouterDecryptor(crypto::Key32 static_private)
    : RouterDecryptor(std::move(static_private), Config{})
{
}

RouterDecryptor::RouterDecryptor(crypto::Key32 static_private, Config config)
    : private_key_(std::move(static_private)),
      public_key_(crypto::x25519_public_from_private(private_key_.bytes())),
      h_(initial_h(public_key_)), config_(config), replay_(config.replay_capacity)
{
}

Result<std::vector<std::uint8_t>> RouterDecryptor::open(Bytes body) const
{
    if (body.size() < kEphemeralKeySize + kMacSize) {
        return Errc::truncated;
    }
    const Bytes ephemeral = body.first(kEphemeralKeySize);
    crypto::Key32 shared;
    if (!crypto::x25519(private_key_, ephemeral, shared)) {
        return Errc::invalid_value;
    }
    const crypto::Hash32 h = mix_hash(h_, ephemeral);
    const crypto::Key32 k = message_key(shared);
    const Bytes ciphertext = body.subspan(kEphemeralKeySize);
    std::vector<std::uint8_t> plaintext(ciphertext.size() - kMacSize);
    if (!crypto::aead_decrypt(k.bytes(), crypto::noise_nonce(0), h, ciphertext, plaintext)) {
        return Errc::bad_signature;
    }
    return plaintext;
}

Result<std::vector<Block>> RouterDecryptor::decrypt(Bytes body, WallTime now)
{
    if (body.size() < kEphemeralKeySize + kMacSize) {
        return Errc::truncated;
    }
    ReplayCache::Key ephemeral;
    std::copy_n(body.begin(), kEphemeralKeySize, ephemeral.begin());
    // ecies.rst "DateTime": drop duplicate ephemeral keys before the DH.
    if (replay_.contains(ephemeral, now)) {
        return Error::replayed;
    }
    UMBRA_TRY(const auto plaintext, open(body));
    UMBRA_TRY(auto blocks, parse_blocks(plaintext));
    UMBRA_TRY_VOID(check_router_payload(blocks, config_.require_date_time));
    if (!blocks.empty()) {
        if (const auto* date = std::get_if<DateTimeBlock>(&blocks.front())) {
            const auto sent = std::int64_t{date->seconds} * 1000;
            if (sent < now.ms - config_.max_age.count() ||
                sent > now.ms + config_.max_future.count()) {
                return Errc::expired;
            }
        }
    }
    // Any message still inside the window was sent at most max_future ahead of now.
    const WallTime forget_at{now.ms + config_.max_age.count() + config_.max_future.count()};
    replay_.insert(ephemeral, forget_at, now);
    return blocks;
}

Result<void> check_router_payload(std::span<const Block> blocks, bool require_date_time)
{
    const bool dated = !blocks.empty() && std::holds_alternative<DateTimeBlock>(blocks.front());
    if (require_date_time && !dated) {
        return Error::missing_date_time;
    }
    for (const auto& block : blocks.subspan(dated ? 1 : 0)) {
        switch (static_cast<BlockType>(type_of(block))) {
        case BlockType::date_time:
        case BlockType::termination:
        case BlockType::message_number:
        case BlockType::next_key:
        case BlockType::ack:
        case BlockType::ack_request:
            return Error::block_not_allowed;
        default:
            break;
        }
    }
    return {};
}

} // namespace umbra::garlic
