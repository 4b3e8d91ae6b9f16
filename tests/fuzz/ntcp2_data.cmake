# Fuzz targets for the NTCP2 data phase (router/transport/ntcp2/blocks.h, data_phase.h). Seeds:
# ntcp2_tests --run_test=ntcp2_data_corpus/writes_fuzz_seed_corpus, from the repository root.
umbra_fuzz_target(ntcp2_blocks DEPS umbra_ntcp2)
umbra_fuzz_target(ntcp2_frames DEPS umbra_ntcp2)
