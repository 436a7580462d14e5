#pragma once

#include "refresh/session.h"

#include <QJsonObject>

// `exdash --once`: one full refresh (every data kind of both exchanges, all at once), then one JSON document:
// tickers, positions, accounts, requests (one per RequestSample) and errors. Exit code 0 when every call
// succeeded, 2 when any failed (the document is printed either way).
class OnceRunner : public QObject
{
    Q_OBJECT
public:
    explicit OnceRunner(QObject *parent = nullptr);

    // Runs the refresh with its own event loop; returns the exit code. `document` receives the result.
    int run(const SessionConfig &config, QJsonObject *document, int timeoutMs = 30'000);

    // The plain-text rendering of a document, for a terminal.
    static QString summary(const QJsonObject &document);
};
