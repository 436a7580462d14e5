#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <utility>

struct SimRequest
{
    QByteArray method;
    QByteArray target; // path and query, as sent
    QByteArray version; // "HTTP/1.1"
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const; // case-insensitive; empty when absent
    QByteArray path() const;
    QByteArray query() const;
    bool keepAlive() const; // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "keep-alive"
};

// Incremental HTTP/1.1 request parser: feed bytes as they arrive, take whole requests as they complete.
// Rejects what a small API server need not accept (chunked bodies, oversized headers or bodies, malformed
// lines) with an error that ends the connection.
class Http1RequestParser
{
public:
    static constexpr int maxHeaderBytes = 16 * 1024;
    static constexpr int maxBodyBytes = 1024 * 1024;

    enum class Status { NeedMore, Ready, Error };

    void feed(const QByteArray &bytes);
    // Ready: *request holds the next request. NeedMore: wait for more bytes. Error: see
    // errorStatus()/error().
    Status next(SimRequest *request);

    int errorStatus() const { return m_errorStatus; } // the HTTP status to answer with
    QString error() const { return m_error; }
    qsizetype buffered() const { return m_buffer.size(); }

private:
    Status fail(int status, const QString &message);

    QByteArray m_buffer;
    int m_errorStatus = 0;
    QString m_error;
};
