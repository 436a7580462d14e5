#pragma once

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QString>

// The shape of a JSON document: every path (arrays as "[]", their elements merged) with the JSON types seen
// there. Two documents have the same shape when their maps are equal.
using JsonShape = QMap<QString, QSet<QString>>;

inline QString jsonTypeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("bool");
    case QJsonValue::Double:
        return QStringLiteral("number");
    case QJsonValue::String:
        return QStringLiteral("string");
    case QJsonValue::Array:
        return QStringLiteral("array");
    case QJsonValue::Object:
        return QStringLiteral("object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("undefined");
}

inline void collectJsonShape(const QJsonValue &value, const QString &path, JsonShape *shape)
{
    (*shape)[path].insert(jsonTypeName(value));
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            collectJsonShape(it.value(), path + QLatin1Char('.') + it.key(), shape);
    } else if (value.isArray()) {
        for (const QJsonValue &element : value.toArray())
            collectJsonShape(element, path + QStringLiteral("[]"), shape);
    }
}

inline JsonShape jsonShape(const QByteArray &json)
{
    JsonShape shape;
    const QJsonDocument document = QJsonDocument::fromJson(json);
    if (document.isObject())
        collectJsonShape(document.object(), QStringLiteral("$"), &shape);
    else if (document.isArray())
        collectJsonShape(document.array(), QStringLiteral("$"), &shape);
    return shape;
}

inline QByteArray testData(const QString &name)
{
    QFile file(QStringLiteral(EXDASH_TEST_DATA "/") + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Lists what differs: paths of `expected` missing from `actual` or with other types, and paths of `actual`
// that `expected` does not have. Paths in `ignore` (and below them) are not compared.
inline QStringList jsonShapeDifferences(const JsonShape &expected, const JsonShape &actual,
                                        const QStringList &ignore = {})
{
    auto ignored = [&ignore](const QString &path) {
        for (const QString &prefix : ignore) {
            if (path == prefix || path.startsWith(prefix + QLatin1Char('.'))
                || path.startsWith(prefix + QLatin1Char('[')))
                return true;
        }
        return false;
    };
    QStringList differences;
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        if (ignored(it.key()))
            continue;
        if (!actual.contains(it.key()))
            differences.append(QStringLiteral("missing %1").arg(it.key()));
        else if (!actual.value(it.key()).contains(it.value()))
            differences.append(QStringLiteral("%1: expected %2, got %3")
                                   .arg(it.key(), QStringList(it.value().values()).join(QLatin1Char('|')),
                                        QStringList(actual.value(it.key()).values()).join(QLatin1Char('|'))));
    }
    for (auto it = actual.begin(); it != actual.end(); ++it) {
        if (!ignored(it.key()) && !expected.contains(it.key()))
            differences.append(QStringLiteral("unexpected %1").arg(it.key()));
    }
    return differences;
}
