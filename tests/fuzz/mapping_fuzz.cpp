// Mapping::parse in both key orders. A sorted parse must write back the bytes it consumed; an
// any-order parse must write a sorted mapping that a sorted parse reads back equal.
#include <algorithm>
#include <cstdlib>

#include "router/data/mapping.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace umbra::data;
    const umbra::Bytes in(data, size);
    umbra::ByteReader sorted_reader(in);
    if (const auto m = Mapping::parse(sorted_reader, KeyOrder::sorted)) {
        umbra::ByteWriter w;
        m->write(w);
        const auto consumed = sorted_reader.consumed();
        if (!std::equal(w.view().begin(), w.view().end(), consumed.begin(), consumed.end())) {
            std::abort();
        }
    }
    umbra::ByteReader any_reader(in);
    if (const auto m = Mapping::parse(any_reader, KeyOrder::any)) {
        umbra::ByteWriter w;
        m->write(w);
        umbra::ByteReader back_reader(w.view());
        const auto back = Mapping::parse(back_reader, KeyOrder::sorted);
        if (!back || !(*back == *m) || !back_reader.empty()) {
            std::abort();
        }
    }
    return 0;
}
