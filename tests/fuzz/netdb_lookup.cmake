# The netdb client engine (netdb/lookup/): a NetDbClient over a store of a few floodfills is
# driven by lookups, timer ticks and replies read from the input (DatabaseStore, search reply and
# DeliveryStatus payloads parsed by router/data/i2np, some aimed at the requests it sent).
umbra_fuzz_target(lookup_engine DEPS umbra_netdb_lookup)
