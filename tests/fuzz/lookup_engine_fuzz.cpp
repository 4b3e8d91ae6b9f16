// lookup_engine: drives netdb::NetDbClient with operations read from the input. Replies are
// either I2NP payloads parsed from the input or search replies/stores built to answer a request
// the engine sent (so the fuzzer reaches the iterative paths without guessing hashes). Aborts if
// the engine's state outgrows its caps or time runs backwards in its deadlines.
#include <cstdlib>
#include <vector>

#include "netdb/lookup/client.h"
#include "router/base/gzip.h"
#include "router/data/i2np/payload.h"
#include "router/data/private_keys.h"

namespace {

using namespace umbra;
using namespace umbra::netdb;

void require(bool ok)
{
    if (!ok) {
        std::abort();
    }
}

constexpr std::uint8_t net_id = 99;
constexpr WallTime t0{1'700'000'000'000};
constexpr std::size_t router_count = 8; // 0: us; 1-4: floodfills; 5-7: others

struct Pool {
    std::vector<IdentHash> hashes;
    std::vector<std::vector<std::uint8_t>> ris;
};

const Pool& pool()
{
    static const Pool p = [] {
        crypto::DeterministicRng rng(5);
        Pool out;
        for (std::size_t i = 0; i < router_count; ++i) {
            auto keys = data::PrivateKeys::generate_router(rng);
            auto id = data::RouterIdentity::from(keys.identity());
            data::RouterAddress a;
            a.cost = 3;
            a.transport_style = "NTCP2";
            require(a.options.set("host", "127.0.0.1") && a.options.set("port", "9000") &&
                    a.options.set("v", "2"));
            data::Mapping m;
            require(m.set("caps", i >= 1 && i <= 4 ? "XfR" : "XR") && m.set("netId", "99") &&
                    m.set("router.version", "0.9.67"));
            auto ri = data::RouterInfo::create(*id, t0, {a}, m, *keys.signing_key(), rng);
            require(ri.has_value());
            out.hashes.push_back(ri->ident_hash());
            out.ris.emplace_back(ri->bytes().begin(), ri->bytes().end());
        }
        return out;
    }();
    return p;
}

class Input {
public:
    Input(const std::uint8_t* d, std::size_t n) : d_(d), n_(n) {}
    bool empty() const { return i_ >= n_; }
    std::uint8_t byte() { return i_ < n_ ? d_[i_++] : 0; }
    Bytes take(std::size_t n)
    {
        n = std::min(n, n_ - std::min(i_, n_));
        Bytes b(d_ + i_, n);
        i_ += n;
        return b;
    }
    // A pool router, or 32 bytes from the input (high bit of the selector).
    IdentHash hash()
    {
        const std::uint8_t s = byte();
        if (s & 0x80) {
            std::array<std::uint8_t, 32> h{};
            const auto b = take(32);
            std::copy(b.begin(), b.end(), h.begin());
            return IdentHash(h);
        }
        return pool().hashes[s % router_count];
    }

private:
    const std::uint8_t* d_;
    std::size_t n_;
    std::size_t i_ = 0;
};

struct Engine {
    crypto::DeterministicRng rng{1};
    NetDbStore db{NetDbConfig{net_id, false, 64, 64}, WallTime{t0.ms - 7'200'000}};
    NetDbClient client;
    WallTime now = t0;
    std::vector<OutMessage> sent; // the last 64 messages the engine sent

    explicit Engine(const ClientConfig& c) : client(db, pool().hashes[0], c)
    {
        for (std::size_t i = 1; i <= 4; ++i) {
            require(db.store_router_info(pool().ris[i], t0).has_value());
        }
    }
    void take(Outbox out)
    {
        for (auto& m : out) {
            sent.push_back(std::move(m));
        }
        if (sent.size() > 64) {
            sent.erase(sent.begin(), sent.end() - 64);
        }
    }
    void reply(const IdentHash& from, const i2np::Payload& p)
    {
        Handled h;
        if (const auto* st = std::get_if<i2np::DatabaseStore>(&p)) {
            h = client.on_database_store(from, *st, now, rng);
        } else if (const auto* r = std::get_if<i2np::DatabaseSearchReply>(&p)) {
            h = client.on_search_reply(from, *r, now, rng);
        } else if (const auto* s = std::get_if<i2np::DeliveryStatus>(&p)) {
            h = client.on_delivery_status(from, *s, now, rng);
        }
        take(std::move(h.out));
    }
    // Answers a request the engine sent: a search reply naming peers, or a store of an entry.
    void answer(Input& in)
    {
        if (sent.empty()) {
            return;
        }
        const OutMessage& m = sent[in.byte() % sent.size()];
        const auto p = i2np::parse_payload(m.message);
        require(p.has_value());
        if (const auto* dl = std::get_if<i2np::DatabaseLookup>(&*p)) {
            if (in.byte() & 1) {
                i2np::DatabaseSearchReply r{dl->key, {}, m.to};
                for (std::size_t n = in.byte() % 24; n > 0; --n) {
                    r.peers.push_back(in.hash());
                }
                reply(m.to, r);
            } else {
                i2np::DatabaseStore s;
                s.key = dl->key;
                const std::size_t which = in.byte() % router_count;
                s.data = gzip_compress(pool().ris[which]);
                reply(m.to, s);
            }
        } else if (const auto* st = std::get_if<i2np::DatabaseStore>(&*p); st && st->reply) {
            reply(m.to, i2np::DeliveryStatus{st->reply->token, now});
        }
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    Input in(data, size);
    ClientConfig config;
    config.lookup.max_lookups = 16;
    Engine e(config);
    e.take(e.client.start(e.now, e.rng));
    for (int ops = 0; !in.empty() && ops < 512; ++ops) {
        switch (in.byte() % 6) {
        case 0: {
            const auto type = static_cast<i2np::LookupType>(in.byte() % 4);
            auto s = e.client.lookup(in.hash(), type, e.now, e.rng);
            e.take(std::move(s.out));
            break;
        }
        case 1: { // an I2NP payload from the input, from some router
            const auto type = static_cast<i2np::MessageType>(in.byte());
            const std::size_t len = in.byte() | std::size_t(in.byte()) << 8;
            const IdentHash from = in.hash();
            if (auto p = i2np::parse_payload(type, in.take(len))) {
                e.reply(from, *p);
            }
            break;
        }
        case 2:
            e.answer(in);
            break;
        case 3: {
            const auto next = e.client.next_deadline();
            require(!next || next->ms >= e.now.ms - 1); // nothing left overdue after on_timer
            e.now.ms += std::int64_t(in.byte()) * 250;
            e.take(e.client.on_timer(e.now, e.rng));
            break;
        }
        case 4:
            e.take(e.client.set_router_info(pool().ris[0], t0, e.now, e.rng));
            break;
        default:
            e.client.take_results();
            break;
        }
        const auto& t = e.client.table();
        require(t.size() <= config.lookup.max_lookups);
        require(t.candidate_count() <= config.lookup.max_lookups * config.lookup.max_candidates);
        require(e.db.size() <= 64);
    }
    return 0;
}
