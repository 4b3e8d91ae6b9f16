// derive_data_phase_keys against the pseudo-code of ntcp2.rst, "Key Derivation Function (KDF)
// (for data phase)", recomputed here HMAC by HMAC.
#include <string_view>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "crypto/hash.h"
#include "crypto/random.h"
#include "router/base/bytes.h"
#include "router/transport/ntcp2/keys.h"

using namespace umbra;
using namespace umbra::ntcp2;

namespace {

std::vector<std::uint8_t> cat(std::initializer_list<Bytes> parts)
{
    std::vector<std::uint8_t> out;
    for (const auto p : parts) {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

Bytes text(std::string_view s)
{
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

struct Expected {
    crypto::Hash32 k_ab, k_ba, sipkeys_ab, sipkeys_ba;
};

Expected spec_pseudo_code(Bytes ck, Bytes h)
{
    const std::uint8_t one[1] = {0x01};
    const std::uint8_t two[1] = {0x02};
    Expected e;
    auto temp_key = crypto::hmac_sha256(ck, {});
    e.k_ab = crypto::hmac_sha256(temp_key, one);
    e.k_ba = crypto::hmac_sha256(temp_key, cat({e.k_ab, two}));
    const auto ask_master = crypto::hmac_sha256(temp_key, cat({text("ask"), one}));
    temp_key = crypto::hmac_sha256(ask_master, cat({h, text("siphash")}));
    const auto sip_master = crypto::hmac_sha256(temp_key, one);
    temp_key = crypto::hmac_sha256(sip_master, {});
    e.sipkeys_ab = crypto::hmac_sha256(temp_key, one);
    e.sipkeys_ba = crypto::hmac_sha256(temp_key, cat({e.sipkeys_ab, two}));
    return e;
}

bool matches(const DirectionKeys& d, const crypto::Hash32& k, const crypto::Hash32& sipkeys)
{
    const Bytes s(sipkeys);
    return crypto::constant_time_equal(d.cipher_key.bytes(), k) &&
           crypto::constant_time_equal(d.sip_key.bytes(), s.first(16)) &&
           crypto::constant_time_equal(d.sip_iv, s.subspan(16, 8));
}

} // namespace

BOOST_AUTO_TEST_SUITE(ntcp2_kdf)

BOOST_AUTO_TEST_CASE(matches_the_spec_pseudo_code_for_both_directions)
{
    crypto::DeterministicRng rng(77);
    for (int round = 0; round < 16; ++round) {
        crypto::Key32 ck;
        rng.fill(ck.mutable_bytes());
        crypto::Hash32 h;
        rng.fill(h);
        const auto e = spec_pseudo_code(ck.bytes(), h);
        const auto alice = derive_data_phase_keys(ck, h, true);
        const auto bob = derive_data_phase_keys(ck, h, false);
        // Alice transmits with k_ab and sipkeys_ab, Bob with k_ba and sipkeys_ba.
        BOOST_TEST(matches(alice.send, e.k_ab, e.sipkeys_ab));
        BOOST_TEST(matches(alice.receive, e.k_ba, e.sipkeys_ba));
        BOOST_TEST(matches(bob.send, e.k_ba, e.sipkeys_ba));
        BOOST_TEST(matches(bob.receive, e.k_ab, e.sipkeys_ab));
    }
}

BOOST_AUTO_TEST_CASE(h_changes_only_the_siphash_keys)
{
    crypto::Key32 ck;
    ck.mutable_bytes()[0] = 1;
    crypto::Hash32 h1{}, h2{};
    h2[31] = 1;
    const auto a = derive_data_phase_keys(ck, h1, true);
    const auto b = derive_data_phase_keys(ck, h2, true);
    BOOST_TEST(crypto::constant_time_equal(a.send.cipher_key.bytes(), b.send.cipher_key.bytes()));
    BOOST_TEST(!crypto::constant_time_equal(a.send.sip_key.bytes(), b.send.sip_key.bytes()));
    BOOST_TEST(a.send.sip_iv != b.send.sip_iv);
}

BOOST_AUTO_TEST_SUITE_END()
