#pragma once

#include "exchanges/marketdata.h"
#include "exchanges/parsed.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <memory>
#include <optional>
#include <utility>

class JsonReader;

// The way from a response's root to one of its values ("$.data[3].markPrice"), spelled out only when a
// failure names it: every price of every market is read through a path, and almost none fails.
class JsonPath
{
public:
    JsonPath member(const QString &key) const;
    JsonPath element(qsizetype index) const;
    QString toString() const;

private:
    struct Step
    {
        std::shared_ptr<const Step> parent;
        QString key; // a member's; empty for an element
        qsizetype index = -1;
    };
    std::shared_ptr<const Step> m_last; // null: the root, "$"
};

// One value of a response and the JSON path that leads to it ("$.data[3].markPrice"). Reads never throw and
// never crash: a value of the wrong shape fails the whole reader with a message naming the path, and reads
// after the first failure return defaults.
class JsonNode
{
public:
    enum Presence {
        Required,
        Optional, // a missing field or null reads as absent (empty text, invalid Decimal, the given default)
    };

    JsonNode() = default;
    JsonNode(JsonReader *reader, const QJsonValue &value, const JsonPath &path = {});

    QJsonValue::Type type() const { return m_value.type(); }
    bool isNull() const { return m_value.isNull(); }
    bool isPresent() const { return !m_value.isUndefined() && !m_value.isNull(); }

    // Fails unless this is of the given type; true when it is.
    bool expect(QJsonValue::Type type) const;
    void fail(const QString &message) const;
    void failExpected(const char *expected) const; // "expected <expected>, got <what is there>"

    // The field of an object (fails when this is not an object); a missing field is an undefined node.
    JsonNode field(const char *key) const;
    bool has(const char *key) const { return field(key).isPresent(); }
    // The elements of an array, refused beyond maxParsedItems.
    QList<JsonNode> elements(Presence presence = Required) const;
    // The members of an object, in key order, refused beyond maxParsedItems.
    QList<std::pair<QString, JsonNode>> members() const;

    QString toText(Presence presence = Required) const; // a string; non-empty when required
    // A finite decimal, from a decimal string (the text kept as sent) or a JSON number (shortest text).
    Decimal toDecimal(Presence presence = Required) const;
    // Like toDecimal, but null, missing and "NaN" all mean "none" and read as an invalid Decimal.
    Decimal toDecimalOrNone() const;
    qint64 toInteger(Presence presence = Required, qint64 absent = 0) const; // a number or an integer string
    int toInt(Presence presence = Required, int absent = 0) const;
    bool toBool(Presence presence = Required, bool absent = false) const;
    // A whole number from a number or a decimal string (8, "8", "8.0"), or `otherwise` for anything else
    // (missing, null, a fraction, text, out of range). Never fails: for fields where a bad value only means
    // "unknown".
    qint64 toWholeNumberOr(qint64 otherwise) const;

    QString text(const char *key, Presence presence = Required) const { return field(key).toText(presence); }
    Decimal decimal(const char *key, Presence presence = Required) const
    {
        return field(key).toDecimal(presence);
    }
    Decimal decimalOrNone(const char *key) const { return field(key).toDecimalOrNone(); }
    qint64 integer(const char *key, Presence presence = Required, qint64 absent = 0) const
    {
        return field(key).toInteger(presence, absent);
    }
    int integer32(const char *key, Presence presence = Required, int absent = 0) const
    {
        return field(key).toInt(presence, absent);
    }
    bool boolean(const char *key, Presence presence = Required, bool absent = false) const
    {
        return field(key).toBool(presence, absent);
    }
    qint64 wholeNumberOr(const char *key, qint64 otherwise) const
    {
        return field(key).toWholeNumberOr(otherwise);
    }

private:
    bool acceptsAbsent(Presence presence, const char *expected) const;

    JsonReader *m_reader = nullptr;
    QJsonValue m_value = QJsonValue(QJsonValue::Undefined);
    JsonPath m_path;
};

// Parses a response body and collects the first failure. Parsers read through root(), then return result(),
// which holds either the whole value or only the error.
class JsonReader
{
public:
    explicit JsonReader(const QByteArray &body);
    JsonReader(const JsonReader &) = delete;
    JsonReader &operator=(const JsonReader &) = delete;

    JsonNode root() { return JsonNode(this, m_root); }
    bool failed() const { return !m_error.isEmpty(); }
    QString error() const { return m_error; }
    // Only the first failure is kept: later ones are usually its consequences.
    void fail(const QString &message);
    void failWithApiCode(int apiCode, const QString &message);

    template<typename T>
    Parsed<T> result(T value) const
    {
        Parsed<T> parsed;
        if (failed()) {
            parsed.error = m_error;
            parsed.apiCode = m_apiCode;
        } else {
            parsed.value = std::move(value);
        }
        return parsed;
    }

private:
    QJsonValue m_root = QJsonValue(QJsonValue::Undefined);
    QString m_error;
    int m_apiCode = 0;
};

// Whether text is a finite decimal as exchanges write them ("12.5", "-3", "1e-5"; not "NaN", "inf", "",
// "1e999", "12abc").
bool isDecimalText(const QString &text);
// Its value when it is one. Read on every refresh for every price of every market: no allocation.
std::optional<double> decimalValue(const QString &text);
// The sum of valid decimals with as many places as the most precise term, so that "0.1" + "0.2" is "0.3";
// invalid when any term is.
Decimal decimalSum(const QList<Decimal> &terms);
