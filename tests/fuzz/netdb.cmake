# Fuzz targets for the netdb messages (router/data/i2np/) and the floodfill engine (netdb/floodfill/).
umbra_fuzz_target(database_store DEPS umbra_i2np)
umbra_fuzz_target(database_lookup DEPS umbra_i2np)
umbra_fuzz_target(database_search_reply DEPS umbra_i2np)
umbra_fuzz_target(floodfill_engine DEPS umbra_netdb_floodfill)
