// NTCP2 benchmark: handshakes per second and data-phase throughput, at the engine level (no
// sockets, one thread) and over loopback (two umbra endpoints in one process on 127.0.0.1, real
// sockets and the real transport/session code, one io_context on one thread). Prints figures;
// nothing here asserts. run_bench_ntcp2.sh prints `openssl speed` beside them.
//   umbra_bench_ntcp2 [--json] [--seconds S] [--megabytes M] [--handshakes N]
#include "contrib/bench/bench_ntcp2.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "contrib/bench/bench.h"
#include "crypto/aead_reference.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "router/base/encoding.h"
#include "router/transport/ntcp2/data_phase.h"
#include "router/transport/ntcp2/handshake_testing.h"
#include "router/transport/transport_manager.h"

#include <sys/resource.h>

using namespace umbra;
namespace asio = boost::asio;

namespace {

using namespace bench_ntcp2;

// ---- Handshakes, engine level -------------------------------------------------------------

// Full Initiator <-> Responder handshakes in memory, one thread, OsRng (as the router). The time
// of each side's calls is summed apart, so each side's cost per handshake shows.
// `cached`: Bob keeps a VerifiedRouterInfos (as the transport does), so from the second
// handshake on Alice's RouterInfo is not verified again (a reconnecting peer); otherwise every
// handshake verifies it (a peer never seen before).
// `prepared`: both sides take their ephemeral pair from an EphemeralKeys pool, refilled a batch
// at a time between handshakes (as the transport does when idle); the refill is timed apart
// ("hs ephemeral key refill", per pair), so a side's per-core cost is its figure plus one
// pair's share of a refill. Without `prepared` each side makes its pair as it goes (one
// X25519Keypair::generate).
// `in_netdb`: Bob's first handshake with Alice, whose RouterInfo his netdb holds (verified when
// stored): a fresh VerifiedRouterInfos per handshake whose vouch compares the bytes, as the
// TransportManager's does with its lookup.
void engine_handshakes(std::vector<bench::Figure>& out, double seconds, std::size_t max_count,
                       bool cached, bool prepared = false, bool in_netdb = false)
{
    crypto::OsRng rng;
    const auto alice = ntcp2::testing::make_router(rng);
    const auto bob = ntcp2::testing::make_router(rng);
    const auto alice_local = alice.local();
    const auto bob_local = bob.local();
    const auto bob_remote = bob.remote();
    const WallTime now = ntcp2::testing::test_now; // the RouterInfos' date: no skew
    const SystemClock clock;
    ntcp2::ReplayCache replay(max_count + 64); // sized for the run: nothing is evicted
    ntcp2::VerifiedRouterInfos verified;
    // Pools of one batch, refilled when empty (the transport refills a batch per executor turn).
    ntcp2::EphemeralKeys alice_keys(ntcp2::EphemeralKeys::batch_size);
    ntcp2::EphemeralKeys bob_keys(ntcp2::EphemeralKeys::batch_size);

    double t_init = 0;
    double t_resp = 0;
    double t_refill = 0;
    std::size_t done = 0;
    const auto one = [&] {
        if (prepared && alice_keys.size() == 0) {
            const auto r0 = clock_type::now();
            alice_keys.refill(rng);
            bob_keys.refill(rng);
            t_refill += seconds_since(r0);
        }
        auto t0 = clock_type::now();
        ntcp2::Initiator init(alice_local, bob_remote, prepared ? &alice_keys : nullptr);
        const auto m1 = init.start(now, rng);
        auto t1 = clock_type::now();
        ntcp2::VerifiedRouterInfos first_time(1);
        if (in_netdb) {
            first_time.set_vouch([&](const IdentHash& h, Bytes ri) {
                return h == alice.ident_hash && std::ranges::equal(ri, alice.router_info);
            });
        }
        ntcp2::Responder resp(bob_local, replay,
                              in_netdb ? &first_time
                              : cached ? &verified
                                       : nullptr,
                              prepared ? &bob_keys : nullptr);
        auto m2 = ntcp2::testing::feed(resp, m1, rng, now, clock.steady());
        auto t2 = clock_type::now();
        if (!m2) {
            die("responder rejected SessionRequest");
        }
        auto m3 = ntcp2::testing::feed(init, *m2, rng, now);
        auto t3 = clock_type::now();
        if (!m3) {
            die("initiator rejected SessionCreated");
        }
        auto m4 = ntcp2::testing::feed(resp, *m3, rng, now, clock.steady());
        if (!m4 || !init.established() || !resp.established()) {
            die("handshake did not complete");
        }
        auto a = init.take_established();
        auto b = resp.take_established();
        auto t4 = clock_type::now();
        if (a.keys.send.cipher_key.bytes()[0] != b.keys.receive.cipher_key.bytes()[0]) {
            die("keys differ");
        }
        t_init += std::chrono::duration<double>((t1 - t0) + (t3 - t2)).count();
        t_resp += std::chrono::duration<double>((t2 - t1) + (t4 - t3)).count();
        ++done;
    };
    for (int i = 0; i < 8; ++i) {
        one(); // warm up
    }
    t_init = t_resp = t_refill = 0;
    done = 0;
    const auto start = clock_type::now();
    while (done + 8 < max_count && seconds_since(start) < seconds) {
        one();
    }
    const double total = seconds_since(start);
    const std::string suffix = std::string(cached ? ", RI cached" : "") +
                               (prepared ? ", keys ready" : "") + (in_netdb ? ", RI in netdb" : "");
    out.push_back(rate_figure("hs engine pair (both sides)" + suffix, total, done, 0));
    out.push_back(rate_figure("hs engine initiator side" + suffix, t_init, done, 0));
    out.push_back(rate_figure("hs engine responder side" + suffix, t_resp, done, 0));
    if (prepared) {
        out.push_back(rate_figure("hs ephemeral key refill" + suffix, t_refill, 2 * done, 0));
    }
}

// ---- Data phase, engine level -------------------------------------------------------------

// A short-header I2NP message body (9-byte header + payload) of `size` bytes.
std::vector<std::uint8_t> i2np_body(std::size_t size, crypto::Rng& rng)
{
    std::vector<std::uint8_t> b(size);
    rng.fill(b);
    b[0] = 20; // DataMessage
    return b;
}

struct FrameShape {
    const char* name;
    std::size_t messages;     // I2NP blocks per frame
    std::size_t message_size; // each block's body (short header included)
};

// bench::measure three times for a third of the time each, the fastest kept: on a shared
// machine other processes slow some runs down, never speed one up.
template <class F>
bench::Figure best_of(const std::string& name, std::size_t bytes, F&& op, double seconds)
{
    bench::Figure best = bench::measure(name, bytes, op, seconds / 3);
    for (int i = 0; i < 2; ++i) {
        bench::Figure f = bench::measure(name, bytes, op, seconds / 3);
        if (f.ns_per_op < best.ns_per_op) {
            best = f;
        }
    }
    return best;
}

// The session's paths, one thread. Seal: the frame's plaintext is copied into a reused buffer
// (the session writes each I2NP block straight into its frame buffer), then seal_in_place.
// Open: the frame is copied into a reused receive buffer (what the socket read does), then
// frame_length + open_in_place + split_blocks + i2np::Message::parse_short per I2NP block (the
// message's one copy). MB/s counts I2NP payload (bodies minus the 9-byte short header), not
// framing.
void engine_data_phase(std::vector<bench::Figure>& out, double seconds)
{
    crypto::OsRng rng;
    crypto::Key32 ck;
    crypto::Hash32 h;
    rng.fill(ck.mutable_bytes());
    rng.fill(h);
    ntcp2::DataPhase alice(ntcp2::derive_data_phase_keys(ck, h, true));
    ntcp2::DataPhase bob(ntcp2::derive_data_phase_keys(ck, h, false));
    const FrameShape shapes[] = {
        {"1KiB", 1, 1024 - ntcp2::block_header_size},
        {"16KiB", 4, 4096 - ntcp2::block_header_size},
        {"64KiB", 1, ntcp2::max_block_data},
    };
    // Sized once for the largest frame, as the session's buffers end up. (Growing them per
    // shape put the 64 KiB send buffer right after the 64 KiB plaintext in the heap, 65552
    // bytes apart: 4 KiB aliasing made the copy and seal twice as slow, a layout artefact.)
    // The receive side works 2 KiB into its buffer for the same reason: it copies from the send
    // buffer, allocated just before it.
    std::vector<std::uint8_t> send_buffer(2 + ntcp2::max_frame_size);
    std::vector<std::uint8_t> receive_storage(2048 + ntcp2::max_frame_size);
    const MutableBytes receive_buffer = MutableBytes(receive_storage).subspan(2048);
    std::vector<ntcp2::BlockView> views;
    for (const auto& shape : shapes) {
        std::vector<ntcp2::Block> blocks;
        for (std::size_t i = 0; i < shape.messages; ++i) {
            blocks.emplace_back(ntcp2::I2npBlock{i2np_body(shape.message_size, rng)});
        }
        const std::size_t payload = shape.messages * (shape.message_size - 9);
        ByteWriter w;
        for (const auto& b : blocks) {
            ntcp2::write_block(w, b);
        }
        const std::vector<std::uint8_t> plaintext = w.take();
        const std::size_t frame_size = 2 + plaintext.size() + crypto::aead_tag_size;
        std::vector<std::uint8_t> frame;
        std::size_t opened = 0;
        const auto seal = [&] {
            std::copy(plaintext.begin(), plaintext.end(), send_buffer.begin() + 2);
            alice.seal_in_place(MutableBytes(send_buffer).first(frame_size));
        };
        const auto open_bytes = [&](Bytes wire) {
            auto length = bob.frame_length(wire.first(2));
            if (!length) {
                die("bad frame length");
            }
            std::copy(wire.begin() + 2, wire.end(), receive_buffer.begin());
            auto text = bob.open_in_place(receive_buffer.first(*length));
            if (!text) {
                die("frame did not open");
            }
            if (!ntcp2::split_blocks(*text, views) || views.size() != shape.messages) {
                die("frame did not parse");
            }
            for (const auto& v : views) {
                if (!i2np::Message::parse_short(v.body)) {
                    die("bad I2NP block");
                }
            }
            ++opened;
        };
        const auto open = [&] {
            open_bytes(frame);
        };
        const std::string name = shape.name;
        // Seal alone (frames are discarded, so bob is re-keyed after), then the pair.
        out.push_back(best_of("dp seal " + name + " frame", payload, seal, seconds / 3));
        alice = ntcp2::DataPhase(ntcp2::derive_data_phase_keys(ck, h, true));
        bob = ntcp2::DataPhase(ntcp2::derive_data_phase_keys(ck, h, false));
        // Open alone: a batch of sealed frames replayed in order into fresh receivers, made
        // from keys derived once (the key derivation is a handshake's cost, not a frame's).
        const ntcp2::DataPhaseKeys bob_keys = ntcp2::derive_data_phase_keys(ck, h, false);
        const auto copy_keys = [](const ntcp2::DataPhaseKeys& k) {
            const auto one = [](const ntcp2::DirectionKeys& d) {
                return ntcp2::DirectionKeys{crypto::Key32(d.cipher_key.bytes()),
                                            crypto::SecretArray<16>(d.sip_key.bytes()), d.sip_iv};
            };
            return ntcp2::DataPhaseKeys{one(k.send), one(k.receive)};
        };
        std::vector<std::vector<std::uint8_t>> frames(64);
        for (auto& f : frames) {
            seal();
            f.assign(send_buffer.begin(), send_buffer.begin() + frame_size);
        }
        std::size_t next = 0;
        const auto open_only = [&] {
            if (next == frames.size()) {
                bob = ntcp2::DataPhase(copy_keys(bob_keys));
                next = 0;
            }
            frame.swap(frames[next]);
            open();
            frame.swap(frames[next]);
            ++next;
        };
        out.push_back(best_of("dp open " + name + " frame", payload, open_only, seconds / 3));
        alice = ntcp2::DataPhase(ntcp2::derive_data_phase_keys(ck, h, true));
        bob = ntcp2::DataPhase(ntcp2::derive_data_phase_keys(ck, h, false));
        out.push_back(best_of(
            "dp seal+open " + name + " frame", payload,
            [&] {
                seal();
                open_bytes(Bytes(send_buffer).first(frame_size));
            },
            seconds / 3));
    }
}

// The per-message AEAD reference of the same run (crypto/aead_reference.h): OpenSSL's EVP
// ChaCha20-Poly1305 one message at a time (what a frame costs at best through EVP) and
// streaming (what `openssl speed` measures), at the frame sizes above. MB/s counts the whole
// message, so umbra's frame figures (I2NP payload only) compare per frame by ns/op.
void aead_reference(std::vector<bench::Figure>& out, double seconds)
{
    const std::pair<const char*, std::size_t> sizes[] = {
        {"1KiB", 1024}, {"16KiB", 16 * 1024}, {"64KiB", ntcp2::max_frame_plaintext}};
    for (const auto& [name, size] : sizes) {
        // About seconds / 6 per size and kind at ~3 GB/s.
        const auto count = std::size_t(std::max(1000.0, seconds / 6 * 3e9 / double(size)));
        const auto r = crypto::measure_aead_reference(size, count);
        const std::string n = name;
        out.push_back(bench::Figure{"evp aead one-shot " + n, r.one_shot_ns,
                                    double(size) / r.one_shot_ns * 1e3, size});
        out.push_back(bench::Figure{"evp aead stream " + n, r.stream_ns,
                                    double(size) / r.stream_ns * 1e3, size});
        out.push_back(bench::Figure{"evp aead one-shot open " + n, r.one_shot_open_ns,
                                    double(size) / r.one_shot_open_ns * 1e3, size});
    }
}

} // namespace

int main(int argc, char** argv)
{
    bool json = false;
    double seconds = 1;
    double megabytes = 200;
    std::size_t handshakes = 2000;
    std::string only; // one part: hs, dp, loopback, loopback-threads, loopback-hs (for perf)
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--json")) {
            json = true;
        } else if (!std::strcmp(argv[i], "--seconds") && i + 1 < argc) {
            seconds = std::stod(argv[++i]);
        } else if (!std::strcmp(argv[i], "--megabytes") && i + 1 < argc) {
            megabytes = std::stod(argv[++i]);
        } else if (!std::strcmp(argv[i], "--only") && i + 1 < argc) {
            only = argv[++i];
        } else if (!std::strcmp(argv[i], "--handshakes") && i + 1 < argc) {
            handshakes = std::stoul(argv[++i]);
        } else {
            std::fprintf(stderr, "usage: umbra_bench_ntcp2 [--json] [--seconds S] "
                                 "[--megabytes M] [--handshakes N] "
                                 "[--only hs|dp|loopback|loopback-threads|loopback-hs]\n");
            return 2;
        }
    }
    if (seconds <= 0 || megabytes <= 0 || handshakes == 0) {
        std::fprintf(stderr, "umbra_bench_ntcp2: --seconds, --megabytes, --handshakes > 0\n");
        return 2;
    }
    std::vector<bench::Figure> figures;
    const auto part = [&](const char* name) {
        return only.empty() || only == name;
    };
    if (part("hs")) {
        engine_handshakes(figures, seconds, 100'000, false);
        engine_handshakes(figures, seconds, 100'000, true);
        engine_handshakes(figures, seconds, 100'000, false, true);
        engine_handshakes(figures, seconds, 100'000, true, true);
        engine_handshakes(figures, seconds, 100'000, false, true, true);
    }
    if (part("dp")) {
        aead_reference(figures, seconds);
        engine_data_phase(figures, seconds);
    }
    // Loopback runs are bounded in count and in time (10 x --seconds at most, then figures of
    // what was done).
    if (part("loopback")) {
        loopback_transfer(figures, 10 * seconds, megabytes);
    }
    if (part("loopback") || only == "loopback-threads") {
        loopback_transfer_threads(figures, 10 * seconds, megabytes);
        loopback_plain_tcp(figures, 10 * seconds, megabytes);
    }
    if (part("loopback-hs")) {
        loopback_handshakes(figures, 2 * seconds, handshakes);
    }
    bench::print(figures, json);
    return 0;
}
