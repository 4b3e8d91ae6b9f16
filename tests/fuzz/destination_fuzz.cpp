// Destination::parse on a prefix of the input; the structure rebuilt from the parsed keys, the
// input's padding and the parsed certificate must equal the bytes consumed.
#include <algorithm>
#include <cstdlib>

#include "router/data/keys_and_cert.h"

namespace {

std::vector<std::uint8_t> rebuild(const umbra::data::Destination& d, umbra::Bytes in)
{
    using namespace umbra::data;
    std::vector<std::uint8_t> out(in.begin(), in.begin() + key_area_size); // padding source
    const auto crypto_key = d.crypto_public_key();
    std::copy(crypto_key.begin(), crypto_key.end(), out.begin());
    const auto signing_key = d.signing_public_key();
    const std::size_t in_slot = std::min(signing_key.size(), signing_slot_size);
    std::copy_n(signing_key.begin(), in_slot, out.end() - std::ptrdiff_t(in_slot));
    umbra::ByteWriter w;
    d.certificate().write(w);
    out.insert(out.end(), w.view().begin(), w.view().end());
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const umbra::Bytes in(data, size);
    umbra::ByteReader r(in);
    const auto d = umbra::data::Destination::parse(r);
    if (!d) {
        return 0;
    }
    const auto out = rebuild(*d, in);
    const auto consumed = r.consumed();
    if (!std::equal(out.begin(), out.end(), consumed.begin(), consumed.end()) ||
        d->size() != consumed.size()) {
        std::abort();
    }
    const auto again = umbra::data::Destination::from_bytes(d->bytes());
    if (!again || again->ident_hash() != d->ident_hash()) {
        std::abort();
    }
    return 0;
}
