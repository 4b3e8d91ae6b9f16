#include "router/garlic/reply.h"

#include <algorithm>
#include <cstring>

#include "crypto/chacha.h"
#include "router/base/check.h"
#include "router/data/i2np/payload.h"

namespace umbra::garlic {

namespace {
constexpr std::size_t kMaxTagPlaintext = kMaxGarlicBodySize - kReplyTagSize - kMacSize;
} // namespace

// i2np.rst DatabaseLookup "Reply format": k = reply_key, n = 0, ad = reply_tag.
Result<i2np::Garlic> seal_with_tag(const crypto::Key32& key, const ReplyTag& tag, Bytes plaintext)
{
    if (plaintext.size() > kMaxTagPlaintext) {
        return Errc::too_large;
    }
    i2np::Garlic garlic;
    auto& out = garlic.ciphertext;
    out.resize(kReplyTagSize + plaintext.size() + kMacSize);
    std::copy(tag.begin(), tag.end(), out.begin());
    crypto::aead_encrypt(key.bytes(), crypto::noise_nonce(0), tag, plaintext,
                         MutableBytes(out).subspan(kReplyTagSize));
    return garlic;
}

Result<std::vector<std::uint8_t>> open_with_tag(const crypto::Key32& key, Bytes body)
{
    if (body.size() < kReplyTagSize + kMacSize) {
        return Errc::truncated;
    }
    const Bytes ciphertext = body.subspan(kReplyTagSize);
    std::vector<std::uint8_t> plaintext(ciphertext.size() - kMacSize);
    if (!crypto::aead_decrypt(key.bytes(), crypto::noise_nonce(0), body.first(kReplyTagSize),
                              ciphertext, plaintext)) {
        return Errc::bad_signature;
    }
    return plaintext;
}

Result<i2np::Garlic> encrypt_reply(const i2np::EciesReplyKeys& keys, const i2np::Message& reply,
                                   crypto::Rng& rng)
{
    if (keys.tags.empty()) {
        return Errc::invalid_value;
    }
    return encrypt_reply(crypto::Key32(keys.key), keys.tags.front(), reply, rng);
}

Result<i2np::Garlic> encrypt_reply(const crypto::Key32& key, const ReplyTag& tag,
                                   const i2np::Message& reply, crypto::Rng& rng)
{
    std::vector<Block> blocks;
    blocks.emplace_back(GarlicClove{CloveDelivery::to_local(), reply});
    if (const auto padding = rng.uniform(16); padding > 0) {
        blocks.emplace_back(PaddingBlock{std::vector<std::uint8_t>(padding, 0)});
    }
    UMBRA_TRY(const auto plaintext, serialize_blocks(blocks));
    return seal_with_tag(key, tag, plaintext);
}

Result<i2np::Message> wrap_lookup_reply(const i2np::ReplyEncryption& encryption,
                                        i2np::Message reply, MessageId garlic_id, crypto::Rng& rng)
{
    if (std::holds_alternative<std::monostate>(encryption)) {
        return reply;
    }
    const auto* keys = std::get_if<i2np::EciesReplyKeys>(&encryption);
    if (keys == nullptr) {
        return Errc::unsupported;
    }
    UMBRA_TRY(const auto garlic, encrypt_reply(*keys, reply, rng));
    return i2np::make_message(garlic, garlic_id, reply.expiration);
}

ReplyKeyRing::ReplyKeyRing(std::size_t capacity) : capacity_(capacity)
{
    UMBRA_CHECK(capacity > 0);
}

std::uint64_t ReplyKeyRing::index(const ReplyTag& tag)
{
    std::uint64_t v;
    std::memcpy(&v, tag.data(), sizeof v);
    return v;
}

Result<void> ReplyKeyRing::add(crypto::Key32 key, const ReplyTag& tag, WallTime expires,
                               WallTime now)
{
    expire(now);
    if (entries_.contains(index(tag))) {
        return Errc::invalid_value;
    }
    if (entries_.size() >= capacity_) {
        return Errc::too_large;
    }
    entries_.emplace(index(tag), Entry{std::move(key), expires});
    return {};
}

Result<i2np::EciesReplyKeys> ReplyKeyRing::create(crypto::Rng& rng, WallTime expires, WallTime now)
{
    i2np::EciesReplyKeys keys;
    ReplyTag tag;
    rng.fill(keys.key);
    rng.fill(tag);
    UMBRA_TRY_VOID(add(crypto::Key32(keys.key), tag, expires, now));
    keys.tags.push_back(tag);
    return keys;
}

bool ReplyKeyRing::contains(const ReplyTag& tag, WallTime now) const
{
    const auto it = entries_.find(index(tag));
    return it != entries_.end() && it->second.expires > now;
}

std::optional<Result<std::vector<Block>>> ReplyKeyRing::try_decrypt(Bytes body, WallTime now)
{
    if (body.size() < kReplyTagSize) {
        return std::nullopt;
    }
    ReplyTag tag;
    std::copy_n(body.begin(), kReplyTagSize, tag.begin());
    const auto it = entries_.find(index(tag));
    if (it == entries_.end() || it->second.expires <= now) {
        return std::nullopt;
    }
    auto plaintext = open_with_tag(it->second.key, body);
    if (!plaintext) {
        return Result<std::vector<Block>>(plaintext.error());
    }
    entries_.erase(it);
    return parse_blocks(*plaintext);
}

void ReplyKeyRing::expire(WallTime now)
{
    std::erase_if(entries_, [now](const auto& kv) { return kv.second.expires <= now; });
}

} // namespace umbra::garlic
