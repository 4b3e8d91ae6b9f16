// The umbra executable: parse the configuration, then hand over to the composition root.
#include <cstdio>
#include <exception>

#include "router/app/config.h"
#include "router/app/daemon.h"

int main(int argc, char** argv)
{
    try {
        const auto outcome = umbra::app::parse_config(argc, argv);
        if (!outcome.config) {
            std::fputs(outcome.message.c_str(), stdout);
            return 0;
        }
        return umbra::app::run_daemon(*outcome.config);
    } catch (const umbra::app::ConfigError& e) {
        std::fprintf(stderr, "umbra: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "umbra: fatal: %s\n", e.what());
        return 1;
    }
}
