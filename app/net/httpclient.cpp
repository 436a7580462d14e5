#include "httpclient.h"
#include "httpworker_p.h"
#include "lowdelay.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLoggingCategory>
#include <QNetworkReply>
#include <QSslSocket>
#include <QThread>

Q_LOGGING_CATEGORY(lcNet, "exdash.net", QtWarningMsg)

namespace {

constexpr qint64 readBufferBytes = 256 * 1024;
// Enough for TCP and TLS over any link a trader uses; a warm-up of an already warm HTTP/2 pool ends only by
// timeout.
constexpr int warmUpTimeoutMs = 3000;

QString originOf(const QUrl &url)
{
    const bool tls = url.scheme() == QLatin1String("https");
    return QStringLiteral("%1://%2:%3")
        .arg(url.scheme().toLower(), url.host().toLower())
        .arg(url.port(tls ? 443 : 80));
}

QString hostOf(const QUrl &url)
{
    const bool tls = url.scheme() == QLatin1String("https");
    return QStringLiteral("%1:%2").arg(url.host().toLower()).arg(url.port(tls ? 443 : 80));
}

// Mirrors how Qt keys its connection pools: HTTP/2 permission is part of the key. A no-reuse request has a
// manager, and so a pool, of its own.
QByteArray poolKey(const Dispatch &d)
{
    QByteArray key = originOf(d.request.url).toLatin1();
    if (d.arm == ReuseMode::NoReuse)
        return key + "|no-reuse|" + QByteArray::number(d.id);
    return key + (d.request.allowHttp2 ? "|h2" : "|h1");
}

NetError classify(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::NoError:
        return NetError::None;
    case QNetworkReply::OperationCanceledError:
    case QNetworkReply::TimeoutError:
        // Qt's transfer timeout ends as OperationCanceledError. Our own aborts never get here: a body too
        // large is reported as such first, and at shutdown the replies are disconnected before the abort.
        return NetError::Timeout;
    case QNetworkReply::SslHandshakeFailedError:
        return NetError::Tls;
    case QNetworkReply::ConnectionRefusedError:
        return NetError::ConnectionRefused;
    case QNetworkReply::HostNotFoundError:
        return NetError::HostNotFound;
    case QNetworkReply::RemoteHostClosedError:
        return NetError::ConnectionClosed;
    default:
        return NetError::Network;
    }
}

} // namespace

QByteArray HttpResponse::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

// ---------------------------------------------------------------------------------------------------------------

QNetworkReply *ObservableNetworkAccessManager::createRequest(Operation op, const QNetworkRequest &request,
                                                             QIODevice *data)
{
    QNetworkReply *reply = QNetworkAccessManager::createRequest(op, request, data);
    if (request.url().scheme().startsWith(QLatin1String("preconnect-")))
        emit preconnectCreated(reply);
    return reply;
}

HttpWorker::HttpWorker(QObject *parent)
    : QObject(parent)
{ }

ObservableNetworkAccessManager *HttpWorker::manager()
{
    // Created on first use, so that it belongs to the worker thread.
    if (!m_manager) {
        m_manager = new ObservableNetworkAccessManager(this);
        m_manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        connect(m_manager, &ObservableNetworkAccessManager::preconnectCreated, this,
                [this](QNetworkReply *reply) {
                    if (m_pendingWarmUp) {
                        InFlight flight;
                        flight.dispatch = *m_pendingWarmUp;
                        flight.wallStartMs = QDateTime::currentMSecsSinceEpoch();
                        track(reply, std::move(flight));
                        m_pendingWarmUp = nullptr;
                    }
                });
    }
    return m_manager;
}

void HttpWorker::start(const Dispatch &d)
{
    m_tracker.created(d.id, poolKey(d), now());
    InFlight flight;
    flight.dispatch = d;
    flight.wallStartMs = QDateTime::currentMSecsSinceEpoch();
    send(std::move(flight));
}

void HttpWorker::send(InFlight flight)
{
    const Dispatch &d = flight.dispatch;
    if (m_dropConnectionsPending && d.arm == ReuseMode::Pooled) {
        m_held.append(std::move(flight));
        return;
    }
    QNetworkRequest request(d.request.url);
    request.setTransferTimeout(d.timeoutMs);
    for (const auto &[name, value] : d.request.headers)
        request.setRawHeader(name, value);
    if (!d.ssl.isNull())
        request.setSslConfiguration(d.ssl);
    QNetworkAccessManager *manager = nullptr;
    if (d.arm == ReuseMode::NoReuse) {
        request.setRawHeader("Connection", "close");
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        // Qt 6.4 opens more sockets than a burst needs when a channel frees up while another is still
        // connecting, and leaves the extra one idle in the pool: in a shared pool the next no-reuse request
        // would go out on it. A manager per request gives it a pool no other request can enter; its TLS
        // context and the session tickets OpenSSL keeps in it go with it.
        flight.privateManager = manager = new QNetworkAccessManager(this);
        manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    } else {
        manager = this->manager();
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, d.request.allowHttp2);
        request.setAttribute(QNetworkRequest::ConnectionCacheExpiryTimeoutSecondsAttribute,
                             d.keepAliveIdleSeconds);
    }

    QNetworkReply *reply = manager->sendCustomRequest(request, d.request.method, d.request.body);
    // Without a bound Qt buffers a whole body before readyRead can refuse it: memory would follow the server.
    reply->setReadBufferSize(readBufferBytes);
    track(reply, std::move(flight));
}

bool HttpWorker::shouldRetry(QNetworkReply *reply, const InFlight &flight) const
{
    // The keep-alive race: the server closed an idle connection just as this request went out on it, so no
    // answer can have started. Over HTTP/1.1 Qt resends such a request by itself (sends == 2); over HTTP/2 it
    // fails the stream. Once, on a new connection, and only when sending it twice does no harm.
    const HttpRequest &r = flight.dispatch.request;
    const bool safe = r.retrySafe || r.method == "GET" || r.method == "HEAD";
    return safe && !flight.dispatch.warmUp && !flight.retried && !flight.newConnection && !flight.headersSeen
        && flight.bytesReceived == 0 && flight.sends <= 1
        && reply->error() == QNetworkReply::RemoteHostClosedError;
}

void HttpWorker::dropConnectionsWhenIdle()
{
    if (!m_dropConnectionsPending || !m_inFlight.isEmpty())
        return;
    // Qt 6.4 offers no way to close one pool's connections, and clearing the cache orphans replies in flight
    // (docs/qt-networking.md#closing-connections): hence only now, with none.
    qCDebug(lcNet) << "dropping every pooled connection after a stall or a dead connection;" << m_held.size()
                   << "requests were held for it";
    if (m_manager)
        m_manager->clearConnectionCache();
    m_dropConnectionsPending = false;
    for (InFlight &flight : std::exchange(m_held, {}))
        send(std::move(flight));
}

void HttpWorker::warmUp(const Dispatch &d)
{
    const QUrl &url = d.request.url;
    QSslConfiguration ssl = d.ssl.isNull() ? QSslConfiguration::defaultConfiguration() : d.ssl;
    // A default configuration would warm the HTTP/2-disallowed pool, which pooled requests do not use.
    ssl.setAllowedNextProtocols(
        d.request.allowHttp2
            ? QList<QByteArray> {QSslConfiguration::ALPNProtocolHTTP2, QSslConfiguration::NextProtocolHttp1_1}
            : QList<QByteArray> {QSslConfiguration::NextProtocolHttp1_1});
    m_tracker.created(d.id, poolKey(d), now());
    manager()->setTransferTimeout(std::min(d.timeoutMs, warmUpTimeoutMs));
    m_pendingWarmUp = &d;
    manager()->connectToHostEncrypted(url.host(), quint16(url.port(443)), ssl);
    if (m_pendingWarmUp) {
        // Qt created no request (an unusable origin): end the warm-up as failed rather than leave it pending.
        m_pendingWarmUp = nullptr;
        HttpResponse response;
        response.sample.id = d.id;
        response.sample.warmUp = true;
        response.sample.exchange = d.request.exchange;
        response.sample.endpoint = QStringLiteral("warm-up");
        response.sample.host = hostOf(url);
        response.sample.error = NetError::Network;
        response.sample.errorText = QStringLiteral("cannot open a connection to %1").arg(url.toString());
        m_tracker.finish(d.id, now(), {}, &response.sample);
        emit finished(d.id, response);
    }
}

void HttpWorker::track(QNetworkReply *reply, InFlight flight)
{
    const quint64 id = flight.dispatch.id;
    m_inFlight.insert(reply, std::move(flight));

    connect(reply, &QNetworkReply::socketStartedConnecting, this,
            [this, id] { m_tracker.socketStartedConnecting(id, now()); });
    connect(reply, &QNetworkReply::encrypted, this, [this, id, reply] {
        m_tracker.encrypted(id, now());
        auto it = m_inFlight.find(reply);
        if (it == m_inFlight.end())
            return;
        it->newConnection = true;
        // A no-reuse connection carries one request, written at once: Nagle holds nothing there, and the scan
        // of every descriptor would run once per request while Qt's network thread waits.
        if (it->dispatch.arm == ReuseMode::NoReuse)
            return;
        const quint16 port = quint16(reply->url().port(443));
        // None found: a proxy's port is not the origin's (Nagle then stays on for that connection).
        if (setLowDelayOnSocketsTo(port) == 0 && !lowDelayOnSocketsTo(port))
            qCDebug(lcNet) << "no TCP socket to port" << port << "to set TCP_NODELAY on";
    });
    connect(reply, &QNetworkReply::requestSent, this, [this, id, reply] {
        m_tracker.requestSent(id, now());
        if (auto it = m_inFlight.find(reply); it != m_inFlight.end())
            ++it->sends;
    });
    connect(reply, &QNetworkReply::metaDataChanged, this, [this, id, reply] {
        m_tracker.headersReceived(id, now());
        auto it = m_inFlight.find(reply);
        if (it == m_inFlight.end())
            return;
        it->headersSeen = true;
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid() && length.toLongLong() > it->dispatch.maxResponseBytes)
            abortTooLarge(reply, *it);
    });
    connect(reply, &QNetworkReply::readyRead, this, [this, reply] { readBody(reply); });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { complete(reply); });
}

void HttpWorker::readBody(QNetworkReply *reply)
{
    auto it = m_inFlight.find(reply);
    if (it == m_inFlight.end() || it->tooLarge || !reply->isOpen())
        return;
    const QByteArray chunk = reply->readAll();
    it->bytesReceived += chunk.size();
    if (it->bytesReceived > it->dispatch.maxResponseBytes) {
        abortTooLarge(reply, *it);
        return;
    }
    it->body += chunk;
}

void HttpWorker::abortTooLarge(QNetworkReply *reply, InFlight &flight)
{
    flight.tooLarge = true;
    flight.body.clear();
    reply->abort();
}

void HttpWorker::complete(QNetworkReply *reply)
{
    auto it = m_inFlight.find(reply);
    if (it == m_inFlight.end())
        return;
    readBody(reply);
    InFlight flight = std::move(*it);
    m_inFlight.erase(it);
    reply->deleteLater();
    if (flight.privateManager) {
        // Once this handler has returned: the reply is still emitting.
        QMetaObject::invokeMethod(
            this, [this, manager = std::exchange(flight.privateManager, nullptr)] { retire(manager); },
            Qt::QueuedConnection);
    }

    const Dispatch &d = flight.dispatch;
    const bool http2Pool = d.arm == ReuseMode::Pooled && d.request.allowHttp2 && !d.warmUp;
    if (shouldRetry(reply, flight)) {
        qCDebug(lcNet).noquote() << d.request.exchange << d.request.endpoint
                                 << "found its kept-alive connection closed: sending it again";
        flight.retried = true;
        flight.newConnection = flight.headersSeen = false;
        // Qt 6.4 can leave a request sent right after an HTTP/2 connection died hanging
        // (docs/qt-networking.md#dead-http2-connections): the retry waits for fresh connections.
        m_dropConnectionsPending = m_dropConnectionsPending || http2Pool;
        send(std::move(flight));
        dropConnectionsWhenIdle();
        return;
    }
    HttpResponse response;
    RequestSample &s = response.sample;
    s.id = d.id;
    s.exchange = d.request.exchange;
    s.endpoint = d.warmUp ? QStringLiteral("warm-up") : d.request.endpoint;
    s.host = hostOf(d.request.url);
    s.method = d.warmUp ? QByteArray() : d.request.method;
    s.warmUp = d.warmUp;
    s.reuse = d.arm;
    s.startedAtMsSinceEpoch = flight.wallStartMs;
    s.bytesReceived = flight.bytesReceived;

    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    s.httpStatus = status.isValid() ? status.toInt() : 0;
    if (reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool())
        s.protocol = HttpProtocol::Http2;
    else if (s.httpStatus > 0)
        s.protocol = HttpProtocol::Http1;

    if (flight.tooLarge) {
        s.error = NetError::TooLarge;
        s.errorText = QStringLiteral("response larger than %1 bytes, aborted").arg(d.maxResponseBytes);
    } else if (s.httpStatus >= 400) {
        s.error = NetError::HttpStatus;
        s.errorText = QStringLiteral("HTTP %1 %2")
                          .arg(s.httpStatus)
                          .arg(QString::fromLatin1(
                              reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray()));
    } else {
        s.error = classify(reply->error());
        if (s.error == NetError::Timeout)
            s.errorText = QStringLiteral("no data for %1 ms").arg(d.timeoutMs);
        else if (s.error != NetError::None)
            s.errorText = reply->errorString();
    }

    ConnectionTracker::Outcome outcome;
    outcome.tls = d.request.url.scheme() == QLatin1String("https");
    outcome.http2 = s.protocol == HttpProtocol::Http2;
    outcome.failed = s.error != NetError::None && s.error != NetError::HttpStatus;
    m_tracker.finish(d.id, now(), outcome, &s);
    if (d.warmUp && s.error == NetError::Timeout && s.connectionsOpened == 0 && s.tlsDoneMs < 0) {
        // Qt 6.4 never completes a warm-up of a pool that already holds an HTTP/2 connection: it was warm.
        s.error = NetError::None;
        s.errorText.clear();
    }

    if (s.error == NetError::None || s.error == NetError::HttpStatus) {
        response.body = std::move(flight.body);
        response.headers = reply->rawHeaderPairs();
    }
    s.serverConnection = reply->rawHeader(serverConnectionHeader);
    qCDebug(lcNet).noquote() << s.exchange << s.endpoint << s.host << nameOf(s.reuse) << nameOf(s.connection)
                             << nameOf(s.protocol) << s.httpStatus << QString::number(s.totalMs(), 'f', 2)
                             << "ms" << s.errorText;
    // An HTTP/2 connection outlives a stream that stalled or died with it, and a dead one would stall every
    // later request: start over with fresh connections. (HTTP/1.1 closes the connection of a failed request.)
    if (http2Pool && (s.error == NetError::Timeout || s.error == NetError::ConnectionClosed))
        m_dropConnectionsPending = true;
    emit finished(d.id, response);
    dropConnectionsWhenIdle();
}

void HttpWorker::retire(QNetworkAccessManager *privateManager)
{
    qDeleteAll(privateManager->findChildren<QNetworkReply *>(Qt::FindDirectChildrenOnly));
    if (!m_reaper) {
        m_reaper = new QThread;
        m_reaper->setObjectName(QStringLiteral("exdash-net-reaper"));
        m_reaperContext = new QObject;
        m_reaperContext->moveToThread(m_reaper);
        m_reaper->start();
    }
    privateManager->setParent(nullptr);
    privateManager->moveToThread(m_reaper);
    QMetaObject::invokeMethod(
        m_reaperContext, [privateManager] { delete privateManager; }, Qt::QueuedConnection);
}

void HttpWorker::shutdown()
{
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall); // the managers still to retire
    for (auto it = m_inFlight.begin(); it != m_inFlight.end(); ++it) {
        disconnect(it.key(), nullptr, this, nullptr);
        it.key()->abort();
        it.key()->deleteLater();
        delete it->privateManager;
    }
    m_inFlight.clear();
    m_held.clear();
    delete m_manager;
    m_manager = nullptr;
    if (m_reaper) {
        // After the deletions already posted to it, in order.
        QMetaObject::invokeMethod(
            m_reaperContext, [] { QThread::currentThread()->quit(); }, Qt::QueuedConnection);
        m_reaper->wait();
        delete std::exchange(m_reaperContext, nullptr);
        delete std::exchange(m_reaper, nullptr);
    }
}

// ---------------------------------------------------------------------------------------------------------------

HttpClient::HttpClient(QObject *parent)
    : QObject(parent)
    , m_thread(new QThread(this))
    , m_worker(new HttpWorker)
{
    qRegisterMetaType<HttpResponse>();
    qRegisterMetaType<RequestSample>();
    m_thread->setObjectName(QStringLiteral("exdash-net"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &HttpWorker::finished, this, &HttpClient::onWorkerFinished);
    m_thread->start();
}

HttpClient::~HttpClient()
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker] { worker->shutdown(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

quint64 HttpClient::dispatch(const HttpRequest &request, const QObject *context,
                             std::function<void(const HttpResponse &)> onFinished)
{
    Dispatch d;
    d.id = m_nextId++;
    d.request = request;
    d.arm = m_arm;
    d.timeoutMs = request.timeoutMs > 0 ? request.timeoutMs : m_timeoutMs;
    d.maxResponseBytes = request.maxResponseBytes > 0 ? request.maxResponseBytes : m_maxResponseBytes;
    d.keepAliveIdleSeconds = m_keepAliveIdleSeconds;
    d.ssl = sslConfigurationFor(request.url);

    Pending pending;
    pending.context = context;
    pending.hasContext = context != nullptr;
    pending.onFinished = std::move(onFinished);
    m_pending.insert(d.id, std::move(pending));

    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, d] { worker->start(d); }, Qt::QueuedConnection);
    return d.id;
}

quint64 HttpClient::warmUp(const QUrl &origin, const QString &exchange, bool allowHttp2)
{
    Dispatch d;
    d.id = m_nextId++;
    d.request.exchange = exchange;
    d.request.url = origin;
    d.request.allowHttp2 = allowHttp2;
    d.arm = ReuseMode::Pooled;
    d.timeoutMs = m_timeoutMs;
    d.maxResponseBytes = m_maxResponseBytes;
    d.keepAliveIdleSeconds = m_keepAliveIdleSeconds;
    d.ssl = sslConfigurationFor(origin);
    d.warmUp = true;
    m_pending.insert(d.id, Pending {});
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, d] { worker->warmUp(d); }, Qt::QueuedConnection);
    return d.id;
}

void HttpClient::onWorkerFinished(quint64 id, const HttpResponse &response)
{
    const Pending pending = m_pending.take(id);
    emit sampleReady(response.sample);
    if (pending.onFinished && (!pending.hasContext || pending.context))
        pending.onFinished(response);
}

void HttpClient::setReuseMode(ReuseMode mode)
{
    if (mode == m_mode)
        return;
    m_mode = mode;
    m_arm = mode == ReuseMode::NoReuse ? ReuseMode::NoReuse : ReuseMode::Pooled;
    emit reuseModeChanged(mode);
}

ReuseMode HttpClient::beginCycle()
{
    ++m_cycles;
    if (m_mode == ReuseMode::Interleaved)
        m_arm = m_cycles % 2 == 1 ? ReuseMode::Pooled : ReuseMode::NoReuse;
    return m_arm;
}

void HttpClient::setDefaultTimeout(int ms)
{
    m_timeoutMs = ms > 0 ? ms : defaultTimeoutMs;
}

void HttpClient::setMaxResponseBytes(qint64 bytes)
{
    m_maxResponseBytes = bytes > 0 ? bytes : defaultMaxResponseBytes;
}

void HttpClient::setKeepAliveIdleSeconds(int seconds)
{
    m_keepAliveIdleSeconds = seconds > 0 ? seconds : defaultKeepAliveIdleSeconds;
}

void HttpClient::setCaCertificates(const QUrl &origin, const QList<QSslCertificate> &certificates)
{
    if (certificates.isEmpty()) {
        m_sslByOrigin.remove(originOf(origin));
        return;
    }
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.addCaCertificates(certificates);
    m_sslByOrigin.insert(originOf(origin), ssl);
}

QSslConfiguration HttpClient::sslConfigurationFor(const QUrl &url) const
{
    return m_sslByOrigin.value(originOf(url));
}
