# Fuzz targets for tunnels/build/ (tunnel-creation-ecies.rst). build_record: cleartext request
# and reply records, parse -> write -> parse must agree. build_hop: the hop side with fixed keys
# and clock; the fuzzing build accepts records whose AEAD tag fails (tunnels/build/
# CMakeLists.txt), so inputs reach the record parser. Seeds:
#   tunnel_build_tests --run_test=tunnel_build_corpus   (from the repository root)
umbra_fuzz_target(build_record DEPS umbra_tunnel_build)
umbra_fuzz_target(build_hop DEPS umbra_tunnel_build)
