#include "tunnels/transit/endpoint.h"

#include <algorithm>
#include <cstring>

#include "crypto/hash.h"
#include "crypto/tunnel_layer.h"
#include "router/data/i2np/header.h"

namespace umbra::tunnels {

namespace {

constexpr std::size_t kIvSize = crypto::tunnel_iv_size;
constexpr std::size_t kChecksumSize = 4;

} // namespace

Endpoint::~Endpoint()
{
    budget_->bytes -= bytes_;
    for (const auto& [id, p] : partials_) {
        budget_->fragments -= p.fragments.size();
    }
}

// tunnel-message.rst "Tunnel Message (Decrypted)": the pairs start after the first zero byte
// that follows the checksum; checksum = SHA-256(pairs || IV)[0..4].
bool Endpoint::check(Bytes iv, Bytes data, std::size_t& pairs_at)
{
    const auto zero = std::find(data.begin() + kChecksumSize, data.end(), std::uint8_t{0});
    if (zero == data.end()) {
        ++counters_.malformed;
        return false;
    }
    pairs_at = std::size_t(zero - data.begin()) + 1;
    crypto::Sha256 h;
    h.update(data.subspan(pairs_at));
    h.update(iv);
    const auto digest = h.finish();
    if (std::memcmp(digest.data(), data.data(), kChecksumSize) != 0) {
        ++counters_.bad_checksum;
        return false;
    }
    return true;
}

void Endpoint::on_block(Bytes block, SteadyTime now, MessageSink& sink)
{
    ++counters_.blocks;
    if (block.size() != crypto::tunnel_block_size) {
        ++counters_.malformed;
        return;
    }
    const Bytes iv = block.first(kIvSize);
    const Bytes data = block.subspan(kIvSize);
    std::size_t pairs_at = 0;
    if (!check(iv, data, pairs_at)) {
        return;
    }
    ByteReader in(data.subspan(pairs_at));
    while (!in.empty()) {
        auto di = DeliveryInstructions::read(in);
        if (!di) {
            ++counters_.malformed;
            return;
        }
        auto fragment = in.bytes(di->size);
        if (!fragment) {
            ++counters_.malformed;
            return;
        }
        on_fragment(*di, *fragment, now, sink);
    }
}

void Endpoint::on_fragment(const DeliveryInstructions& di, Bytes fragment, SteadyTime now,
                           MessageSink& sink)
{
    if (!di.follow_on && !di.fragmented) {
        ++counters_.messages;
        sink.on_message(di.delivery, std::vector<std::uint8_t>(fragment.begin(), fragment.end()));
        return;
    }
    const std::uint8_t number = di.follow_on ? di.fragment_number : 0;
    const std::size_t cost = fragment.size() + ReassemblyBudget::kFragmentOverhead;
    Partial* p = partial_for(di.message_id, cost, now);
    if (p == nullptr) {
        ++counters_.over_limit;
        return;
    }
    if ((p->have >> number) & 1) {
        ++counters_.duplicates;
        return;
    }
    const bool contradicts =
        di.last ? (p->last != 0 || (p->have >> number) != 0) : (p->last != 0 && number >= p->last);
    if (contradicts) {
        ++counters_.inconsistent;
        drop(partials_.find(di.message_id.value()));
        return;
    }
    p->fragments.push_back({number, std::vector<std::uint8_t>(fragment.begin(), fragment.end())});
    p->have |= std::uint64_t{1} << number;
    p->charged += cost;
    bytes_ += cost;
    budget_->bytes += cost;
    ++budget_->fragments;
    ++counters_.fragments;
    if (number == 0) {
        p->delivery = di.delivery;
    }
    if (di.last) {
        p->last = number;
    }
    if (p->last != 0 && p->have == (std::uint64_t{2} << p->last) - 1) {
        complete(di.message_id.value(), *p, sink);
    }
}

Endpoint::Partial* Endpoint::partial_for(MessageId id, std::size_t cost, SteadyTime now)
{
    auto it = partials_.find(id.value());
    if (it == partials_.end() && partials_.size() >= limits_.max_messages_per_tunnel) {
        evict_oldest();
    }
    while (bytes_ + cost > limits_.max_bytes_per_tunnel && !partials_.empty()) {
        evict_oldest();
        it = partials_.find(id.value());
    }
    if (bytes_ + cost > limits_.max_bytes_per_tunnel ||
        budget_->bytes + cost > budget_->max_bytes) {
        return nullptr;
    }
    if (it == partials_.end()) {
        it = partials_.emplace(id.value(), Partial{}).first;
        it->second.started = now;
    }
    return &it->second;
}

void Endpoint::complete(std::uint32_t id, Partial& p, MessageSink& sink)
{
    std::sort(p.fragments.begin(), p.fragments.end(),
              [](const Fragment& a, const Fragment& b) { return a.number < b.number; });
    std::size_t total = 0;
    for (const auto& f : p.fragments) {
        total += f.bytes.size();
    }
    const auto it = partials_.find(id);
    if (total > i2np::kMaxMessageSize) {
        ++counters_.over_limit;
        drop(it);
        return;
    }
    std::vector<std::uint8_t> message;
    message.reserve(total);
    for (const auto& f : p.fragments) {
        message.insert(message.end(), f.bytes.begin(), f.bytes.end());
    }
    const Delivery delivery = p.delivery;
    drop(it);
    ++counters_.messages;
    sink.on_message(delivery, std::move(message));
}

void Endpoint::drop(std::unordered_map<std::uint32_t, Partial>::iterator it)
{
    bytes_ -= it->second.charged;
    budget_->bytes -= it->second.charged;
    budget_->fragments -= it->second.fragments.size();
    partials_.erase(it);
}

void Endpoint::evict_oldest()
{
    auto oldest =
        std::min_element(partials_.begin(), partials_.end(), [](const auto& a, const auto& b) {
            return a.second.started < b.second.started;
        });
    ++counters_.over_limit;
    drop(oldest);
}

void Endpoint::expire(SteadyTime now)
{
    for (auto it = partials_.begin(); it != partials_.end();) {
        const auto next = std::next(it);
        if (now - it->second.started >= limits_.timeout) {
            ++counters_.expired;
            drop(it);
        }
        it = next;
    }
}

} // namespace umbra::tunnels
