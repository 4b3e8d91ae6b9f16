// VerifiedRouterInfos (handshake.h): digests of RouterInfos whose signature verified, so Bob
// does not verify the same bytes again ("3) SessionConfirmed": the RouterInfo must verify; the
// same bytes verified before verify again). An ordered set, like ReplayCache: the digests are
// of what a peer sent, so no hash table it could aim at. Oldest out first when full.
#include <deque>
#include <set>

#include "router/base/check.h"
#include "router/transport/ntcp2/handshake.h"

namespace umbra::ntcp2 {

struct VerifiedRouterInfos::Impl {
    std::size_t capacity;
    std::set<crypto::Hash32> digests;
    std::deque<crypto::Hash32> by_age;
    Vouch vouch;
    std::uint64_t vouched = 0;
};

VerifiedRouterInfos::VerifiedRouterInfos(std::size_t capacity)
    : impl_(std::make_unique<Impl>(Impl{capacity, {}, {}, {}, 0}))
{
    UMBRA_CHECK(capacity > 0);
}

VerifiedRouterInfos::~VerifiedRouterInfos() = default;

bool VerifiedRouterInfos::contains(const crypto::Hash32& digest) const
{
    return impl_->digests.contains(digest);
}

void VerifiedRouterInfos::insert(const crypto::Hash32& digest)
{
    auto& d = *impl_;
    if (!d.digests.insert(digest).second) {
        return;
    }
    d.by_age.push_back(digest);
    if (d.by_age.size() > d.capacity) {
        d.digests.erase(d.by_age.front());
        d.by_age.pop_front();
    }
}

std::size_t VerifiedRouterInfos::size() const
{
    return impl_->by_age.size();
}

void VerifiedRouterInfos::set_vouch(Vouch vouch)
{
    impl_->vouch = std::move(vouch);
}

bool VerifiedRouterInfos::vouched_for(const IdentHash& router, Bytes router_info)
{
    if (!impl_->vouch || !impl_->vouch(router, router_info)) {
        return false;
    }
    ++impl_->vouched;
    return true;
}

std::uint64_t VerifiedRouterInfos::vouched() const
{
    return impl_->vouched;
}

} // namespace umbra::ntcp2
