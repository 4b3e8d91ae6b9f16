// Keyed layer contexts for the busiest transit tunnels of one shard. OpenSSL 3 spends about
// 650 heap bytes on each keyed AES context and a hop needs two, which alone is over the 512-byte
// budget per transit tunnel (issue 5 "Benchmark"). So a transit tunnel keeps only its two keys
// (64 bytes) and a slot hint; this cache keeps at most `capacity` keyed ciphers. A tunnel whose
// cipher is cached runs with no key setup; a miss rekeys a victim chosen by the CLOCK algorithm
// (two AES key expansions, about 0.2 us, no allocation).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "crypto/secret.h"
#include "crypto/tunnel_layer.h"

namespace umbra::tunnels {

inline constexpr std::uint32_t kNoSlot = 0xffffffff;

struct LayerCacheCounters {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0; // rekeyed (or created while below capacity)
};

class LayerCache {
public:
    explicit LayerCache(std::size_t capacity, crypto::TunnelLayerCipher::Direction dir =
                                                  crypto::TunnelLayerCipher::Direction::encrypt);

    // The cipher keyed for tunnel `id` (nonzero); `slot` is the tunnel's hint, updated on a miss.
    crypto::TunnelLayerCipher& get(std::uint32_t id, std::uint32_t& slot,
                                   const crypto::Key32& layer_key, const crypto::Key32& iv_key);
    // The tunnel is gone: its slot is reused first, and its key schedules are overwritten.
    void forget(std::uint32_t id, std::uint32_t slot);

    std::size_t size() const { return entries_.size(); }
    std::size_t capacity() const { return capacity_; }
    const LayerCacheCounters& counters() const { return counters_; }

private:
    struct Entry {
        crypto::TunnelLayerCipher cipher;
        std::uint32_t id = 0; // 0: free
        bool referenced = false;
    };
    std::size_t victim();

    std::size_t capacity_;
    crypto::TunnelLayerCipher::Direction dir_;
    std::vector<Entry> entries_;
    std::vector<std::uint32_t> free_; // forgotten slots, reused before growing or evicting
    std::size_t hand_ = 0;
    LayerCacheCounters counters_;
};

} // namespace umbra::tunnels
