#include "fault.h"

namespace {

struct Name
{
    Fault::Kind kind;
    const char *name;
    int defaultArg;
};

constexpr Name kinds[] = {
    {Fault::Kind::None, "none", 0},
    {Fault::Kind::TooManyRequests, "429", 2},
    {Fault::Kind::RateLimitCode, "rate-limit", 10006},
    {Fault::Kind::ServerError, "500", 0},
    {Fault::Kind::ResetMidBody, "reset", 0},
    {Fault::Kind::TruncatedBody, "truncate", 0},
    {Fault::Kind::MalformedJson, "malformed", 0},
    {Fault::Kind::Stall, "stall", 0},
    {Fault::Kind::CloseIdleEarly, "close-idle", 100},
    {Fault::Kind::SlowTrickle, "trickle", 100},
    {Fault::Kind::HugeBody, "huge", 50},
    {Fault::Kind::StaleKeepAlive, "stale", 0},
    {Fault::Kind::Unprocessable, "422", 0},
    {Fault::Kind::ClockSkew, "skew", 120},
    {Fault::Kind::ClockSkewBehind, "skew-behind", 120},
};

const Name &entry(Fault::Kind kind)
{
    for (const Name &n : kinds) {
        if (n.kind == kind)
            return n;
    }
    return kinds[0];
}

} // namespace

QString nameOf(SimExchange exchange)
{
    return exchange == SimExchange::Bitunix ? QStringLiteral("bitunix") : QStringLiteral("hyperliquid");
}

std::optional<Fault> Fault::parse(const QString &text, QString *error)
{
    const QString name = text.section(QLatin1Char(':'), 0, 0);
    const QString argText = text.section(QLatin1Char(':'), 1);
    for (const Name &n : kinds) {
        if (name != QLatin1String(n.name))
            continue;
        Fault fault;
        fault.kind = n.kind;
        if (!argText.isEmpty()) {
            bool ok = false;
            fault.arg = argText.toInt(&ok);
            if (!ok || fault.arg <= 0 || fault.kind == Kind::None
                || (fault.kind == Kind::RateLimitCode && fault.arg != 10005 && fault.arg != 10006)) {
                if (error)
                    *error = QStringLiteral("bad argument in fault '%1'").arg(text);
                return std::nullopt;
            }
        }
        return fault;
    }
    if (error)
        *error =
            QStringLiteral("unknown fault '%1' (known: %2)").arg(text, names().join(QStringLiteral(", ")));
    return std::nullopt;
}

QStringList Fault::names()
{
    QStringList result;
    for (const Name &n : kinds)
        result.append(QLatin1String(n.name));
    return result;
}

QString Fault::toString() const
{
    const QString name = QLatin1String(entry(kind).name);
    return arg > 0 ? name + QLatin1Char(':') + QString::number(arg) : name;
}

int Fault::argOrDefault() const
{
    return arg > 0 ? arg : entry(kind).defaultArg;
}

qint64 Fault::clockOffsetMs() const
{
    if (kind == Kind::ClockSkew)
        return qint64(argOrDefault()) * 1000;
    if (kind == Kind::ClockSkewBehind)
        return -qint64(argOrDefault()) * 1000;
    return 0;
}

SimResponse applyFault(const Fault &fault, SimExchange exchange, SimResponse response)
{
    switch (fault.kind) {
    case Fault::Kind::None:
    case Fault::Kind::CloseIdleEarly: // a server setting, not a response
    case Fault::Kind::ClockSkew: // the server's clock: Exsim::answer applies it
    case Fault::Kind::ClockSkewBehind:
        return response;
    case Fault::Kind::StaleKeepAlive:
        response.action = SimResponse::Action::DropIfReused;
        return response;
    case Fault::Kind::Unprocessable:
        return SimResponse::text("Failed to deserialize the JSON body into the target type", 422);
    case Fault::Kind::RateLimitCode:
        if (exchange == SimExchange::Bitunix) {
            const int code = fault.argOrDefault();
            const char *message =
                code == 10005 ? "Too many requests, please try again later" : "Request too frequently";
            return SimResponse::json(QByteArrayLiteral("{\"code\":") + QByteArray::number(code)
                                     + ",\"data\":null,\"msg\":\"" + message + "\"}");
        }
        Q_FALLTHROUGH();
    case Fault::Kind::TooManyRequests: {
        SimResponse limited = SimResponse::text("Too Many Requests", 429);
        limited.headers.append(
            {"Retry-After",
             QByteArray::number(fault.kind == Fault::Kind::TooManyRequests ? fault.argOrDefault() : 2)});
        return limited;
    }
    case Fault::Kind::ServerError:
        return SimResponse::json("null", 500);
    case Fault::Kind::ResetMidBody:
        response.delivery = SimResponse::Delivery::Reset;
        return response;
    case Fault::Kind::TruncatedBody:
        response.delivery = SimResponse::Delivery::Truncated;
        return response;
    case Fault::Kind::MalformedJson:
        response.body = response.body.left(std::max<qsizetype>(1, response.body.size() * 2 / 3)) + ",\"";
        return response;
    case Fault::Kind::Stall:
        response.action = SimResponse::Action::Stall;
        return response;
    case Fault::Kind::SlowTrickle:
        response.delivery = SimResponse::Delivery::Trickle;
        response.trickleIntervalMs = fault.argOrDefault();
        response.trickleChunkBytes = 64;
        return response;
    case Fault::Kind::HugeBody: {
        // Valid JSON, so that only the size can be the problem.
        const qsizetype size = qsizetype(fault.argOrDefault()) * 1024 * 1024;
        QByteArray huge;
        huge.reserve(size);
        huge += "[\"";
        huge += QByteArray(size - 4, 'x');
        huge += "\"]";
        response.status = 200;
        response.contentType = "application/json";
        response.body = huge;
        return response;
    }
    }
    return response;
}
