#pragma once

#include "connectiontracker.h"
#include "httpclient.h"

#include "steadyclock.h"

#include <QHash>
#include <QNetworkAccessManager>

class QNetworkReply;
class QThread;

// Everything HttpClient decided for one request, handed to the worker thread.
struct Dispatch
{
    quint64 id = 0;
    HttpRequest request;
    ReuseMode arm = ReuseMode::Pooled;
    int timeoutMs = 0;
    qint64 maxResponseBytes = 0;
    int keepAliveIdleSeconds = 0;
    QSslConfiguration ssl;
    bool warmUp = false;
};

// Lets the worker see the reply that QNetworkAccessManager::connectToHostEncrypted() creates and does not
// return.
class ObservableNetworkAccessManager : public QNetworkAccessManager
{
    Q_OBJECT
public:
    using QNetworkAccessManager::QNetworkAccessManager;

signals:
    void preconnectCreated(QNetworkReply *reply);

protected:
    QNetworkReply *createRequest(Operation op, const QNetworkRequest &request, QIODevice *data) override;
};

// Lives in HttpClient's worker thread; owns the QNetworkAccessManager and every reply.
class HttpWorker : public QObject
{
    Q_OBJECT
public:
    explicit HttpWorker(QObject *parent = nullptr);

    void start(const Dispatch &dispatch);
    void warmUp(const Dispatch &dispatch);
    void shutdown();

signals:
    void finished(quint64 id, const HttpResponse &response);

private:
    struct InFlight
    {
        Dispatch dispatch;
        QByteArray body;
        qint64 bytesReceived = 0;
        qint64 wallStartMs = 0;
        bool tooLarge = false;
        bool newConnection = false; // encrypted(): this attempt opened its connection
        bool headersSeen = false;
        int sends = 0; // requestSent(): two when Qt resent it by itself
        bool retried = false;
        // No reuse: a QNetworkAccessManager of its own, gone with the request. Qt can leave a connection it
        // opened for nobody idle in a pool, and the next request to that pool would ride it.
        QNetworkAccessManager *privateManager = nullptr;
    };

    ObservableNetworkAccessManager *manager();
    static qint64 now() { return steadyNowNs(); }
    void send(InFlight flight);
    bool shouldRetry(QNetworkReply *reply, const InFlight &flight) const;
    void dropConnectionsWhenIdle();
    void track(QNetworkReply *reply, InFlight flight);
    void readBody(QNetworkReply *reply);
    void complete(QNetworkReply *reply);
    void abortTooLarge(QNetworkReply *reply, InFlight &flight);
    void retire(QNetworkAccessManager *privateManager);

    ObservableNetworkAccessManager *m_manager = nullptr; // the pool every pooled request shares
    ConnectionTracker m_tracker;
    QHash<QNetworkReply *, InFlight> m_inFlight;
    const Dispatch *m_pendingWarmUp = nullptr;
    // After a stall or a dead connection in an HTTP/2 pool: every connection is dropped once nothing is in
    // flight, and what is sent meanwhile waits for that.
    bool m_dropConnectionsPending = false;
    QList<InFlight> m_held;
    // Deleting a manager joins its network thread: up to several ms on a busy machine, during which the
    // replies of every other request would wait. The no-reuse managers are deleted in a thread of their own.
    QThread *m_reaper = nullptr;
    QObject *m_reaperContext = nullptr; // lives in m_reaper
};
