#include "requestsample.h"

namespace {

double sentOrLater(const RequestSample &s)
{
    if (s.requestSentMs >= 0)
        return s.requestSentMs;
    return s.firstByteMs >= 0 ? s.firstByteMs : s.finishedMs;
}

} // namespace

double RequestSample::connectMs() const
{
    if (connectStartMs < 0 || tlsDoneMs < connectStartMs)
        return 0;
    return tlsDoneMs - connectStartMs;
}

double RequestSample::queueMs() const
{
    return sentOrLater(*this) - connectMs();
}

double RequestSample::waitMs() const
{
    return (firstByteMs >= 0 ? firstByteMs : finishedMs) - sentOrLater(*this);
}

double RequestSample::downloadMs() const
{
    return firstByteMs >= 0 ? finishedMs - firstByteMs : 0;
}

QString nameOf(ConnectionKind kind)
{
    switch (kind) {
    case ConnectionKind::New:
        return QStringLiteral("new");
    case ConnectionKind::Shared:
        return QStringLiteral("shared-new");
    case ConnectionKind::Queued:
        return QStringLiteral("queued");
    case ConnectionKind::Reused:
        return QStringLiteral("reused");
    case ConnectionKind::Unknown:
        return QStringLiteral("unknown");
    }
    return {};
}

QString nameOf(HttpProtocol protocol)
{
    switch (protocol) {
    case HttpProtocol::Unknown:
        return QStringLiteral("unknown");
    case HttpProtocol::Http1:
        return QStringLiteral("http/1.1");
    case HttpProtocol::Http2:
        return QStringLiteral("h2");
    }
    return {};
}

QString nameOf(NetError error)
{
    switch (error) {
    case NetError::None:
        return QStringLiteral("none");
    case NetError::HttpStatus:
        return QStringLiteral("http-status");
    case NetError::Timeout:
        return QStringLiteral("timeout");
    case NetError::TooLarge:
        return QStringLiteral("too-large");
    case NetError::Tls:
        return QStringLiteral("tls");
    case NetError::ConnectionRefused:
        return QStringLiteral("connection-refused");
    case NetError::HostNotFound:
        return QStringLiteral("host-not-found");
    case NetError::ConnectionClosed:
        return QStringLiteral("connection-closed");
    case NetError::Network:
        return QStringLiteral("network");
    case NetError::Canceled:
        return QStringLiteral("canceled");
    }
    return {};
}
