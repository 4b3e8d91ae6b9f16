#include "tunnels/transit/layer_cache.h"

#include <array>

namespace umbra::tunnels {

LayerCache::LayerCache(std::size_t capacity, crypto::TunnelLayerCipher::Direction dir)
    : capacity_(capacity == 0 ? 1 : capacity), dir_(dir)
{
    entries_.reserve(capacity_);
}

// CLOCK: free entries first; otherwise the first entry not used since the hand last passed.
std::size_t LayerCache::victim()
{
    for (std::size_t steps = 0; steps < 2 * entries_.size(); ++steps) {
        Entry& e = entries_[hand_];
        const std::size_t at = hand_;
        hand_ = (hand_ + 1) % entries_.size();
        if (e.id == 0 || !e.referenced) {
            return at;
        }
        e.referenced = false;
    }
    return hand_; // unreachable: the second pass finds every entry unreferenced
}

crypto::TunnelLayerCipher& LayerCache::get(std::uint32_t id, std::uint32_t& slot,
                                           const crypto::Key32& layer_key,
                                           const crypto::Key32& iv_key)
{
    if (slot < entries_.size() && entries_[slot].id == id) {
        ++counters_.hits;
        entries_[slot].referenced = true;
        return entries_[slot].cipher;
    }
    ++counters_.misses;
    if (entries_.size() < capacity_ && free_.empty()) {
        entries_.push_back(
            {crypto::TunnelLayerCipher(layer_key.bytes(), iv_key.bytes(), dir_), id, true});
        slot = std::uint32_t(entries_.size() - 1);
        return entries_.back().cipher;
    }
    std::size_t at = 0;
    if (!free_.empty()) {
        at = free_.back();
        free_.pop_back();
    } else {
        at = victim();
    }
    Entry& e = entries_[at];
    e.cipher.rekey(layer_key.bytes(), iv_key.bytes());
    e.id = id;
    e.referenced = true;
    slot = std::uint32_t(at);
    return e.cipher;
}

void LayerCache::forget(std::uint32_t id, std::uint32_t slot)
{
    if (slot >= entries_.size() || entries_[slot].id != id) {
        return;
    }
    static constexpr std::array<std::uint8_t, 32> zero{};
    entries_[slot].cipher.rekey(zero, zero);
    entries_[slot].id = 0;
    entries_[slot].referenced = false;
    free_.push_back(slot);
}

} // namespace umbra::tunnels
