#include "oncerunner.h"

#include "alerts/alertmonitor.h"

#include "sim/exsimthread.h"

#include <QDateTime>
#include <QEventLoop>
#include <QJsonArray>
#include <QTextStream>
#include <QTimer>

#include <map>

namespace {

QJsonValue number(const Decimal &d)
{
    return d.isValid() ? QJsonValue(d.value) : QJsonValue(QJsonValue::Null);
}

QJsonValue number(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

QJsonObject toJson(const Ticker &t)
{
    return {{QStringLiteral("exchange"), nameOf(t.exchange)},
            {QStringLiteral("symbol"), t.symbol},
            {QStringLiteral("last"), number(t.last)},
            {QStringLiteral("mark"), number(t.mark)},
            {QStringLiteral("change24hPct"), number(t.change24hPercent())},
            {QStringLiteral("volume24hQuote"), number(t.volumeQuote)},
            {QStringLiteral("funding"), number(t.funding)},
            {QStringLiteral("openInterest"), number(t.openInterest)}};
}

QJsonObject toJson(const Position &p)
{
    return {
        {QStringLiteral("exchange"), nameOf(p.exchange)},
        {QStringLiteral("symbol"), p.symbol},
        {QStringLiteral("side"),
         p.side == Position::Side::Long ? QStringLiteral("long") : QStringLiteral("short")},
        {QStringLiteral("size"), number(p.size)},
        {QStringLiteral("entryPrice"), number(p.entryPrice)},
        {QStringLiteral("markPrice"), number(p.markPrice)},
        {QStringLiteral("unrealizedPnl"), number(p.unrealizedPnl)},
        {QStringLiteral("leverage"), p.leverage > 0 ? QJsonValue(p.leverage) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("liquidationPrice"), number(p.liquidationPrice)},
        {QStringLiteral("margin"), number(p.margin)}};
}

QJsonObject toJson(const AccountSummary &a)
{
    return {{QStringLiteral("exchange"), nameOf(a.exchange)},
            {QStringLiteral("equity"), number(a.equity)},
            {QStringLiteral("available"), number(a.available)}};
}

QJsonObject toJson(const RequestSample &s)
{
    QJsonObject o {{QStringLiteral("exchange"), s.exchange},
                   {QStringLiteral("endpoint"), s.endpoint},
                   {QStringLiteral("host"), s.host},
                   {QStringLiteral("method"), QString::fromLatin1(s.method)},
                   {QStringLiteral("status"), s.httpStatus},
                   {QStringLiteral("reused"), s.connection == ConnectionKind::Reused},
                   {QStringLiteral("connection"), nameOf(s.connection)},
                   {QStringLiteral("http2"), s.protocol == HttpProtocol::Http2},
                   {QStringLiteral("reuseMode"), nameOf(s.reuse)},
                   {QStringLiteral("totalMs"), s.totalMs()},
                   {QStringLiteral("phases"),
                    QJsonObject {{QStringLiteral("queueMs"), s.queueMs()},
                                 {QStringLiteral("connectMs"), s.connectMs()},
                                 {QStringLiteral("waitMs"), s.waitMs()},
                                 {QStringLiteral("downloadMs"), s.downloadMs()}}}};
    if (!s.ok())
        o.insert(QStringLiteral("error"), s.errorText);
    if (s.warmUp)
        o.insert(QStringLiteral("warmUp"), true);
    return o;
}

} // namespace

OnceRunner::OnceRunner(QObject *parent)
    : QObject(parent)
{ }

int OnceRunner::run(const SessionConfig &config, QJsonObject *document, int timeoutMs)
{
    QJsonArray errors;
    Session session(exsimStarter());
    QString error;
    if (!session.start(config, &error)) {
        errors.append(QJsonObject {{QStringLiteral("exchange"), QJsonValue::Null},
                                   {QStringLiteral("kind"), QStringLiteral("setup")},
                                   {QStringLiteral("message"), error}});
        *document = {{QStringLiteral("errors"), errors}};
        return 2;
    }

    // The last emission per exchange wins (Bitunix positions are emitted again once marks arrive).
    std::map<int, QList<Ticker>> tickers;
    std::map<int, QList<Position>> positions;
    std::map<int, AccountSummary> accounts;
    QJsonArray requests;
    for (ExchangeClient *client : session.clients()) {
        connect(client, &ExchangeClient::tickersUpdated, this,
                [&tickers](Exchange e, const QList<Ticker> &list) { tickers[int(e)] = list; });
        connect(client, &ExchangeClient::positionsUpdated, this,
                [&positions](Exchange e, const QList<Position> &list) { positions[int(e)] = list; });
        connect(client, &ExchangeClient::accountUpdated, this,
                [&accounts](const AccountSummary &a) { accounts[int(a.exchange)] = a; });
        connect(client, &ExchangeClient::fetched, this,
                [&errors](Exchange e, DataKind kind, const FetchError &f) {
                    if (!f.ok())
                        errors.append(QJsonObject {{QStringLiteral("exchange"), nameOf(e)},
                                                   {QStringLiteral("data"), nameOf(kind)},
                                                   {QStringLiteral("kind"), nameOf(f.kind)},
                                                   {QStringLiteral("message"), f.message}});
                });
    }
    connect(session.http(), &HttpClient::sampleReady, this,
            [&requests](const RequestSample &s) { requests.append(toJson(s)); });

    // What the rules say of this one refresh: the positions' distances to liquidation, the exchanges' errors
    // (latency and reuse need a window of calls, which one refresh is not).
    AlertMonitor alerts(&session, nullptr);
    alerts.start();

    QEventLoop loop;
    auto maybeDone = [&session, &loop] {
        if (session.refresher()->inFlight() == 0 && session.http()->inFlight() == 0)
            loop.quit();
    };
    connect(session.refresher(), &Refresher::idle, &loop, maybeDone);
    connect(session.http(), &HttpClient::sampleReady, &loop, maybeDone, Qt::QueuedConnection);
    bool timedOut = false;
    QTimer::singleShot(timeoutMs, &loop, [&loop, &timedOut] {
        timedOut = true;
        loop.quit();
    });
    session.refresher()->refreshNow();
    loop.exec();
    if (timedOut)
        errors.append(
            QJsonObject {{QStringLiteral("exchange"), QJsonValue::Null},
                         {QStringLiteral("kind"), QStringLiteral("timeout")},
                         {QStringLiteral("message"),
                          QStringLiteral("the refresh did not finish within %1 ms").arg(timeoutMs)}});

    alerts.stop();
    alerts.evaluate(QDateTime::currentMSecsSinceEpoch());
    QJsonArray alertArray;
    for (const Alert &alert : alerts.engine()->openAlerts())
        alertArray.append(toJson(alert));

    QJsonArray tickerArray, positionArray, accountArray;
    for (const auto &[e, list] : tickers)
        for (const Ticker &t : list)
            tickerArray.append(toJson(t));
    for (const auto &[e, list] : positions)
        for (const Position &p : list)
            positionArray.append(toJson(p));
    for (const auto &[e, a] : accounts)
        accountArray.append(toJson(a));
    *document = {
        {QStringLiteral("mode"), config.demo ? QStringLiteral("demo") : QStringLiteral("live")},
        {QStringLiteral("tickers"), tickerArray},
        {QStringLiteral("positions"), positionArray},
        {QStringLiteral("accounts"), accountArray},
        {QStringLiteral("requests"), requests},
        {QStringLiteral("errors"), errors},
        {QStringLiteral("alerts"), alertArray},
        {QStringLiteral("positionsNotJudged"), QJsonArray::fromStringList(alerts.skippedPositions())}};
    return errors.isEmpty() ? 0 : 2;
}

QString OnceRunner::summary(const QJsonObject &document)
{
    QString text;
    QTextStream out(&text);
    auto value = [](const QJsonValue &v) {
        return v.isNull() ? QStringLiteral("—") : QString::number(v.toDouble(), 'g', 10);
    };
    out << "Tickers\n";
    for (const QJsonValue &v : document.value(QStringLiteral("tickers")).toArray()) {
        const QJsonObject t = v.toObject();
        out << "  " << t.value(QStringLiteral("exchange")).toString().left(2).toUpper() << ' '
            << t.value(QStringLiteral("symbol")).toString().leftJustified(14)
            << value(t.value(QStringLiteral("last"))) << "  24h "
            << value(t.value(QStringLiteral("change24hPct"))) << " %\n";
    }
    out << "Positions\n";
    for (const QJsonValue &v : document.value(QStringLiteral("positions")).toArray()) {
        const QJsonObject p = v.toObject();
        out << "  " << p.value(QStringLiteral("exchange")).toString().left(2).toUpper() << ' '
            << p.value(QStringLiteral("symbol")).toString().leftJustified(14)
            << p.value(QStringLiteral("side")).toString().leftJustified(6)
            << value(p.value(QStringLiteral("size"))) << " uPnL "
            << value(p.value(QStringLiteral("unrealizedPnl"))) << '\n';
    }
    out << "Accounts\n";
    for (const QJsonValue &v : document.value(QStringLiteral("accounts")).toArray()) {
        const QJsonObject a = v.toObject();
        out << "  " << a.value(QStringLiteral("exchange")).toString() << " equity "
            << value(a.value(QStringLiteral("equity"))) << " available "
            << value(a.value(QStringLiteral("available"))) << '\n';
    }
    const QJsonArray requests = document.value(QStringLiteral("requests")).toArray();
    int reused = 0;
    for (const QJsonValue &v : requests)
        reused += v.toObject().value(QStringLiteral("reused")).toBool() ? 1 : 0;
    out << "Requests: " << requests.size() << " (" << reused << " on a reused connection)\n";
    for (const QJsonValue &v : document.value(QStringLiteral("errors")).toArray()) {
        const QJsonObject e = v.toObject();
        out << "Error: " << e.value(QStringLiteral("exchange")).toString() << ' '
            << e.value(QStringLiteral("kind")).toString() << ": "
            << e.value(QStringLiteral("message")).toString() << '\n';
    }
    for (const QJsonValue &v : document.value(QStringLiteral("alerts")).toArray()) {
        const QJsonObject alert = v.toObject();
        out << "Alert (" << alert.value(QStringLiteral("severity")).toString()
            << "): " << alert.value(QStringLiteral("summary")).toString() << ": "
            << alert.value(QStringLiteral("values")).toString() << '\n';
    }
    return text;
}
