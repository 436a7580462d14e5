#include "jsonreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace {

QString describe(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String: {
        constexpr int shown = 40;
        const QString text = value.toString();
        return QStringLiteral("the string \"%1\"")
            .arg(text.size() > shown ? text.left(shown) + QStringLiteral("...") : text);
    }
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

const char *expectedName(QJsonValue::Type type)
{
    switch (type) {
    case QJsonValue::Null:
        return "null";
    case QJsonValue::Bool:
        return "a boolean";
    case QJsonValue::Double:
        return "a number";
    case QJsonValue::String:
        return "a string";
    case QJsonValue::Array:
        return "an array";
    case QJsonValue::Object:
        return "an object";
    case QJsonValue::Undefined:
        break;
    }
    return "a value";
}

bool isIdentifier(const QString &key)
{
    if (key.isEmpty() || key.front().isDigit())
        return false;
    return std::all_of(key.begin(), key.end(), [](QChar c) {
        return (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
            || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
            || (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('_');
    });
}

QString memberStep(const QString &key)
{
    if (isIdentifier(key))
        return QLatin1Char('.') + key;
    QString escaped = key;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return QStringLiteral("[\"") + escaped + QStringLiteral("\"]");
}

// Exchanges never write exponents, so a JSON number gets plain notation where that stays short.
QString numberText(double value)
{
    const double magnitude = std::abs(value);
    if (magnitude == 0 || (magnitude >= 1e-9 && magnitude < 1e21))
        return QString::number(value, 'f', QLocale::FloatingPointShortest);
    return Decimal::fromValue(value).text;
}

bool isIntegerText(const QString &text)
{
    qsizetype i = 0;
    if (i < text.size() && (text[i] == QLatin1Char('-') || text[i] == QLatin1Char('+')))
        ++i;
    if (i == text.size())
        return false;
    for (; i < text.size(); ++i) {
        if (text[i] < QLatin1Char('0') || text[i] > QLatin1Char('9'))
            return false;
    }
    return true;
}

bool isBlank(const QByteArray &body)
{
    return std::all_of(body.begin(), body.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

} // namespace

JsonPath JsonPath::member(const QString &key) const
{
    JsonPath path;
    path.m_last = std::make_shared<const Step>(Step {m_last, key});
    return path;
}

JsonPath JsonPath::element(qsizetype index) const
{
    JsonPath path;
    path.m_last = std::make_shared<const Step>(Step {m_last, QString(), index});
    return path;
}

QString JsonPath::toString() const
{
    QStringList steps;
    for (const Step *step = m_last.get(); step; step = step->parent.get())
        steps.prepend(step->index >= 0 ? QStringLiteral("[%1]").arg(step->index) : memberStep(step->key));
    return QLatin1Char('$') + steps.join(QString());
}

JsonNode::JsonNode(JsonReader *reader, const QJsonValue &value, const JsonPath &path)
    : m_reader(reader)
    , m_value(value)
    , m_path(path)
{ }

void JsonNode::fail(const QString &message) const
{
    if (m_reader)
        m_reader->fail(m_path.toString() + QStringLiteral(": ") + message);
}

void JsonNode::failExpected(const char *expected) const
{
    if (m_value.isUndefined())
        fail(QStringLiteral("missing (expected %1)").arg(QLatin1String(expected)));
    else
        fail(QStringLiteral("expected %1, got %2").arg(QLatin1String(expected), describe(m_value)));
}

bool JsonNode::acceptsAbsent(Presence presence, const char *expected) const
{
    if (!m_reader || m_reader->failed())
        return true;
    if (isPresent())
        return false;
    if (presence == Required)
        failExpected(expected);
    return true;
}

bool JsonNode::expect(QJsonValue::Type type) const
{
    if (!m_reader || m_reader->failed())
        return false;
    if (m_value.type() == type)
        return true;
    failExpected(expectedName(type));
    return false;
}

JsonNode JsonNode::field(const char *key) const
{
    const QString name = QString::fromLatin1(key);
    if (!m_value.isObject()) {
        expect(QJsonValue::Object);
        return JsonNode(m_reader, QJsonValue(QJsonValue::Undefined), m_path.member(name));
    }
    return JsonNode(m_reader, m_value.toObject().value(name), m_path.member(name));
}

QList<JsonNode> JsonNode::elements(Presence presence) const
{
    if (acceptsAbsent(presence, "an array") || !expect(QJsonValue::Array))
        return {};
    const QJsonArray array = m_value.toArray();
    if (array.size() > maxParsedItems) {
        fail(QStringLiteral("%1 items, more than the limit of %2").arg(array.size()).arg(maxParsedItems));
        return {};
    }
    QList<JsonNode> result;
    result.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i)
        result.append(JsonNode(m_reader, array.at(i), m_path.element(i)));
    return result;
}

QList<std::pair<QString, JsonNode>> JsonNode::members() const
{
    if (!expect(QJsonValue::Object))
        return {};
    const QJsonObject object = m_value.toObject();
    if (object.size() > maxParsedItems) {
        fail(QStringLiteral("%1 members, more than the limit of %2").arg(object.size()).arg(maxParsedItems));
        return {};
    }
    QList<std::pair<QString, JsonNode>> result;
    result.reserve(object.size());
    for (auto it = object.begin(); it != object.end(); ++it)
        result.append({it.key(), JsonNode(m_reader, it.value(), m_path.member(it.key()))});
    return result;
}

QString JsonNode::toText(Presence presence) const
{
    if (acceptsAbsent(presence, "a string"))
        return {};
    if (!m_value.isString()) {
        failExpected("a string");
        return {};
    }
    const QString text = m_value.toString();
    if (text.isEmpty() && presence == Required)
        failExpected("a non-empty string");
    return text;
}

Decimal JsonNode::toDecimal(Presence presence) const
{
    if (acceptsAbsent(presence, "a decimal"))
        return {};
    Decimal decimal;
    const QString text = m_value.isString() ? m_value.toString() : QString();
    if (const std::optional<double> value = decimalValue(text); m_value.isString() && value) {
        decimal.text = text;
        decimal.value = *value;
    } else if (m_value.isDouble() && std::isfinite(m_value.toDouble())) {
        decimal.value = m_value.toDouble();
        decimal.text = numberText(decimal.value);
    } else {
        failExpected("a decimal");
    }
    return decimal;
}

Decimal JsonNode::toDecimalOrNone() const
{
    if (m_value.isString() && m_value.toString().compare(QLatin1String("NaN"), Qt::CaseInsensitive) == 0)
        return {};
    return toDecimal(Optional);
}

qint64 JsonNode::toInteger(Presence presence, qint64 absent) const
{
    if (acceptsAbsent(presence, "an integer"))
        return absent;
    // Beyond this a double no longer converts to qint64 safely.
    constexpr double limit = 9.2e18;
    if (m_value.isDouble()) {
        const double number = m_value.toDouble();
        if (std::isfinite(number) && number == std::trunc(number) && std::abs(number) < limit)
            return m_value.toInteger(qint64(number));
    } else if (m_value.isString() && isIntegerText(m_value.toString())) {
        bool ok = false;
        const qint64 number = m_value.toString().toLongLong(&ok);
        if (ok)
            return number;
    }
    failExpected("an integer");
    return absent;
}

int JsonNode::toInt(Presence presence, int absent) const
{
    const qint64 number = toInteger(presence, absent);
    if (!m_reader || m_reader->failed())
        return absent;
    if (number < std::numeric_limits<int>::min() || number > std::numeric_limits<int>::max()) {
        fail(QStringLiteral("%1 is out of range").arg(number));
        return absent;
    }
    return int(number);
}

bool JsonNode::toBool(Presence presence, bool absent) const
{
    if (acceptsAbsent(presence, "a boolean"))
        return absent;
    if (m_value.isBool())
        return m_value.toBool();
    if (m_value.toString() == QLatin1String("true"))
        return true;
    if (m_value.toString() == QLatin1String("false"))
        return false;
    failExpected("a boolean");
    return absent;
}

qint64 JsonNode::toWholeNumberOr(qint64 otherwise) const
{
    constexpr double limit = 9.2e18; // as in toInteger
    if (m_value.isString()) {
        const QString text = m_value.toString();
        bool ok = false;
        const qint64 number = isIntegerText(text) ? text.toLongLong(&ok) : 0;
        if (ok)
            return number;
        if (!isDecimalText(text))
            return otherwise;
        const double value = text.toDouble();
        return value == std::trunc(value) && std::abs(value) < limit ? qint64(value) : otherwise;
    }
    if (m_value.isDouble()) {
        const double value = m_value.toDouble();
        if (std::isfinite(value) && value == std::trunc(value) && std::abs(value) < limit)
            return m_value.toInteger(qint64(value));
    }
    return otherwise;
}

JsonReader::JsonReader(const QByteArray &body)
{
    if (body.size() > maxParsedBodyBytes) {
        fail(QStringLiteral("body of %1 bytes is over the limit of %2 bytes")
                 .arg(body.size())
                 .arg(maxParsedBodyBytes));
        return;
    }
    if (isBlank(body)) {
        fail(QStringLiteral("empty body"));
        return;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error == QJsonParseError::NoError) {
        m_root = document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
        return;
    }
    // Qt takes only an object or an array at the top. A lone null or number is valid JSON of the wrong shape,
    // and is reported as such by the parser that expected something else.
    const QJsonDocument wrapped = QJsonDocument::fromJson('[' + body + ']');
    if (wrapped.isArray() && wrapped.array().size() == 1) {
        m_root = wrapped.array().first();
        return;
    }
    const QString cut = error.offset >= body.size() ? QStringLiteral(" (truncated?)") : QString();
    fail(QStringLiteral("invalid JSON at byte %1 of %2%3: %4")
             .arg(error.offset)
             .arg(body.size())
             .arg(cut, error.errorString()));
}

void JsonReader::fail(const QString &message)
{
    if (m_error.isEmpty())
        m_error = message;
}

void JsonReader::failWithApiCode(int apiCode, const QString &message)
{
    if (!m_error.isEmpty())
        return;
    m_error = message;
    m_apiCode = apiCode;
}

bool isDecimalText(const QString &text)
{
    return decimalValue(text).has_value();
}

std::optional<double> decimalValue(const QString &text)
{
    qsizetype i = 0;
    auto digits = [&text, &i] {
        const qsizetype start = i;
        while (i < text.size() && text[i] >= QLatin1Char('0') && text[i] <= QLatin1Char('9'))
            ++i;
        return i - start;
    };
    if (i < text.size() && (text[i] == QLatin1Char('-') || text[i] == QLatin1Char('+')))
        ++i;
    qsizetype mantissaDigits = digits();
    if (i < text.size() && text[i] == QLatin1Char('.')) {
        ++i;
        mantissaDigits += digits();
    }
    if (mantissaDigits == 0)
        return std::nullopt;
    if (i < text.size() && (text[i] == QLatin1Char('e') || text[i] == QLatin1Char('E'))) {
        ++i;
        if (i < text.size() && (text[i] == QLatin1Char('-') || text[i] == QLatin1Char('+')))
            ++i;
        if (digits() == 0)
            return std::nullopt;
    }
    if (i != text.size())
        return std::nullopt;
    // Plain ASCII by now: from_chars on a copy on the stack, without QLocale's machinery.
    char ascii[64];
    const qsizetype skip = text.startsWith(QLatin1Char('+')) ? 1 : 0;
    double value = 0;
    if (text.size() - skip <= qsizetype(sizeof ascii)) {
        const qsizetype length = text.size() - skip;
        for (qsizetype k = 0; k < length; ++k)
            ascii[k] = char(text[skip + k].unicode());
        const auto [end, error] = std::from_chars(ascii, ascii + length, value);
        if (error != std::errc() || end != ascii + length)
            return std::nullopt;
    } else {
        bool ok = false;
        value = text.toDouble(&ok);
        if (!ok)
            return std::nullopt;
    }
    if (!std::isfinite(value))
        return std::nullopt;
    return value;
}

Decimal decimalSum(const QList<Decimal> &terms)
{
    double sum = 0;
    int places = 0;
    bool plain = true;
    for (const Decimal &term : terms) {
        if (!term.isValid())
            return {};
        sum += term.value;
        const qsizetype point = term.text.indexOf(QLatin1Char('.'));
        if (term.text.contains(QLatin1Char('e'), Qt::CaseInsensitive))
            plain = false;
        else if (point >= 0)
            places = std::max(places, int(term.text.size() - point - 1));
    }
    // Rounding to the terms' places removes the binary error of the additions, as long as that error stays
    // well below half a unit in the last place.
    if (!plain || places > 15 || std::abs(sum) * std::pow(10.0, places) >= 1e15)
        return Decimal::fromValue(sum);
    QString text = QString::number(sum, 'f', places);
    if (text.contains(QLatin1Char('.'))) {
        while (text.endsWith(QLatin1Char('0')))
            text.chop(1);
        if (text.endsWith(QLatin1Char('.')))
            text.chop(1);
    }
    if (text == QLatin1String("-0"))
        text = QStringLiteral("0");
    Decimal decimal;
    decimal.text = text;
    decimal.value = text.toDouble();
    return decimal;
}
