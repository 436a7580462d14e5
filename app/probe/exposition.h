#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <map>

// The Prometheus text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/): what `GET /metrics` answers.
namespace Exposition {
inline constexpr char contentType[] = "text/plain; version=0.0.4; charset=utf-8";

// A sample value as Prometheus reads it: "+Inf", "-Inf", "NaN", or the shortest text that reads back exactly.
QByteArray formatValue(double value);
// Label values may hold any UTF-8; backslash, double quote and line feed are escaped.
QByteArray escapeLabelValue(const QString &value);
} // namespace Exposition

// Cumulative buckets with fixed upper bounds, a sum and a count: one labelled series of a histogram.
class Histogram
{
public:
    explicit Histogram(const QList<double> &upperBounds); // ascending, +Inf left out

    void observe(double value);
    const QList<double> &upperBounds() const { return m_bounds; }
    // Observations <= upperBounds()[i]; the last entry (+Inf) is count().
    QList<quint64> cumulativeCounts() const;
    quint64 count() const { return m_count; }
    double sum() const { return m_sum; }

private:
    QList<double> m_bounds; // shared between the series of a family
    QList<quint64> m_perBucket; // one per bound, and one for +Inf
    quint64 m_count = 0;
    double m_sum = 0;
};

// Writes metric families one after the other: # HELP, # TYPE, then the samples, labels in the order named.
class ExpositionWriter
{
public:
    // type: counter, gauge, histogram or untyped.
    void family(const char *name, const char *type, const char *help);
    void sample(const char *name, const QStringList &labelNames, const QStringList &labelValues,
                double value);
    // name_bucket{...,le="…"}, name_sum and name_count for one series.
    void histogram(const char *name, const QStringList &labelNames, const QStringList &labelValues,
                   const Histogram &histogram);
    const QByteArray &text() const { return m_text; }

private:
    void writeLabels(const QStringList &names, const QStringList &values, const char *extraName = nullptr,
                     const QByteArray &extraValue = {});
    QByteArray m_text;
};

// One metric's series by label values (in the order of its label names).
template<typename Series>
using LabelledSeries = std::map<QStringList, Series>;
