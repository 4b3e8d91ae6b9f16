// database_search_reply: the DatabaseSearchReply payload parser (i2np.rst "DatabaseSearchReply").
// Whatever parses must serialize back to the input bytes.
#include "router/data/i2np/payload.h"
#include "tests/fuzz/round_trip.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    return umbra::fuzz::parse_serialize_round_trip<umbra::i2np::DatabaseSearchReply>(data, size);
}
