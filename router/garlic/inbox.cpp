#include "router/garlic/inbox.h"

#include "router/garlic/error.h"

namespace umbra::garlic {

GarlicRouterInbox::GarlicRouterInbox(crypto::Key32 static_private, RouterDecryptor::Config config,
                                     std::size_t reply_capacity)
    : router_(std::move(static_private), config), replies_(reply_capacity)
{
}

Result<std::vector<GarlicClove>> GarlicRouterInbox::on_garlic(const i2np::Garlic& message,
                                                              WallTime now)
{
    const Bytes body = message.ciphertext;
    if (auto reply = replies_.try_decrypt(body, now)) {
        return count(std::move(*reply), counters_.replies);
    }
    return count(router_.decrypt(body, now), counters_.router_messages);
}

Result<std::vector<GarlicClove>> GarlicRouterInbox::count(Result<std::vector<Block>> blocks,
                                                          std::uint64_t& success)
{
    if (!blocks) {
        if (blocks.error() == make_error_code(Error::replayed)) {
            ++counters_.replayed;
        } else {
            ++counters_.rejected;
        }
        return blocks.error();
    }
    ++success;
    return take_cloves(*blocks);
}

} // namespace umbra::garlic
