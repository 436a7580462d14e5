#include "http2connection.h"

#include <QSslSocket>

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

// How SimResponse maps onto a stream:
//   Whole      HEADERS (:status, content-type, content-length, extra headers), then DATA up to END_STREAM.
//   delayMs    the stream is answered that much later; the others go on meanwhile.
//   Stall      the stream is never answered; the others go on.
//   DropIfReused  a stream that is not the connection's first and arrives while no other is open: the TCP
//              connection is aborted, nothing answered.
//   CloseAfterResponse  once the stream is complete, GOAWAY, then the connection closes when written.
//   Truncated  full length announced, half the body, then RST_STREAM(INTERNAL_ERROR): only the stream fails.
//   Reset      full length announced, half the body, then the TCP connection is aborted: every stream fails.
//   Trickle    trickleChunkBytes of the body per trickleIntervalMs, as the peer's flow control allows.
//   closeDelimited has no meaning in HTTP/2 and is ignored.

namespace {

QByteArray bytes(const uint8_t *data, size_t length)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(length));
}

nghttp2_nv nv(const QByteArray &name, const QByteArray &value)
{
    return {reinterpret_cast<uint8_t *>(const_cast<char *>(name.constData())),
            reinterpret_cast<uint8_t *>(const_cast<char *>(value.constData())), size_t(name.size()),
            size_t(value.size()), NGHTTP2_NV_FLAG_NONE};
}

bool isConnectionSpecific(const QByteArray &name)
{
    return name == "connection" || name == "keep-alive" || name == "proxy-connection"
        || name == "transfer-encoding" || name == "upgrade";
}

} // namespace

struct Http2Connection::Callbacks
{
    static Http2Connection *self(void *user) { return static_cast<Http2Connection *>(user); }

    static ssize_t send(nghttp2_session *, const uint8_t *data, size_t length, int, void *user)
    {
        const qint64 written =
            self(user)->m_socket->write(reinterpret_cast<const char *>(data), qint64(length));
        return written < 0 ? ssize_t(NGHTTP2_ERR_CALLBACK_FAILURE) : ssize_t(written);
    }

    static int beginHeaders(nghttp2_session *, const nghttp2_frame *frame, void *user)
    {
        if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST)
            return 0;
        Http2Connection *connection = self(user);
        connection->m_idle.stop();
        connection->m_streams[frame->hd.stream_id].request.version = QByteArrayLiteral("HTTP/2");
        return 0;
    }

    static int header(nghttp2_session *, const nghttp2_frame *frame, const uint8_t *name, size_t nameLength,
                      const uint8_t *value, size_t valueLength, uint8_t, void *user)
    {
        auto it = self(user)->m_streams.find(frame->hd.stream_id);
        if (it == self(user)->m_streams.end())
            return 0;
        Stream &stream = it->second;
        const QByteArray key = bytes(name, nameLength);
        const QByteArray text = bytes(value, valueLength);
        if (key == ":method")
            stream.request.method = text;
        else if (key == ":path")
            stream.request.target = text;
        else if (key == ":authority")
            stream.authority = text;
        else if (!key.startsWith(':'))
            stream.request.headers.append({key, text});
        return 0;
    }

    static int dataChunk(nghttp2_session *, uint8_t, int32_t id, const uint8_t *data, size_t length,
                         void *user)
    {
        auto it = self(user)->m_streams.find(id);
        if (it == self(user)->m_streams.end() || it->second.requestTooLarge)
            return 0;
        Stream &stream = it->second;
        if (stream.request.body.size() + qsizetype(length) > Http1RequestParser::maxBodyBytes) {
            stream.requestTooLarge = true;
            stream.request.body.clear();
            return 0;
        }
        stream.request.body.append(reinterpret_cast<const char *>(data), qsizetype(length));
        return 0;
    }

    static int frameReceived(nghttp2_session *, const nghttp2_frame *frame, void *user)
    {
        if ((frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA)
            || !(frame->hd.flags & NGHTTP2_FLAG_END_STREAM))
            return 0;
        auto it = self(user)->m_streams.find(frame->hd.stream_id);
        if (it != self(user)->m_streams.end() && !it->second.dispatched)
            self(user)->dispatch(it->first, it->second);
        return 0;
    }

    static int streamClosed(nghttp2_session *, int32_t id, uint32_t errorCode, void *user)
    {
        Http2Connection *connection = self(user);
        auto it = connection->m_streams.find(id);
        if (it == connection->m_streams.end())
            return 0;
        if (errorCode != NGHTTP2_NO_ERROR)
            qCDebug(lcSim) << "HTTP/2 stream" << id << "closed:" << nghttp2_http2_strerror(errorCode);
        if (it->second.closeAfter)
            connection->m_terminate = true;
        connection->m_streams.erase(it);
        if (connection->m_streams.empty())
            connection->armIdleTimer();
        return 0;
    }

    static int frameSent(nghttp2_session *, const nghttp2_frame *frame, void *)
    {
        if (frame->hd.type == NGHTTP2_GOAWAY && frame->goaway.error_code != NGHTTP2_NO_ERROR)
            qCDebug(lcSim) << "HTTP/2 GOAWAY sent:" << nghttp2_http2_strerror(frame->goaway.error_code)
                           << QByteArray(reinterpret_cast<const char *>(frame->goaway.opaque_data),
                                         qsizetype(frame->goaway.opaque_data_len));
        return 0;
    }

    static int error(nghttp2_session *, int, const char *message, size_t length, void *)
    {
        qCDebug(lcSim) << "HTTP/2:" << QByteArray(message, qsizetype(length));
        return 0;
    }

    static ssize_t readBody(nghttp2_session *, int32_t id, uint8_t *buffer, size_t length, uint32_t *flags,
                            nghttp2_data_source *, void *user)
    {
        Http2Connection *connection = self(user);
        auto it = connection->m_streams.find(id);
        if (it == connection->m_streams.end())
            return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
        Stream &stream = it->second;
        const QByteArray &body = stream.response.body;
        const qsizetype count = std::min(qsizetype(length), stream.released - stream.sent);
        std::memcpy(buffer, body.constData() + stream.sent, size_t(count));
        stream.sent += count;
        if (stream.sent == body.size()) {
            *flags |= NGHTTP2_DATA_FLAG_EOF;
            return count;
        }
        const SimResponse::Delivery delivery = stream.response.delivery;
        if (stream.sent == stream.released && !stream.cutQueued
            && (delivery == SimResponse::Delivery::Truncated || delivery == SimResponse::Delivery::Reset)) {
            // Cut once nghttp2 has written this last chunk, after nghttp2_session_send() returns.
            stream.cutQueued = true;
            connection->m_cuts.append(id);
        }
        return count > 0 ? ssize_t(count) : ssize_t(NGHTTP2_ERR_DEFERRED);
    }
};

Http2Connection::Http2Connection(HttpsServer *server, QSslSocket *socket, const ConnectionIdentity &identity)
    : QObject(socket)
    , m_server(server)
    , m_socket(socket)
    , m_identity(identity)
{
    nghttp2_session_callbacks *callbacks = nullptr;
    nghttp2_session_callbacks_new(&callbacks);
    nghttp2_session_callbacks_set_send_callback(callbacks, &Callbacks::send);
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, &Callbacks::beginHeaders);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, &Callbacks::header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, &Callbacks::dataChunk);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, &Callbacks::frameReceived);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, &Callbacks::streamClosed);
    nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, &Callbacks::frameSent);
    nghttp2_session_callbacks_set_error_callback2(callbacks, &Callbacks::error);
    const int created = nghttp2_session_server_new(&m_session, callbacks, this);
    nghttp2_session_callbacks_del(callbacks);
    if (created != 0) {
        m_session = nullptr;
        qCWarning(lcSim) << "HTTP/2 session not created:" << nghttp2_strerror(created);
        m_closed = true;
        socket->disconnectFromHost();
        return;
    }

    m_idle.setSingleShot(true);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        if (m_streams.empty()) {
            m_terminate = true;
            flush();
        }
    });
    connect(socket, &QSslSocket::readyRead, this, &Http2Connection::receive);

    const nghttp2_settings_entry settings[] = {{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 100}};
    nghttp2_submit_settings(m_session, NGHTTP2_FLAG_NONE, settings, std::size(settings));
    flush();
    armIdleTimer();
    if (socket->bytesAvailable() > 0)
        receive();
}

Http2Connection::~Http2Connection()
{
    nghttp2_session_del(m_session);
}

void Http2Connection::receive()
{
    const QByteArray data = m_socket->readAll();
    if (m_closed)
        return;
    const ssize_t used = nghttp2_session_mem_recv(
        m_session, reinterpret_cast<const uint8_t *>(data.constData()), size_t(data.size()));
    if (used < 0) {
        drop("HTTP/2 input refused:", int(used));
        return;
    }
    flush();
}

void Http2Connection::flush()
{
    while (!m_closed) {
        if (const int sent = nghttp2_session_send(m_session); sent != 0) {
            drop("HTTP/2 send failed:", sent);
            return;
        }
        if (m_cuts.isEmpty() && !m_terminate)
            break;
        for (int32_t id : std::exchange(m_cuts, {}))
            cut(id);
        if (std::exchange(m_terminate, false))
            nghttp2_session_terminate_session(m_session, NGHTTP2_NO_ERROR);
    }
    if (!m_closed && !nghttp2_session_want_read(m_session) && !nghttp2_session_want_write(m_session)) {
        m_closed = true;
        m_socket->disconnectFromHost();
    }
}

void Http2Connection::dispatch(int32_t id, Stream &stream)
{
    stream.dispatched = true;
    if (!stream.authority.isEmpty() && stream.request.header("host").isEmpty())
        stream.request.headers.append({QByteArrayLiteral("host"), stream.authority});
    stream.ordinal = ++m_requests;
    const SimResponse response = stream.requestTooLarge ? SimResponse::text("request body too large", 413)
                                                        : m_server->handle(stream.request);
    if (response.action == SimResponse::Action::Stall)
        return;
    // The handler may have done anything, even to this connection's streams: look the stream up again.
    auto it = m_streams.find(id);
    if (it == m_streams.end())
        return;
    // The keep-alive race is an idle connection closed as a request arrives: alone on it, and not its first.
    if (response.action == SimResponse::Action::DropIfReused && m_requests > 1 && m_streams.size() == 1) {
        ++m_server->m_raced;
        it->second.response.delivery = SimResponse::Delivery::Reset;
        m_cuts.append(id); // the connection goes once the frames in hand are written
        return;
    }
    const int cap = m_server->m_maxRequestsPerConnection;
    it->second.response = response;
    it->second.response.headers.append(m_identity.header(it->second.ordinal));
    it->second.closeAfter =
        response.action == SimResponse::Action::CloseAfterResponse || (cap > 0 && m_requests >= cap);
    if (response.delayMs > 0) {
        QTimer::singleShot(response.delayMs, this, [this, id] {
            respond(id);
            flush();
        });
    } else {
        respond(id); // the caller flushes
    }
}

void Http2Connection::respond(int32_t id)
{
    auto it = m_streams.find(id);
    if (it == m_streams.end() || m_closed)
        return; // the client gave up meanwhile
    Stream &stream = it->second;
    const SimResponse &response = stream.response;
    ++m_server->m_served;

    QList<std::pair<QByteArray, QByteArray>> fields = {
        {":status", QByteArray::number(response.status)},
        {"content-type", response.contentType},
        {"content-length", QByteArray::number(response.body.size())},
    };
    for (const auto &[name, value] : response.headers) {
        const QByteArray lower = name.toLower();
        if (!isConnectionSpecific(lower))
            fields.append({lower, value});
    }
    std::vector<nghttp2_nv> nva;
    for (const auto &[name, value] : fields)
        nva.push_back(nv(name, value));

    const qsizetype size = response.body.size();
    const qsizetype chunk = std::max(1, response.trickleChunkBytes);
    switch (response.delivery) {
    case SimResponse::Delivery::Whole:
        stream.released = size;
        break;
    case SimResponse::Delivery::Truncated:
    case SimResponse::Delivery::Reset:
        stream.released = size / 2;
        break;
    case SimResponse::Delivery::Trickle:
        stream.released = std::min(size, chunk);
        break;
    }

    nghttp2_data_provider provider {};
    provider.read_callback = &Callbacks::readBody;
    if (const int submitted = nghttp2_submit_response(m_session, id, nva.data(), nva.size(), &provider);
        submitted != 0) {
        qCWarning(lcSim) << "HTTP/2 response not submitted on stream" << id << nghttp2_strerror(submitted);
        return;
    }
    if (stream.released < size && response.delivery == SimResponse::Delivery::Trickle)
        QTimer::singleShot(response.trickleIntervalMs, this, [this, id] { releaseTrickle(id); });
}

void Http2Connection::releaseTrickle(int32_t id)
{
    auto it = m_streams.find(id);
    if (it == m_streams.end() || m_closed)
        return;
    Stream &stream = it->second;
    const SimResponse &response = stream.response;
    stream.released =
        std::min(response.body.size(), stream.released + std::max(1, response.trickleChunkBytes));
    nghttp2_session_resume_data(m_session, id); // fails harmlessly when the provider was not deferred
    if (stream.released < response.body.size())
        QTimer::singleShot(response.trickleIntervalMs, this, [this, id] { releaseTrickle(id); });
    flush();
}

void Http2Connection::cut(int32_t id)
{
    auto it = m_streams.find(id);
    if (it == m_streams.end() || m_closed)
        return;
    if (it->second.response.delivery == SimResponse::Delivery::Truncated) {
        nghttp2_submit_rst_stream(m_session, NGHTTP2_FLAG_NONE, id, NGHTTP2_INTERNAL_ERROR);
        return;
    }
    m_closed = true;
    m_socket->flush();
    m_socket->abort();
}

void Http2Connection::armIdleTimer()
{
    if (m_server->m_keepAliveIdleMs > 0)
        m_idle.start(m_server->m_keepAliveIdleMs);
}

void Http2Connection::drop(const char *why, int error)
{
    qCDebug(lcSim) << why << nghttp2_strerror(error);
    m_closed = true;
    // Best effort: tell the peer why, then close once that is written.
    nghttp2_session_terminate_session(m_session, NGHTTP2_PROTOCOL_ERROR);
    nghttp2_session_send(m_session);
    m_socket->disconnectFromHost();
}
