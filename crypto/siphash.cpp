// SipHash-2-4 written from the paper ("SipHash: a fast short-input PRF", Aumasson and Bernstein,
// 2012, §2): four 64-bit state words, two SipRounds per message word, four at finalisation.
#include "crypto/siphash.h"

#include <bit>

#include "crypto/detail.h"

namespace umbra::crypto {

namespace {

std::uint64_t load_le64(const std::uint8_t* p)
{
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) {
        v = v << 8 | p[i];
    }
    return v;
}

struct SipState {
    std::uint64_t v0, v1, v2, v3;

    void round()
    {
        v0 += v1;
        v1 = std::rotl(v1, 13);
        v1 ^= v0;
        v0 = std::rotl(v0, 32);
        v2 += v3;
        v3 = std::rotl(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = std::rotl(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = std::rotl(v1, 17);
        v1 ^= v2;
        v2 = std::rotl(v2, 32);
    }

    void absorb(std::uint64_t m)
    {
        v3 ^= m;
        round();
        round();
        v0 ^= m;
    }
};

} // namespace

std::uint64_t siphash24(Bytes key16, Bytes data)
{
    detail::check(key16.size() == 16, "SipHash key must be 16 bytes");
    const std::uint64_t k0 = load_le64(key16.data());
    const std::uint64_t k1 = load_le64(key16.data() + 8);
    // The constants spell "somepseudorandomlygeneratedbytes".
    SipState s{k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL, k0 ^ 0x6c7967656e657261ULL,
               k1 ^ 0x7465646279746573ULL};
    const std::size_t full = data.size() / 8 * 8;
    for (std::size_t i = 0; i < full; i += 8) {
        s.absorb(load_le64(data.data() + i));
    }
    // Last word: the remaining bytes, then the message length mod 256 in the top byte.
    std::uint64_t last = static_cast<std::uint64_t>(data.size() & 0xff) << 56;
    for (std::size_t i = full; i < data.size(); ++i) {
        last |= static_cast<std::uint64_t>(data[i]) << (8 * (i - full));
    }
    s.absorb(last);
    s.v2 ^= 0xff;
    for (int i = 0; i < 4; ++i) {
        s.round();
    }
    return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

} // namespace umbra::crypto
