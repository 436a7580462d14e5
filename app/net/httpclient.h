#pragma once

#include "keepalive.h"
#include "requestsample.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QUrl>

#include <functional>
#include <utility>

class QThread;
class HttpWorker;

using RawHeaders = QList<std::pair<QByteArray, QByteArray>>;

struct HttpRequest
{
    QString exchange; // labels for the sample: "bitunix", "tickers"
    QString endpoint;
    QByteArray method = QByteArrayLiteral("GET");
    QUrl url;
    QByteArray body;
    RawHeaders headers;
    bool allowHttp2 = true; // in pooled mode; no-reuse always speaks HTTP/1.1 with Connection: close
    // GET and HEAD are, by HTTP's definition; say so for a POST only when sending it twice does no harm.
    // Decides whether a request that finds its kept-alive connection dead before any answer goes again, once.
    bool retrySafe = false;
    int timeoutMs = 0; // 0: the client's default
    qint64 maxResponseBytes = 0; // 0: the client's default
};

struct HttpResponse
{
    RequestSample sample;
    QByteArray body;
    RawHeaders headers;

    bool ok() const { return sample.ok(); }
    QByteArray header(const QByteArray &name) const; // case-insensitive; empty when absent
};

Q_DECLARE_METATYPE(HttpResponse)

// The application's HTTP client: one QNetworkAccessManager that every pooled request shares (a no-reuse
// request gets one of its own, see HttpWorker::send), in a worker thread of its own so that a busy GUI never
// delays a handshake (Qt delivers encrypted() blocking-queued to the reply's thread). Every finished request
// yields one RequestSample. Use it from one thread: the one it was created in.
class HttpClient : public QObject
{
    Q_OBJECT
public:
    static constexpr int defaultTimeoutMs = 10'000;
    static constexpr qint64 defaultMaxResponseBytes = 8 * 1024 * 1024;
    static constexpr int defaultKeepAliveIdleSeconds = ::defaultKeepAliveIdleSeconds;

    explicit HttpClient(QObject *parent = nullptr);
    ~HttpClient() override;

    // Sends the request at once. onFinished(const HttpResponse &) runs in this client's thread, unless
    // context (which must live in this thread) is gone by then. Returns the request id, also in the sample.
    template<typename Functor>
    quint64 send(const HttpRequest &request, const QObject *context, Functor &&onFinished)
    {
        return dispatch(request, context,
                        std::function<void(const HttpResponse &)>(std::forward<Functor>(onFinished)));
    }
    quint64 send(const HttpRequest &request) { return dispatch(request, nullptr, {}); }

    // Opens the pooled connection to origin ahead of the first request. Reports a sample with warmUp set.
    quint64 warmUp(const QUrl &origin, const QString &exchange = {}, bool allowHttp2 = true);

    ReuseMode reuseMode() const { return m_mode; }
    void setReuseMode(ReuseMode mode);
    // Starts a refresh cycle: in Interleaved mode the arms alternate from one cycle to the next. Returns the
    // arm (Pooled or NoReuse) that requests use until the next cycle.
    ReuseMode beginCycle();
    ReuseMode currentArm() const { return m_arm; }

    int defaultTimeout() const { return m_timeoutMs; }
    void setDefaultTimeout(int ms);
    qint64 maxResponseBytes() const { return m_maxResponseBytes; }
    void setMaxResponseBytes(qint64 bytes);
    int keepAliveIdleSeconds() const { return m_keepAliveIdleSeconds; }
    void setKeepAliveIdleSeconds(int seconds);

    // Trusts these CAs, besides the system's, for this origin (scheme, host, port) only. Verification stays
    // on.
    void setCaCertificates(const QUrl &origin, const QList<QSslCertificate> &certificates);

    int inFlight() const { return int(m_pending.size()); }

signals:
    void sampleReady(const RequestSample &sample);
    void reuseModeChanged(ReuseMode mode);

private:
    struct Pending
    {
        QPointer<const QObject> context;
        bool hasContext = false;
        std::function<void(const HttpResponse &)> onFinished;
    };

    quint64 dispatch(const HttpRequest &request, const QObject *context,
                     std::function<void(const HttpResponse &)> onFinished);
    void onWorkerFinished(quint64 id, const HttpResponse &response);
    QSslConfiguration sslConfigurationFor(const QUrl &url) const;

    QThread *m_thread = nullptr;
    HttpWorker *m_worker = nullptr;
    QHash<quint64, Pending> m_pending;
    QHash<QString, QSslConfiguration> m_sslByOrigin;
    quint64 m_nextId = 1;
    quint64 m_cycles = 0;
    ReuseMode m_mode = ReuseMode::Pooled;
    ReuseMode m_arm = ReuseMode::Pooled;
    int m_timeoutMs = defaultTimeoutMs;
    qint64 m_maxResponseBytes = defaultMaxResponseBytes;
    int m_keepAliveIdleSeconds = defaultKeepAliveIdleSeconds;
};
