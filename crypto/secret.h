// Secrets: fixed-size byte arrays wiped on destruction, move-only, no operator== (compare with
// constant_time_equal). ARCHITECTURE.md §6.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace umbra::crypto {

using Bytes = std::span<const std::uint8_t>;
using MutableBytes = std::span<std::uint8_t>;

// Overwrites memory in a way the compiler may not elide (OPENSSL_cleanse).
void secure_wipe(void* p, std::size_t n) noexcept;

// Constant-time comparison of equal-length buffers (CRYPTO_memcmp). Different lengths: false.
bool constant_time_equal(Bytes a, Bytes b) noexcept;

template <std::size_t N> class SecretArray {
public:
    SecretArray() = default;
    explicit SecretArray(Bytes b) { set(b); }
    ~SecretArray() { secure_wipe(data_.data(), N); }
    SecretArray(const SecretArray&) = delete;
    SecretArray& operator=(const SecretArray&) = delete;
    SecretArray(SecretArray&& o) noexcept : data_(o.data_) { secure_wipe(o.data_.data(), N); }
    SecretArray& operator=(SecretArray&& o) noexcept
    {
        data_ = o.data_;
        secure_wipe(o.data_.data(), N);
        return *this;
    }

    // An explicit copy, so copies of secrets are visible in the code.
    SecretArray clone() const
    {
        SecretArray c;
        c.data_ = data_;
        return c;
    }
    // Copies exactly N bytes from b; aborts if the size differs (a caller bug, not input).
    void set(Bytes b);

    static constexpr std::size_t size() { return N; }
    std::uint8_t* data() { return data_.data(); }
    const std::uint8_t* data() const { return data_.data(); }
    Bytes bytes() const { return data_; }
    MutableBytes mutable_bytes() { return data_; }

private:
    std::array<std::uint8_t, N> data_{};
};

void abort_size_mismatch() noexcept;

template <std::size_t N> void SecretArray<N>::set(Bytes b)
{
    if (b.size() != N) {
        abort_size_mismatch();
    }
    for (std::size_t i = 0; i < N; ++i) {
        data_[i] = b[i];
    }
}

using Key32 = SecretArray<32>;
using Hash32 = std::array<std::uint8_t, 32>;
using Hash64 = std::array<std::uint8_t, 64>;

} // namespace umbra::crypto
