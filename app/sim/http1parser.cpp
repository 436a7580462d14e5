#include "http1parser.h"

namespace {

bool isToken(const QByteArray &text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

QByteArray SimRequest::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QByteArray SimRequest::path() const
{
    const qsizetype q = target.indexOf('?');
    return q < 0 ? target : target.left(q);
}

QByteArray SimRequest::query() const
{
    const qsizetype q = target.indexOf('?');
    return q < 0 ? QByteArray() : target.mid(q + 1);
}

bool SimRequest::keepAlive() const
{
    const QByteArray connection = header("connection").toLower();
    if (version == "HTTP/1.0")
        return connection.contains("keep-alive");
    return !connection.contains("close");
}

void Http1RequestParser::feed(const QByteArray &bytes)
{
    if (m_errorStatus == 0)
        m_buffer += bytes;
}

Http1RequestParser::Status Http1RequestParser::fail(int status, const QString &message)
{
    m_errorStatus = status;
    m_error = message;
    m_buffer.clear();
    return Status::Error;
}

Http1RequestParser::Status Http1RequestParser::next(SimRequest *request)
{
    if (m_errorStatus != 0)
        return Status::Error;
    // Tolerate the blank lines some clients send between requests (RFC 9112, 2.2).
    while (m_buffer.startsWith("\r\n"))
        m_buffer.remove(0, 2);

    const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        // Up to three of the bytes may be the start of the blank line that ends a header of the maximum size.
        if (m_buffer.size() > maxHeaderBytes + 3)
            return fail(431, QStringLiteral("request header larger than %1 bytes").arg(maxHeaderBytes));
        return Status::NeedMore;
    }
    if (headerEnd > maxHeaderBytes)
        return fail(431, QStringLiteral("request header larger than %1 bytes").arg(maxHeaderBytes));

    const QList<QByteArray> lines = m_buffer.left(headerEnd).split('\n');
    SimRequest parsed;
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !isToken(requestLine[0]) || !requestLine[1].startsWith('/')
        || !(requestLine[2] == "HTTP/1.1" || requestLine[2] == "HTTP/1.0")) {
        return fail(400, QStringLiteral("malformed request line"));
    }
    parsed.method = requestLine[0];
    parsed.target = requestLine[1];
    parsed.version = requestLine[2];

    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].endsWith('\r') ? lines[i].chopped(1) : lines[i];
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.left(colon)))
            return fail(400, QStringLiteral("malformed header line %1").arg(i));
        parsed.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
    }
    if (parsed.version == "HTTP/1.1" && parsed.header("host").isEmpty())
        return fail(400, QStringLiteral("HTTP/1.1 request without Host"));
    if (!parsed.header("transfer-encoding").isEmpty())
        return fail(501, QStringLiteral("Transfer-Encoding is not supported; send Content-Length"));

    qint64 bodyLength = 0;
    const QByteArray lengthText = parsed.header("content-length");
    if (!lengthText.isEmpty()) {
        bool ok = false;
        bodyLength = lengthText.toLongLong(&ok);
        if (!ok || bodyLength < 0 || lengthText.startsWith('+'))
            return fail(400, QStringLiteral("bad Content-Length"));
        if (bodyLength > maxBodyBytes)
            return fail(413, QStringLiteral("request body larger than %1 bytes").arg(maxBodyBytes));
    }
    const qsizetype bodyStart = headerEnd + 4;
    if (m_buffer.size() - bodyStart < bodyLength)
        return Status::NeedMore;

    parsed.body = m_buffer.mid(bodyStart, bodyLength);
    m_buffer.remove(0, bodyStart + bodyLength);
    *request = std::move(parsed);
    return Status::Ready;
}
