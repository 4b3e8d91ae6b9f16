// su3: a parsed file's fields lie inside the input and add up to it exactly; opening it as a
// reseed bundle (signature not checked) stays within the zip caps.
#include <cstdlib>

#include "netdb/reseed/reseed.h"

namespace {
void require(bool ok)
{
    if (!ok) {
        std::abort();
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const umbra::Bytes input(data, size);
    if (auto su3 = umbra::reseed::parse_su3(input)) {
        require(su3->signed_part.data() == data);
        require(su3->signed_part.size() + su3->signature.size() == size);
        require(su3->content.data() + su3->content.size() == su3->signature.data());
        require(su3->version.size() <= 255 && su3->signer_id.size() <= 255);
    }
    umbra::reseed::ZipLimits limits;
    limits.max_entries = 64;
    limits.max_entry_size = 16 * 1024;
    limits.max_total_size = 256 * 1024;
    if (auto bundle = umbra::reseed::open_reseed(input, {}, false, limits)) {
        require(!bundle->verified && bundle->router_infos.size() <= limits.max_entries);
        for (const auto& [name, ri] : bundle->router_infos) {
            require(umbra::reseed::is_router_info_name(name) && ri.size() <= limits.max_entry_size);
        }
    }
    return 0;
}
