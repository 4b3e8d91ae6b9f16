#include "router/base/log.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace umbra {

namespace {

constexpr std::array<std::string_view, 6> level_names = {"none", "critical", "error",
                                                         "warn", "info",     "debug"};

bool equals_ignoring_case(std::string_view a, std::string_view b)
{
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        const char c = a[i] >= 'A' && a[i] <= 'Z' ? char(a[i] - 'A' + 'a') : a[i];
        if (c != b[i]) {
            return false;
        }
    }
    return true;
}

// "YYYY-MM-DD HH:MM:SS.mmm" in UTC, so lines from routers in different zones sort together.
void append_timestamp(std::string& line)
{
    using namespace std::chrono;
    const auto now = time_point_cast<milliseconds>(system_clock::now());
    const std::time_t secs = system_clock::to_time_t(time_point_cast<seconds>(now));
    const auto ms = static_cast<int>((now.time_since_epoch() % seconds(1)).count());
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[40];
    const int n =
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%03d", tm.tm_year + 1900,
                      tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
    line.append(buf, static_cast<std::size_t>(n));
}

// Text may carry names chosen by remote peers; escaping control characters keeps one write one
// line, so a peer cannot forge log lines.
void append_escaped(std::string& line, std::string_view text)
{
    static constexpr char hex[] = "0123456789abcdef";
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7f) {
            line += "\\x";
            line += hex[c >> 4];
            line += hex[c & 15];
        } else {
            line += ch;
        }
    }
}

} // namespace

// i2pd's names (option "loglevel"), plus "warning", the spelling people type. Case is ignored.
bool parse_log_level(std::string_view text, LogLevel& out)
{
    for (std::size_t i = 0; i < level_names.size(); ++i) {
        if (equals_ignoring_case(text, level_names[i])) {
            out = static_cast<LogLevel>(i);
            return true;
        }
    }
    if (equals_ignoring_case(text, "warning")) {
        out = LogLevel::warn;
        return true;
    }
    return false;
}

std::string_view to_string(LogLevel level)
{
    const auto i = static_cast<std::size_t>(level);
    return i < level_names.size() ? level_names[i] : "unknown";
}

Logger::~Logger()
{
    if (owns_) {
        std::fclose(out_);
    }
}

bool Logger::open_file(const std::string& path)
{
    std::FILE* f = std::fopen(path.c_str(), "a");
    if (f == nullptr) {
        return false;
    }
    std::lock_guard lock(mutex_);
    if (owns_) {
        std::fclose(out_);
    }
    out_ = f;
    owns_ = true;
    return true;
}

void Logger::use_stderr()
{
    std::lock_guard lock(mutex_);
    if (owns_) {
        std::fclose(out_);
    }
    out_ = stderr;
    owns_ = false;
}

void Logger::write(LogLevel level, std::string_view component, std::string_view text)
{
    if (!enabled(level)) {
        return;
    }
    std::string line;
    line.reserve(32 + component.size() + text.size());
    append_timestamp(line);
    line += ' ';
    line += to_string(level);
    line += ' ';
    append_escaped(line, component);
    line += ": ";
    append_escaped(line, text);
    line += '\n';
    // One fwrite per line under the lock; flushed so the last lines survive a crash.
    std::lock_guard lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), out_);
    std::fflush(out_);
}

} // namespace umbra
