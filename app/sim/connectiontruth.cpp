#include "connectiontruth.h"

std::optional<ServerConnection> ServerConnection::parse(const QByteArray &header)
{
    // "ID/ORDINAL; accepted=NS"
    const qsizetype slash = header.indexOf('/');
    const qsizetype semicolon = header.indexOf(';');
    const QByteArray acceptedKey = QByteArrayLiteral("accepted=");
    const qsizetype accepted = header.indexOf(acceptedKey);
    if (slash < 0 || semicolon < slash || accepted < semicolon)
        return std::nullopt;
    ServerConnection c;
    bool idOk = false;
    bool ordinalOk = false;
    bool acceptedOk = false;
    c.id = header.left(slash).trimmed().toInt(&idOk);
    c.ordinal = header.mid(slash + 1, semicolon - slash - 1).trimmed().toInt(&ordinalOk);
    c.acceptedNs = header.mid(accepted + acceptedKey.size()).trimmed().toLongLong(&acceptedOk);
    if (!idOk || !ordinalOk || !acceptedOk || c.id < 1 || c.ordinal < 1)
        return std::nullopt;
    return c;
}

TruthCheck checkAgainstServer(const RequestSample &s)
{
    TruthCheck check;
    const std::optional<ServerConnection> server = ServerConnection::parse(s.serverConnection);
    if (!server)
        return check;
    check.openedForIt = server->ordinal == 1 && server->acceptedNs > s.startedAtSteadyNs;
    const QString seen =
        QStringLiteral("the server saw request %1 on connection %2, accepted %3 ms %4 the request")
            .arg(server->ordinal)
            .arg(server->id)
            .arg(std::abs(double(server->acceptedNs - s.startedAtSteadyNs)) / 1e6, 0, 'f', 3)
            .arg(server->acceptedNs > s.startedAtSteadyNs ? QLatin1String("after") : QLatin1String("before"));
    check.reason = nameOf(s.connection) + QLatin1String(": ") + seen;
    const bool acceptedAfter = server->acceptedNs > s.startedAtSteadyNs;
    if (s.connection == ConnectionKind::New && server->ordinal != 1
        && !(s.protocol == HttpProtocol::Http2 && acceptedAfter)) {
        // A connection that had served a request before this one was not opened for it. (Over HTTP/2 the
        // streams of a burst all wait for one handshake, and Qt gives encrypted() to one of them, not
        // necessarily the first stream to go out.)
        check.verdict = TruthCheck::Verdict::Misclassified;
    } else if (s.connection == ConnectionKind::Reused && check.openedForIt) {
        // It could not have found that connection ready: it waited for its handshake.
        check.verdict = TruthCheck::Verdict::Misclassified;
    } else if (s.reuse == ReuseMode::NoReuse && !check.openedForIt) {
        check.verdict = TruthCheck::Verdict::NotOpenedForIt;
    } else {
        check.verdict = TruthCheck::Verdict::Consistent;
    }
    return check;
}
