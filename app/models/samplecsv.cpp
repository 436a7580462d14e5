#include "samplecsv.h"

#include "latencylog.h"
#include "net/requestsample.h"

#include <QDateTime>
#include <QStringList>

namespace {

QByteArray field(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    // Quote what needs it, and neutralise spreadsheet formulas in free text.
    if (!bytes.isEmpty() && QByteArrayView("=+-@\t\r").contains(bytes.front()) && text.toDouble() == 0
        && text != QLatin1String("0"))
        bytes.prepend('\'');
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\n') || bytes.contains('\r')) {
        bytes.replace('"', "\"\"");
        bytes = '"' + bytes + '"';
    }
    return bytes;
}

QByteArray number(double value)
{
    return value < 0 ? QByteArray() : QByteArray::number(value, 'f', 3);
}

} // namespace

namespace SampleCsv {

QByteArray header()
{
    return "id,started_at,exchange,endpoint,host,method,status,bytes,error,error_text,protocol,reuse,"
           "connection,"
           "connections_opened,resent,warm_up,connect_start_ms,tls_done_ms,request_sent_ms,first_byte_ms,"
           "total_ms,"
           "queue_ms,connect_ms,wait_ms,download_ms\r\n";
}

QByteArray row(const RequestSample &s)
{
    const QList<QByteArray> fields {
        QByteArray::number(s.id),
        QDateTime::fromMSecsSinceEpoch(s.startedAtMsSinceEpoch, Qt::UTC)
            .toString(Qt::ISODateWithMs)
            .toLatin1(),
        field(s.exchange),
        field(s.endpoint),
        field(s.host),
        field(QString::fromLatin1(s.method)),
        QByteArray::number(s.httpStatus),
        QByteArray::number(s.bytesReceived),
        nameOf(s.error).toLatin1(),
        field(s.errorText),
        nameOf(s.protocol).toLatin1(),
        nameOf(s.reuse).toLatin1(),
        nameOf(s.connection).toLatin1(),
        QByteArray::number(s.connectionsOpened),
        QByteArray(s.resent ? "1" : "0"),
        QByteArray(s.warmUp ? "1" : "0"),
        number(s.connectStartMs),
        number(s.tlsDoneMs),
        number(s.requestSentMs),
        number(s.firstByteMs),
        number(s.totalMs()),
        number(s.queueMs()),
        number(s.connectMs()),
        number(s.waitMs()),
        number(s.downloadMs()),
    };
    QByteArray line;
    for (const QByteArray &f : fields) {
        if (!line.isEmpty())
            line += ',';
        line += f;
    }
    return line + "\r\n";
}

QByteArray write(const LatencyLog &log)
{
    QByteArray csv = header();
    csv.reserve(csv.size() + log.size() * 200);
    for (int i = 0; i < log.size(); ++i)
        csv += row(log.at(i));
    return csv;
}

} // namespace SampleCsv
