# Fuzz targets for tunnels/transit/: delivery instructions (round trip) and the outbound
# endpoint (decrypted tunnel messages through layer crypto, checksum, reassembly; bounded state).
umbra_fuzz_target(delivery_instructions DEPS umbra_tunnel_transit)
umbra_fuzz_target(tunnel_endpoint DEPS umbra_tunnel_transit)
# Transit admission: the previous-hop check, the table limit and the congestion caps' timing.
umbra_fuzz_target(transit_admission DEPS umbra_tunnel_transit)
