#pragma once

#include "httpsserver.h"

#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QTimer>

#include <cstdint>
#include <map>

class QSslSocket;
struct nghttp2_session;

Q_DECLARE_LOGGING_CATEGORY(lcSim)

// One accepted TLS connection that negotiated h2: an nghttp2 server session on the socket, one SimRequest per
// stream, answered through the server's handler like HTTP/1.1 requests, streams independent of each other.
class Http2Connection : public QObject
{
public:
    Http2Connection(HttpsServer *server, QSslSocket *socket, const ConnectionIdentity &identity);
    ~Http2Connection() override;

private:
    struct Callbacks; // nghttp2's C callbacks
    struct Stream
    {
        SimRequest request;
        QByteArray authority;
        int ordinal = 0; // this stream's place among the connection's requests
        bool requestTooLarge = false;
        bool dispatched = false;
        SimResponse response;
        qsizetype released = 0; // body bytes the data provider may hand out so far
        qsizetype sent = 0; // body bytes handed out
        bool cutQueued = false;
        bool closeAfter = false;
    };

    void receive();
    void flush();
    void dispatch(int32_t id, Stream &stream);
    void respond(int32_t id);
    void releaseTrickle(int32_t id);
    void cut(int32_t id);
    void armIdleTimer();
    void drop(const char *why, int error);

    HttpsServer *m_server;
    QSslSocket *m_socket;
    ConnectionIdentity m_identity;
    nghttp2_session *m_session = nullptr;
    std::map<int32_t, Stream> m_streams;
    QList<int32_t> m_cuts; // truncated or reset streams whose half body is out
    QTimer m_idle;
    int m_requests = 0;
    bool m_terminate = false; // send GOAWAY and close once written
    bool m_closed = false;
};
