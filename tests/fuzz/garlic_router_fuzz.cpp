// garlic_router: the router's garlic inbox with a fixed static key. The input is tried three
// ways: as a Garlic body (the checks before the MAC), sealed to our key as a one-time message,
// and sealed with a registered reply tag (the parsing and checks behind the MAC). Sealed inputs
// must decrypt to exactly what parse_blocks makes of them.
#include <cstdlib>

#include "router/garlic/inbox.h"
#include "router/garlic/testing.h"

namespace {

using namespace umbra;
using namespace umbra::garlic;

constexpr WallTime kNow{1'700'000'000'000};

// Inside the DateTime window when the input starts with a DateTime block, so accepted
// messages reach the replay cache.
WallTime clock_for(const Result<std::vector<Block>>& parsed)
{
    if (parsed && !parsed->empty()) {
        if (const auto* dt = std::get_if<DateTimeBlock>(&parsed->front())) {
            return WallTime{std::int64_t{dt->seconds} * 1000};
        }
    }
    return kNow;
}

void check_same(const Result<std::vector<GarlicClove>>& got,
                const Result<std::vector<Block>>& parsed)
{
    if (got && !parsed) {
        std::abort();
    }
    if (got) {
        auto blocks = *parsed;
        if (take_cloves(blocks) != *got) {
            std::abort();
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const auto keys = testing::router_keys();
    const Bytes input(data, size);
    GarlicRouterInbox inbox(keys.private_key.clone(), {}, 4);
    crypto::DeterministicRng rng(size);
    const auto parsed = parse_blocks(input);
    const WallTime now = clock_for(parsed);

    (void)inbox.on_garlic(i2np::Garlic{{input.begin(), input.end()}}, now);

    if (auto sealed = seal_for_router(keys.public_key, input, rng)) {
        check_same(inbox.on_garlic(*sealed, now), parsed);
        // The same message again is a replay or fails as before.
        if (auto again = inbox.on_garlic(*sealed, now)) {
            std::abort();
        }
    }

    auto reply_keys = inbox.reply_keys().create(rng, WallTime{now.ms + 60'000}, now);
    if (reply_keys) {
        const crypto::Key32 key(reply_keys->key);
        if (auto sealed = seal_with_tag(key, reply_keys->tags[0], input)) {
            check_same(inbox.on_garlic(*sealed, now), parsed);
        }
    }
    return 0;
}
