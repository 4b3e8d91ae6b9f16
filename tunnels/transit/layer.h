// Tunnel layer encryption for every role (docs/tunnels/implementation.html "Tunnel Operation"):
// a hop (participant, inbound gateway, outbound endpoint) encrypts one layer with
// crypto::TunnelLayerCipher; the creator removes or pre-applies all of them with CreatorLayers.
#pragma once
#include <span>
#include <vector>

#include "crypto/tunnel_layer.h"
#include "tunnels/build/hop_keys.h"

namespace umbra::tunnels {

using crypto::TunnelBlock;
using crypto::TunnelLayerCipher;

// The one layer a transit hop applies ("Decrypt (using an encryption operation)").
TunnelLayerCipher hop_layer(const HopKeys& keys);

// The creator's side of one of its tunnels, keyed once when the tunnel is built.
//   outbound gateway: "iteratively encrypt (using decryption operations)" so that after every
//   hop has encrypted its layer the outbound endpoint sees the plaintext;
//   inbound endpoint: "iteratively decrypt" what the inbound gateway and participants encrypted.
// Both undo the hops' encryptions last hop first, so one class serves both.
class CreatorLayers {
public:
    // hops in tunnel order: for an outbound tunnel the first hop after us up to the outbound
    // endpoint; for an inbound tunnel the inbound gateway up to the hop before us.
    explicit CreatorLayers(std::span<const HopKeys> hops);

    std::size_t hops() const { return layers_.size(); }
    // All layers, in place.
    void apply(TunnelBlock block);

private:
    std::vector<TunnelLayerCipher> layers_; // decrypting, last hop first
};

} // namespace umbra::tunnels
