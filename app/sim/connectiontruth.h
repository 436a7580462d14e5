#pragma once

#include "net/requestsample.h"

#include <QString>

#include <optional>

// exsim's view of the connection a response came on, read back from its x-exsim-connection header.
struct ServerConnection
{
    int id = 0; // in the order the origin accepted its connections, from 1
    int ordinal = 0; // the request's place on that connection, from 1
    qint64 acceptedNs = 0; // steadyNowNs()

    static std::optional<ServerConnection> parse(const QByteArray &header);
};

// A sample's connection kind held against what the server saw. Sound under any scheduling: it only flags what
// the server proves wrong, and says which samples the server cannot judge.
struct TruthCheck
{
    enum class Verdict {
        Consistent,
        Misclassified, // the kind contradicts the server
        NotOpenedForIt, // no-reuse, but the request went out on a connection that was not opened for it
        NoTruth, // no answer, or no tag (not exsim)
    };
    Verdict verdict = Verdict::NoTruth;
    QString reason; // what the server saw, for a test's failure message

    // The server proves the request waited for a handshake: it was the first on a connection that the server
    // accepted after the request was made (so the connection could not have been ready before it).
    bool openedForIt = false;
};

TruthCheck checkAgainstServer(const RequestSample &sample);
