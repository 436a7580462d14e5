#include "lowdelay.h"

#include <QtGlobal>

#ifdef Q_OS_LINUX
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cstdlib>
#endif

#include <functional>

namespace {

// Calls visit(fd, hasNoDelay) for each TCP socket of this process whose peer is on peerPort.
void forEachTcpSocketTo(quint16 peerPort, const std::function<void(int, bool)> &visit)
{
#ifdef Q_OS_LINUX
    DIR *fds = opendir("/proc/self/fd");
    if (!fds)
        return;
    const int own = dirfd(fds);
    while (const dirent *entry = readdir(fds)) {
        char *end = nullptr;
        const long fd = std::strtol(entry->d_name, &end, 10);
        if (*end != '\0' || end == entry->d_name || fd == own)
            continue;
        struct stat status
        {
        };
        int protocol = 0;
        socklen_t length = sizeof protocol;
        if (fstat(int(fd), &status) != 0 || !S_ISSOCK(status.st_mode)
            || getsockopt(int(fd), SOL_SOCKET, SO_PROTOCOL, &protocol, &length) != 0
            || protocol != IPPROTO_TCP)
            continue;
        sockaddr_storage peer {};
        socklen_t peerLength = sizeof peer;
        if (getpeername(int(fd), reinterpret_cast<sockaddr *>(&peer), &peerLength) != 0)
            continue;
        const quint16 port = peer.ss_family == AF_INET
            ? ntohs(reinterpret_cast<const sockaddr_in *>(&peer)->sin_port)
            : peer.ss_family == AF_INET6 ? ntohs(reinterpret_cast<const sockaddr_in6 *>(&peer)->sin6_port)
                                         : 0;
        if (port != peerPort)
            continue;
        int noDelay = 0;
        socklen_t noDelayLength = sizeof noDelay;
        if (getsockopt(int(fd), IPPROTO_TCP, TCP_NODELAY, &noDelay, &noDelayLength) == 0)
            visit(int(fd), noDelay != 0);
    }
    closedir(fds);
#else
    Q_UNUSED(peerPort);
    Q_UNUSED(visit);
#endif
}

} // namespace

int setLowDelayOnSocketsTo(quint16 peerPort)
{
    int changed = 0;
    forEachTcpSocketTo(peerPort, [&changed](int fd, bool hasNoDelay) {
#ifdef Q_OS_LINUX
        const int on = 1;
        if (!hasNoDelay && setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) == 0)
            ++changed;
#else
        Q_UNUSED(fd);
        Q_UNUSED(hasNoDelay);
#endif
    });
    return changed;
}

bool lowDelayOnSocketsTo(quint16 peerPort)
{
    int sockets = 0;
    bool all = true;
    forEachTcpSocketTo(peerPort, [&](int, bool hasNoDelay) {
        ++sockets;
        all = all && hasNoDelay;
    });
    return sockets > 0 && all;
}
