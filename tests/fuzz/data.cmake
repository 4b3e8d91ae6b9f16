# router/data/ parsers (common-structures.rst): each target parses, and on success writes the
# structure again and aborts unless the bytes are identical.
umbra_fuzz_target(router_info DEPS umbra_data)
umbra_fuzz_target(lease_set2 DEPS umbra_data)
umbra_fuzz_target(destination DEPS umbra_data)
umbra_fuzz_target(mapping DEPS umbra_data)
umbra_fuzz_target(private_keys DEPS umbra_data)
