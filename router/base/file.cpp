#include "router/base/file.h"

#include <cerrno>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace umbra {

namespace {

bool write_all(int fd, std::span<const std::uint8_t> data)
{
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        data = data.subspan(static_cast<std::size_t>(n));
    }
    return true;
}

void fsync_directory(const std::filesystem::path& dir)
{
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd); // best effort: some filesystems refuse fsync on directories
        ::close(fd);
    }
}

} // namespace

Result<void> write_file_atomic(const std::filesystem::path& path,
                               std::span<const std::uint8_t> data, unsigned mode)
{
    std::filesystem::path tmp = path;
    tmp += ".tmp-XXXXXX";
    std::string name = tmp.string();
    const int fd = ::mkstemp(name.data());
    if (fd < 0) {
        return Errc::io_error;
    }
    const bool ok =
        ::fchmod(fd, static_cast<mode_t>(mode)) == 0 && write_all(fd, data) && ::fsync(fd) == 0;
    if (::close(fd) != 0 || !ok || ::rename(name.c_str(), path.c_str()) != 0) {
        ::unlink(name.c_str());
        return Errc::io_error;
    }
    fsync_directory(path.parent_path());
    return {};
}

Result<std::vector<std::uint8_t>> read_file(const std::filesystem::path& path, std::size_t max_size)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return Errc::io_error;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return Errc::io_error;
    }
    std::vector<std::uint8_t> out;
    std::uint8_t buf[8192];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            ::close(fd);
            return Errc::io_error;
        }
        if (n == 0) {
            break;
        }
        if (out.size() + static_cast<std::size_t>(n) > max_size) {
            ::close(fd);
            return Errc::too_large;
        }
        out.insert(out.end(), buf, buf + n);
    }
    ::close(fd);
    return out;
}

} // namespace umbra
