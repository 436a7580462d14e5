#include "exposition.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace Exposition {

QByteArray formatValue(double value)
{
    if (std::isnan(value))
        return QByteArrayLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("+Inf") : QByteArrayLiteral("-Inf");
    char buffer[64];
    // Plain decimals where they are short ("0.0005", not "5e-04"), as people read them in the bucket labels.
    const double magnitude = std::abs(value);
    const auto result = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e15)
        ? std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed)
        : std::to_chars(buffer, buffer + sizeof buffer, value);
    return QByteArray(buffer, result.ptr - buffer);
}

QByteArray escapeLabelValue(const QString &value)
{
    QByteArray escaped;
    const QByteArray utf8 = value.toUtf8();
    escaped.reserve(utf8.size());
    for (char c : utf8) {
        switch (c) {
        case '\\':
            escaped += "\\\\";
            break;
        case '"':
            escaped += "\\\"";
            break;
        case '\n':
            escaped += "\\n";
            break;
        default:
            escaped += c;
        }
    }
    return escaped;
}

} // namespace Exposition

Histogram::Histogram(const QList<double> &upperBounds)
    : m_bounds(upperBounds)
    , m_perBucket(qsizetype(upperBounds.size()) + 1, 0)
{ }

void Histogram::observe(double value)
{
    if (std::isnan(value))
        return;
    const auto bucket = std::lower_bound(m_bounds.begin(), m_bounds.end(), value) - m_bounds.begin();
    ++m_perBucket[bucket];
    ++m_count;
    m_sum += value;
}

QList<quint64> Histogram::cumulativeCounts() const
{
    QList<quint64> cumulative;
    cumulative.reserve(m_perBucket.size());
    quint64 total = 0;
    for (quint64 n : m_perBucket)
        cumulative.append(total += n);
    return cumulative;
}

void ExpositionWriter::family(const char *name, const char *type, const char *help)
{
    m_text += "# HELP ";
    m_text += name;
    m_text += ' ';
    // Help texts are ours and hold neither backslash nor line feed.
    m_text += help;
    m_text += "\n# TYPE ";
    m_text += name;
    m_text += ' ';
    m_text += type;
    m_text += '\n';
}

void ExpositionWriter::writeLabels(const QStringList &names, const QStringList &values, const char *extraName,
                                   const QByteArray &extraValue)
{
    if (names.isEmpty() && !extraName)
        return;
    m_text += '{';
    for (qsizetype i = 0; i < names.size(); ++i) {
        if (i > 0)
            m_text += ',';
        m_text += names[i].toLatin1();
        m_text += "=\"";
        m_text += Exposition::escapeLabelValue(values.value(i));
        m_text += '"';
    }
    if (extraName) {
        if (!names.isEmpty())
            m_text += ',';
        m_text += extraName;
        m_text += "=\"";
        m_text += extraValue;
        m_text += '"';
    }
    m_text += '}';
}

void ExpositionWriter::sample(const char *name, const QStringList &labelNames, const QStringList &labelValues,
                              double value)
{
    m_text += name;
    writeLabels(labelNames, labelValues);
    m_text += ' ';
    m_text += Exposition::formatValue(value);
    m_text += '\n';
}

void ExpositionWriter::histogram(const char *name, const QStringList &labelNames,
                                 const QStringList &labelValues, const Histogram &histogram)
{
    const QByteArray base(name);
    const QList<quint64> cumulative = histogram.cumulativeCounts();
    const QList<double> &bounds = histogram.upperBounds();
    for (qsizetype i = 0; i < cumulative.size(); ++i) {
        m_text += base + "_bucket";
        const double le = i < bounds.size() ? bounds[i] : INFINITY;
        writeLabels(labelNames, labelValues, "le", Exposition::formatValue(le));
        m_text += ' ';
        m_text += QByteArray::number(cumulative[i]);
        m_text += '\n';
    }
    m_text += base + "_sum";
    writeLabels(labelNames, labelValues);
    m_text += ' ';
    m_text += Exposition::formatValue(histogram.sum());
    m_text += '\n';
    m_text += base + "_count";
    writeLabels(labelNames, labelValues);
    m_text += ' ';
    m_text += QByteArray::number(histogram.count());
    m_text += '\n';
}
