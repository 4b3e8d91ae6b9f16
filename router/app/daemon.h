// The composition root (ARCHITECTURE.md §1): builds every object in an explicit start order,
// runs the network io_context until SIGINT/SIGTERM, and shuts down in reverse order.
#pragma once
#include "router/app/config.h"

namespace umbra::app {

// Runs the router; returns the process exit code. Start-up failures (data dir, key files)
// are reported on stderr and in the log with what to do, and give a non-zero code.
int run_daemon(const Config& config);

} // namespace umbra::app
