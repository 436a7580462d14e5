#pragma once

#include "refresh/session.h"

#include <QJsonObject>

#include <functional>

// `exdash --bench`: the real client stack (HttpClient, both exchange clients, the Refresher; no GUI) for N
// full refresh cycles, back to back, against exsim (a child process, or in this process) or live URLs. With
// the interleaved mode the arms alternate cycle by cycle, so both see the same network. One JSON document:
//   {"rttMs", "cycles", "target", "exsim", "concurrency", "errors",
//    "modes": {"pooled": {...}, "no-reuse": {...}},        each with requests, newConnections, callP50Ms,
//                                                          callP95Ms, callFirstMs, cycleP50Ms, cycleP95Ms,
//                                                          cpuMsPerRequest, serverChecked, misclassified,
//                                                          notOpenedForIt, unknownKind, maxConcurrent (the
//                                                          most requests in flight at once), and endpoints:
//                                                          {"bitunix tickers": {requests, callP50Ms,
//                                                          callP95Ms}, ...}
//    "gain": {"callP50Ratio", "cycleP50Ratio"} (null unless both arms ran),
//    "memory": {"rssKb": [one per tenth of the run], "logCapacity", "logFullAtCycle"},
//    "gainReport": {"samples", "pooledInWindow", "computeMs"}}
// Against exsim every sample's connection kind is held against the server's tag (sim/connectiontruth.h):
// misclassified and notOpenedForIt must be 0.
// A call is a successful API request (warm-ups and failures excluded, as in the window's gain panel); a cycle
// runs from the Refresher sending it to its last answer. CPU is the process's, minus the simulator thread's
// when exsim runs in this process.
struct BenchOptions
{
    int cycles = 30;
    // Concurrency 1: one data kind at a time, each fetch after the last one's answer, as a script with one
    // pooled python-requests Session sends (a fetch that needs two calls still sends them together). Against
    // exsim only: nothing paces it to a rate limit.
    bool sequential = false;
    // What a demo config runs against; empty: exsim in this process (ExsimThread), its thread's CPU
    // subtracted from the client's.
    DemoStarter startDemo;
    QString exsimLabel = QStringLiteral("in-process"); // how the document names startDemo's simulator
};

class BenchRunner : public QObject
{
    Q_OBJECT
public:
    using Progress = std::function<void(int cyclesDone, int cycles)>;

    explicit BenchRunner(QObject *parent = nullptr);

    // Returns the exit code: 0, 2 when a call failed or the server contradicted a sample's kind (the document
    // says how many), 64 when it could not start.
    int run(const SessionConfig &config, const BenchOptions &options, QJsonObject *document,
            const Progress &progress = {});

    static QString table(const QJsonObject &document);
};
