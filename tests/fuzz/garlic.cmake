# Fuzz targets for router/garlic/: the payload block parser, and the to-router / reply decryption.
# garlic_router needs no MAC bypass: besides feeding the input as a message, it seals the input
# as a plaintext with fixed keys, so the checks behind the MAC run on fuzzed payloads too.
# Seeds: small payloads in the layouts of ecies.rst "5) Payload".
umbra_fuzz_target(garlic_blocks DEPS umbra_garlic)
umbra_fuzz_target(garlic_router DEPS umbra_garlic)
