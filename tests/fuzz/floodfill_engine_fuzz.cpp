// floodfill_engine: drives netdb::FloodfillEngine with a script read from the input, over a small
// store of real signed RouterInfos. Each step is one op byte, a peer byte, then the op's bytes:
//   0 raw DatabaseStore (2-byte length, payload)   1 raw DatabaseLookup (2-byte length, payload)
//   2 advance the clock (2 bytes, seconds)         3 toggle the floodfill role
//   4 store a valid template entry (index, flags)  5 look a template key up (index, flags)
// Invariants: the outbox never exceeds one reply plus the flood fan-out, no message exceeds the
// I2NP payload cap, and the store never exceeds its caps. Same input, same run: no state is
// kept between inputs.
#include <cstdlib>
#include <optional>
#include <vector>

#include "crypto/random.h"
#include "netdb/floodfill/floodfill_engine.h"
#include "router/base/bytes.h"
#include "router/base/gzip.h"
#include "router/data/i2np/payload.h"
#include "router/data/lease_set2.h"
#include "router/data/private_keys.h"
#include "router/data/router_info.h"

namespace {

using namespace umbra;
using namespace umbra::netdb;

constexpr WallTime t0{1'700'000'000'000};
constexpr std::size_t kTemplates = 6;
constexpr std::size_t kPeers = 8;

struct Template {
    IdentHash key;
    i2np::DatabaseEntryType type;
    std::vector<std::uint8_t> data; // as carried in a DatabaseStore (RouterInfo gzipped)
};

struct World {
    std::vector<Template> templates;
    std::optional<NetDbStore> store; // the starting store, copied for each input
    std::vector<IdentHash> peers;
};

std::uint8_t get_u8(ByteReader& in)
{
    auto v = in.u8();
    return v ? *v : 0;
}

std::uint16_t get_u16(ByteReader& in)
{
    auto v = in.u16();
    return v ? *v : 0;
}

void check(bool ok)
{
    if (!ok)
        std::abort();
}

Template make_router(crypto::Rng& rng, bool floodfill)
{
    auto keys = data::PrivateKeys::generate_router(rng);
    auto id = data::RouterIdentity::from(keys.identity());
    check(id.has_value());
    data::RouterAddress a;
    a.transport_style = "NTCP2";
    check(a.options.set("host", "127.0.0.1") && a.options.set("port", "9000"));
    data::Mapping m;
    check(m.set("caps", floodfill ? "XfR" : "XR") && m.set("netId", "99"));
    auto ri = data::RouterInfo::create(*id, t0, {a}, std::move(m), *keys.signing_key(), rng);
    check(ri.has_value());
    return {ri->ident_hash(), i2np::DatabaseEntryType::router_info, gzip_compress(ri->bytes())};
}

Template make_lease_set(crypto::Rng& rng)
{
    auto keys = data::PrivateKeys::generate_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    const auto dest = data::Destination::from(keys.identity());
    const auto published = std::uint32_t(t0.seconds());
    data::LeaseSet2Content c{{dest, published, 600, 0, std::nullopt}, {}, {}, {}};
    c.encryption_keys.push_back({4, std::vector<std::uint8_t>(32, 9)});
    c.leases.push_back({dest.ident_hash(), TunnelId(7), published + 600});
    auto ls = data::LeaseSet2::create(std::move(c), *keys.signing_key(), rng);
    check(ls.has_value());
    return {dest.ident_hash(),
            i2np::DatabaseEntryType::lease_set2,
            {ls->bytes().begin(), ls->bytes().end()}};
}

const World& world()
{
    static const World w = [] {
        World x;
        crypto::DeterministicRng rng(1);
        for (std::size_t i = 0; i + 1 < kTemplates; ++i)
            x.templates.push_back(make_router(rng, i < 3));
        x.templates.push_back(make_lease_set(rng));
        x.store.emplace(NetDbConfig{99, true, 16, 16}, t0);
        for (std::size_t i = 0; i < 3; ++i) {
            auto raw = gzip_decompress(x.templates[i].data, 65536);
            check(raw && x.store->store_router_info(*raw, t0).has_value());
        }
        for (std::size_t i = 0; i < kPeers; ++i)
            x.peers.push_back(i < 3 ? x.templates[i].key : IdentHash({std::uint8_t(i + 1)}));
        return x;
    }();
    return w;
}

i2np::DatabaseStore template_store(const World& w, ByteReader& in)
{
    const auto& t = w.templates[get_u8(in) % kTemplates];
    const std::uint8_t flags = get_u8(in);
    i2np::DatabaseStore s{t.key, t.type, 0, std::nullopt, t.data};
    if (flags & 1) // the wrong key
        s.key = w.templates[(flags >> 5) % kTemplates].key;
    if (flags & 2)
        s.reply = i2np::StoreReply{MessageId(flags | 1u), TunnelId(flags & 4 ? 5 : 0), w.peers[0]};
    return s;
}

i2np::DatabaseLookup template_lookup(const World& w, ByteReader& in)
{
    const std::uint8_t idx = get_u8(in);
    const std::uint8_t flags = get_u8(in);
    i2np::DatabaseLookup l;
    l.key = idx < kTemplates ? w.templates[idx].key : IdentHash({idx});
    l.from = w.peers[flags % kPeers];
    l.lookup_type = i2np::LookupType(flags & 3);
    if (flags & 4)
        l.reply_tunnel = TunnelId(9);
    for (std::size_t i = 0; i < std::size_t(flags >> 4); ++i)
        l.excluded_peers.push_back(i % 4 == 3 ? IdentHash{} : w.templates[i % kTemplates].key);
    return l;
}

void check_outbox(const Outbox& out, const FloodfillEngine& engine)
{
    check(out.size() <= 1 + engine.config().flood_fanout);
    for (const auto& m : out)
        check(m.message.payload.size() <= i2np::kMaxPayloadSize);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const World& w = world();
    NetDbStore store = *w.store;
    crypto::DeterministicRng rng(2);
    FloodfillEngine engine(store, IdentHash({0xee}), {.floodfill = true});
    WallTime now{t0.ms + 60'000};
    ByteReader in(Bytes(data, size));
    while (in.remaining() >= 2) {
        const std::uint8_t op = get_u8(in);
        const IdentHash& peer = w.peers[get_u8(in) % kPeers];
        const auto arrival = op & 0x80 ? StoreArrival::tunnel : StoreArrival::direct;
        Outbox out;
        switch (op % 6) {
        case 0:
        case 1: {
            const std::size_t want = get_u16(in); // read before remaining()
            const std::size_t len = std::min(want, in.remaining());
            const auto body = *in.bytes(len);
            if (op % 6 == 0) {
                if (auto s = i2np::DatabaseStore::parse(body))
                    out = engine.on_database_store(peer, *s, now, rng, arrival);
            } else if (auto l = i2np::DatabaseLookup::parse(body)) {
                out = engine.on_database_lookup(peer, *l, now, rng);
            }
            break;
        }
        case 2:
            now.ms += std::int64_t(get_u16(in)) * 1000;
            break;
        case 3:
            engine.set_floodfill(!engine.floodfill());
            break;
        case 4:
            out = engine.on_database_store(peer, template_store(w, in), now, rng, arrival);
            break;
        case 5:
            out = engine.on_database_lookup(peer, template_lookup(w, in), now, rng);
            break;
        }
        check_outbox(out, engine);
        check(store.size() <= 16 && store.lease_set_count() <= 16);
    }
    return 0;
}
