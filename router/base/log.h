// Logging: levels as in i2pd (none, critical, error, warn, info, debug), to stdout, stderr or a
// file. The Logger is owned by the composition root and passed by reference; parsers never log.
#pragma once
#include <cstdio>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>

namespace umbra {

enum class LogLevel { none = 0, critical, error, warn, info, debug };

// "none", "critical", "error", "warn", "info", "debug" (i2pd's names); false if unknown.
bool parse_log_level(std::string_view text, LogLevel& out);
std::string_view to_string(LogLevel level);

class Logger {
public:
    Logger() = default; // stdout, info
    ~Logger();
    Logger(const Logger&) = delete;
    Logger& operator=(const Logger&) = delete;

    void set_level(LogLevel level) { level_ = level; }
    LogLevel level() const { return level_; }
    // Opens path for appending; returns false (and keeps the current sink) if it cannot.
    bool open_file(const std::string& path);
    void use_stderr();

    bool enabled(LogLevel level) const { return level != LogLevel::none && level <= level_; }
    // One line: "<UTC time> <level> <component>: <text>".
    void write(LogLevel level, std::string_view component, std::string_view text);

private:
    LogLevel level_ = LogLevel::info;
    std::FILE* out_ = stdout;
    bool owns_ = false;
    std::mutex mutex_; // lines from a crypto pool thread must not interleave
};

} // namespace umbra

// UMBRA_LOG(logger, info, "ntcp2", "session with " << peer << " closed: " << reason);
#define UMBRA_LOG(logger, lvl, component, expr)                                                    \
    do {                                                                                           \
        if ((logger).enabled(::umbra::LogLevel::lvl)) {                                            \
            std::ostringstream umbra_log_os_;                                                      \
            umbra_log_os_ << expr;                                                                 \
            (logger).write(::umbra::LogLevel::lvl, component, umbra_log_os_.str());                \
        }                                                                                          \
    } while (false)
