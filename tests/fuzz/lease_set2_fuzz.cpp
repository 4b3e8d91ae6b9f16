// The leaseset parsers, chosen by a first byte holding the DatabaseStore type (1 LeaseSet,
// 3 LeaseSet2, 5 EncryptedLeaseSet, 7 MetaLeaseSet); the fields written anew must equal the rest.
#include <algorithm>
#include <cstdlib>

#include "router/data/encrypted_lease_set.h"
#include "router/data/lease_set.h"
#include "router/data/lease_set2.h"
#include "router/data/meta_lease_set.h"

namespace {

template <class T> void round_trip(umbra::Bytes in)
{
    const auto parsed = T::parse(in);
    if (!parsed) {
        return;
    }
    const auto out = parsed->serialize();
    if (!std::equal(out.begin(), out.end(), in.begin(), in.end())) {
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace umbra::data;
    if (size == 0) {
        return 0;
    }
    const umbra::Bytes rest(data + 1, size - 1);
    switch (static_cast<LeaseSetType>(data[0])) {
    case LeaseSetType::lease_set:
        round_trip<LeaseSet>(rest);
        break;
    case LeaseSetType::lease_set2:
        round_trip<LeaseSet2>(rest);
        break;
    case LeaseSetType::encrypted_lease_set:
        round_trip<EncryptedLeaseSet>(rest);
        break;
    case LeaseSetType::meta_lease_set:
        round_trip<MetaLeaseSet>(rest);
        break;
    }
    return 0;
}
