#pragma once

#include "exchanges/exchangeclient.h"
#include "refresh/refresher.h"

#include <QCoreApplication>
#include <QString>

// What exdash says about one exchange's feeds at one moment: the status bar's health and the positions
// table's empty state. Built from FeedStatus values alone; widgets only lay its text out.
class ExchangeStatus
{
    Q_DECLARE_TR_FUNCTIONS(ExchangeStatus)

public:
    enum class Health {
        Connecting, // no answer yet, and no error
        Ok,
        Stale, // a data kind is older than three cadences, or failing with data kept
        Failing, // an error, and no data kept that has gone stale
    };

    static ExchangeStatus of(const Refresher &refresher, Exchange exchange, qint64 nowMs);
    // feeds and cadences indexed by DataKind.
    static ExchangeStatus from(Exchange exchange, const FeedStatus *feeds, const int *cadenceMs,
                               qint64 nowMs);

    Health health() const { return m_health; }

    // "HL stale 12 s:", "BX ok 1.4 s": the figures, kept whole in the status bar.
    QString figures() const;
    // " the error · public data only (no credentials)": what gives way when the status bar is narrow.
    QString detail() const;
    // Why the positions table has no row of this exchange ("Hyperliquid: loading…"); hasPositions: it has.
    QString positionsNote(bool hasPositions) const;

private:
    Exchange m_exchange = Exchange::Bitunix;
    Health m_health = Health::Connecting;
    QString m_error; // the first failing data kind's message; empty: none
    qint64 m_staleAgeMs = -1; // the stalest data kind's age; -1: none stale
    qint64 m_sinceNewestMs = -1;
    bool m_publicOnly = false; // no credentials: private data is not fetched
    FeedStatus m_positions;
    qint64 m_nowMs = 0;
};

// "Rate share 15 %: BX 1/1 calls/s · HL 164/180 weight/min", and the sentence that says what it means.
QString budgetText(Refresher &refresher);
QString budgetToolTip(Refresher &refresher);
