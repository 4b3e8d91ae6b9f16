#include <boost/test/unit_test.hpp>

#include "crypto/chacha.h"
#include "crypto/hash.h"
#include "tunnels/build/record_crypto.h"

using namespace umbra;
using namespace umbra::tunnels;

BOOST_AUTO_TEST_SUITE(tunnel_build_record_crypto)

BOOST_AUTO_TEST_CASE(noise_n_initial_hash_follows_the_spec)
{
    // h = SHA256("Noise_N_25519_ChaChaPoly_SHA256" || 0x00), then h = SHA256(h || hepk).
    std::array<std::uint8_t, 32> name{};
    const std::string n = "Noise_N_25519_ChaChaPoly_SHA256";
    std::copy(n.begin(), n.end(), name.begin());
    const auto h0 = crypto::sha256(name);
    std::array<std::uint8_t, 32> hepk{};
    hepk.fill(9);
    std::vector<std::uint8_t> cat(h0.begin(), h0.end());
    cat.insert(cat.end(), hepk.begin(), hepk.end());
    BOOST_TEST((noise_n_hash_for(hepk) == crypto::sha256(cat)));
}

BOOST_AUTO_TEST_CASE(request_decrypts_only_with_the_hop_key)
{
    crypto::DeterministicRng rng(30);
    const auto hop = crypto::X25519Keypair::generate(rng);
    const auto other = crypto::X25519Keypair::generate(rng);
    const auto eph = crypto::X25519Keypair::generate(rng);
    std::array<std::uint8_t, 16> hash16{};
    std::array<std::uint8_t, kShortRequestSize> clear{};
    rng.fill(clear);
    std::array<std::uint8_t, kShortRecordSize> record{};
    auto sent =
        encrypt_request(RecordFormat::short_ecies, hash16, hop.public_key, eph, clear, record);
    BOOST_REQUIRE(sent.has_value());
    std::array<std::uint8_t, kShortRequestSize> out{};
    auto got = decrypt_request(RecordFormat::short_ecies, hop.private_key,
                               noise_n_hash_for(hop.public_key), record, out);
    BOOST_REQUIRE(got.has_value());
    BOOST_TEST((out == clear));
    BOOST_TEST((got->h == sent->h));
    BOOST_TEST(crypto::constant_time_equal(got->ck.bytes(), sent->ck.bytes()));
#ifndef UMBRA_TUNNEL_BUILD_FUZZ_BYPASS
    BOOST_TEST(!decrypt_request(RecordFormat::short_ecies, other.private_key,
                                noise_n_hash_for(other.public_key), record, out));
#endif
}

BOOST_AUTO_TEST_CASE(obep_iv_key_takes_the_extra_kdf_step)
{
    crypto::Key32 ck;
    ck.mutable_bytes()[0] = 1;
    const auto mid = short_record_keys(ck, false);
    const auto obep = short_record_keys(ck, true);
    BOOST_TEST(crypto::constant_time_equal(mid.reply_key.bytes(), obep.reply_key.bytes()));
    BOOST_TEST(crypto::constant_time_equal(mid.layer_key.bytes(), obep.layer_key.bytes()));
    BOOST_TEST(!crypto::constant_time_equal(mid.iv_key.bytes(), obep.iv_key.bytes()));
    BOOST_TEST(!crypto::constant_time_equal(obep.garlic_key.bytes(), obep.iv_key.bytes()));
    // replyKey = HKDF(ck, "", "SMTunnelReplyKey", 64)[32:64]
    std::array<std::uint8_t, 64> keydata{};
    const std::string info = "SMTunnelReplyKey";
    crypto::hkdf_sha256(ck.bytes(), {},
                        {reinterpret_cast<const std::uint8_t*>(info.data()), info.size()}, keydata);
    BOOST_TEST(crypto::constant_time_equal(mid.reply_key.bytes(), Bytes(keydata).last(32)));
}

BOOST_AUTO_TEST_CASE(short_kdf_chain_follows_the_spec_labels)
{
    // tunnel-creation-ecies.rst "KDF", step by step with HKDF(ck, ZEROLEN, label, 64).
    const auto step = [](Bytes ck, const std::string& label) {
        std::array<std::uint8_t, 64> out{};
        crypto::hkdf_sha256(
            ck, {}, {reinterpret_cast<const std::uint8_t*>(label.data()), label.size()}, out);
        return out;
    };
    crypto::Key32 ck;
    crypto::DeterministicRng rng(34);
    rng.fill(ck.mutable_bytes());
    const auto k1 = step(ck.bytes(), "SMTunnelReplyKey");
    const auto k2 = step(Bytes(k1).first(32), "SMTunnelLayerKey");
    const auto k3 = step(Bytes(k2).first(32), "TunnelLayerIVKey");
    const auto k4 = step(Bytes(k3).first(32), "RGarlicKeyAndTag");
    const auto mid = short_record_keys(ck, false);
    BOOST_TEST(crypto::constant_time_equal(mid.layer_key.bytes(), Bytes(k2).last(32)));
    BOOST_TEST(crypto::constant_time_equal(mid.iv_key.bytes(), Bytes(k2).first(32)));
    const auto obep = short_record_keys(ck, true);
    BOOST_TEST(crypto::constant_time_equal(obep.iv_key.bytes(), Bytes(k3).last(32)));
    BOOST_TEST(crypto::constant_time_equal(obep.garlic_key.bytes(), Bytes(k4).last(32)));
    BOOST_TEST(crypto::constant_time_equal(obep.garlic_tag, Bytes(k4).first(8)));
}

BOOST_AUTO_TEST_CASE(creator_undo_inverts_the_hop_pass)
{
    crypto::DeterministicRng rng(31);
    for (auto f : {RecordFormat::short_ecies, RecordFormat::long_ecies}) {
        ReplyCipher c;
        c.format = f;
        rng.fill(c.key.mutable_bytes());
        rng.fill(c.iv);
        std::vector<std::uint8_t> rec(record_size(f));
        rng.fill(rec);
        const auto original = rec;
        c.hop_pass(3, rec);
        BOOST_TEST((rec != original));
        auto other_slot = original;
        c.hop_pass(4, other_slot);
        BOOST_TEST((other_slot != rec) == (f == RecordFormat::short_ecies)); // nonce = slot
        c.creator_undo(3, rec);
        BOOST_TEST((rec == original));
    }
}

BOOST_AUTO_TEST_CASE(short_hop_pass_is_chacha20_from_block_counter_one)
{
    // STREAM ENCRYPT(k, iv, plaintext) (encryptedleaseset.rst): RFC 7539 ChaCha20 with the
    // initial counter 1; iv = 12 zero bytes except iv[4] = record index.
    crypto::DeterministicRng rng(33);
    ReplyCipher c;
    rng.fill(c.key.mutable_bytes());
    std::vector<std::uint8_t> rec(kShortRecordSize, 0);
    c.hop_pass(5, rec);
    crypto::Nonce12 iv{};
    iv[4] = 5;
    std::vector<std::uint8_t> expected(kShortRecordSize, 0);
    crypto::chacha20(c.key.bytes(), iv, 1, expected, expected);
    BOOST_TEST((rec == expected));
}

BOOST_AUTO_TEST_CASE(reply_seal_uses_the_record_index_as_nonce_for_short_records)
{
    crypto::DeterministicRng rng(32);
    crypto::Key32 key;
    rng.fill(key.mutable_bytes());
    crypto::Hash32 h{};
    std::array<std::uint8_t, kShortReplySize> clear{};
    std::array<std::uint8_t, kShortRecordSize> rec{};
    seal_reply(RecordFormat::short_ecies, key.bytes(), 2, h, clear, rec);
    std::array<std::uint8_t, kShortReplySize> out{};
    BOOST_TEST(open_reply(RecordFormat::short_ecies, key.bytes(), 2, h, rec, out));
    BOOST_TEST(!open_reply(RecordFormat::short_ecies, key.bytes(), 1, h, rec, out));
    // Long records always use nonce 0.
    std::array<std::uint8_t, kLongReplySize> lclear{};
    std::array<std::uint8_t, kLongRecordSize> lrec{};
    seal_reply(RecordFormat::long_ecies, key.bytes(), 5, h, lclear, lrec);
    std::array<std::uint8_t, kLongReplySize> lout{};
    BOOST_TEST(open_reply(RecordFormat::long_ecies, key.bytes(), 0, h, lrec, lout));
}

BOOST_AUTO_TEST_SUITE_END()
