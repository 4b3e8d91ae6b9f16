# NTCP2 handshake engines (router/transport/ntcp2/initiator.cpp, responder.cpp): a Responder and
# an Initiator with fixed keys, randomness and clocks read the input in the sizes they ask for.
# Seeds are real transcripts and their truncations, written by
# ntcp2_tests --run_test=ntcp2_handshake_corpus/writes_fuzz_seed_corpus (from the repo root).
umbra_fuzz_target(ntcp2_responder DEPS umbra_ntcp2)
umbra_fuzz_target(ntcp2_initiator DEPS umbra_ntcp2)
