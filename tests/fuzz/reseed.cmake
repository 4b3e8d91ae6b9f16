# Fuzz targets for netdb/reseed/ (su3 container, zip reader), with signature checks off.
umbra_fuzz_target(su3 DEPS umbra_reseed)
umbra_fuzz_target(zip DEPS umbra_reseed)
