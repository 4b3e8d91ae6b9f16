# Fuzz targets for router/data/i2np/: one per header format, each dispatching to the payload
# parsers and checking that whatever parses re-serializes to the same bytes.
umbra_fuzz_target(i2np_standard DEPS umbra_i2np)
umbra_fuzz_target(i2np_short DEPS umbra_i2np)
