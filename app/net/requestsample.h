#pragma once

#include "reusemode.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>

// What a request paid to get a connection.
enum class ConnectionKind {
    New, // went out on a connection opened for it: paid TCP + TLS
    Shared, // HTTP/2 stream multiplexed on a connection another request was opening: waited for that
            // handshake
    Queued, // waited for a handshake in progress, then went out on a connection that already existed
    Reused, // went out on an open connection without waiting for any handshake
    Unknown, // Qt's signals do not tell which: counted in neither group, never guessed
};

enum class HttpProtocol { Unknown, Http1, Http2 };

enum class NetError {
    None,
    HttpStatus, // a response arrived, with status >= 400
    Timeout,
    TooLarge,
    Tls,
    ConnectionRefused,
    HostNotFound,
    ConnectionClosed,
    Network,
    Canceled,
};

// exsim's ground truth on the connection a response came on (see ConnectionIdentity in
// app/sim/httpsserver.h). The client only records it, for tests and the benchmark to check its
// classification: a real exchange sends no such thing, so nothing may depend on it.
inline constexpr char serverConnectionHeader[] = "x-exsim-connection";

// One finished request, as the network layer saw it. A plain value: it is copied across threads and stored by
// the hundred thousand.
struct RequestSample
{
    quint64 id = 0;
    QString exchange;
    QString endpoint;
    QString host; // "host:port"
    QByteArray method;
    int httpStatus = 0;
    qint64 bytesReceived = 0;
    NetError error = NetError::None;
    QString errorText;
    HttpProtocol protocol = HttpProtocol::Unknown;
    ReuseMode reuse = ReuseMode::Pooled;
    ConnectionKind connection = ConnectionKind::Reused;
    // Connections Qt opened to this host that reached the server while this request was in flight and were
    // reported to it. The sum over all samples of a host equals the connections the server accepted, even
    // when Qt announces a connection to a request that never uses it.
    int connectionsOpened = 0;
    bool resent = false; // Qt sent it again on a new connection after the first one died
    bool warmUp = false; // a connection opened ahead of use, not an API call
    qint64 startedAtMsSinceEpoch = 0;
    qint64 startedAtSteadyNs = 0; // the same moment on steadyNowNs()'s clock
    QByteArray serverConnection; // the serverConnectionHeader of the response, if any

    // Marks in ms since the request was handed to Qt, in this order; -1 where the step did not happen.
    double connectStartMs = -1;
    double tlsDoneMs = -1;
    double requestSentMs = -1;
    double firstByteMs = -1;
    double finishedMs = 0;

    bool ok() const { return error == NetError::None; }
    bool paidHandshake() const
    {
        return connection == ConnectionKind::New || connection == ConnectionKind::Shared
            || connection == ConnectionKind::Queued;
    }
    double totalMs() const { return finishedMs; }

    // The phases partition [0, finishedMs]: queue + connect + wait + download == totalMs().
    double connectMs() const;
    double queueMs() const;
    double waitMs() const;
    double downloadMs() const;
};

QString nameOf(ConnectionKind kind);
QString nameOf(HttpProtocol protocol);
QString nameOf(NetError error);

Q_DECLARE_METATYPE(RequestSample)
