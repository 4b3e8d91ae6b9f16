#include "tunnels/transit/layer.h"

namespace umbra::tunnels {

TunnelLayerCipher hop_layer(const HopKeys& keys)
{
    return TunnelLayerCipher(keys.layer_key.bytes(), keys.iv_key.bytes(),
                             TunnelLayerCipher::Direction::encrypt);
}

CreatorLayers::CreatorLayers(std::span<const HopKeys> hops)
{
    layers_.reserve(hops.size());
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
        layers_.emplace_back(it->layer_key.bytes(), it->iv_key.bytes(),
                             TunnelLayerCipher::Direction::decrypt);
    }
}

void CreatorLayers::apply(TunnelBlock block)
{
    for (auto& layer : layers_) {
        layer.apply(block);
    }
}

} // namespace umbra::tunnels
