# Fuzz targets for router/base/ parsers.
umbra_fuzz_target(base64 DEPS umbra_base)
umbra_fuzz_target(base32 DEPS umbra_base)
umbra_fuzz_target(gzip DEPS umbra_base)
