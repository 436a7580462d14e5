#pragma once

#include "httpsserver.h"

#include <QString>
#include <QStringList>

#include <optional>

enum class SimExchange { Bitunix, Hyperliquid };
QString nameOf(SimExchange exchange);

// A misbehaviour an exsim origin can be switched to, for demos and reliability tests. While set, it applies
// to every request to that origin. Written NAME[:ARG] on the command line.
struct Fault
{
    enum class Kind {
        None,
        TooManyRequests, // "429[:S]": HTTP 429 with Retry-After: S (default 2)
        RateLimitCode, // "rate-limit[:CODE]": Bitunix code 10006 (or 10005) in HTTP 200; Hyperliquid: 429
        ServerError, // "500": HTTP 500 with the JSON body null, as Hyperliquid's CloudFront answers
        ResetMidBody, // "reset": half the body, then a connection reset
        TruncatedBody, // "truncate": the full length announced, half the body sent, connection closed
        MalformedJson, // "malformed": HTTP 200 whose JSON is cut short
        Stall, // "stall": no response at all
        CloseIdleEarly, // "close-idle[:MS]": the server closes keep-alive connections after MS idle (default
                        // 100)
        SlowTrickle, // "trickle[:MS]": the body 64 bytes at a time, one chunk every MS (default 100)
        HugeBody, // "huge[:MIB]": a well-formed body of MIB MiB (default 50)
        StaleKeepAlive, // "stale": a request on a connection that already served one finds it closed, no
                        // answer (the server's idle close crossed the request)
        Unprocessable, // "422": HTTP 422 text/plain, as Hyperliquid answers a body it cannot deserialise
        ClockSkew, // "skew[:S]": the server's clock runs S seconds ahead of the client's (default 120)
        ClockSkewBehind, // "skew-behind[:S]": S seconds behind (default 120)
    };

    Kind kind = Kind::None;
    int arg = 0; // 0: the default for the kind

    static std::optional<Fault> parse(const QString &text, QString *error = nullptr);
    static QStringList names();
    QString toString() const;
    int argOrDefault() const;
    qint64 clockOffsetMs() const; // how far the server's clock is ahead under this fault

    bool operator==(const Fault &other) const { return kind == other.kind && arg == other.arg; }
};

// What the origin sends instead of `response` while `fault` is set.
SimResponse applyFault(const Fault &fault, SimExchange exchange, SimResponse response);
