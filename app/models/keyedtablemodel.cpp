#include "keyedtablemodel.h"

#include <cmath>

Q_LOGGING_CATEGORY(lcModels, "exdash.models", QtWarningMsg)

bool KeyedTableModelDetail::sameData(const QVariant &a, const QVariant &b)
{
    if (a.metaType() != b.metaType())
        return false;
    if (a.metaType().id() == QMetaType::Double) {
        const double x = a.toDouble();
        const double y = b.toDouble();
        return x == y || (std::isnan(x) && std::isnan(y));
    }
    return a == b;
}

void KeyedTableModelDetail::warnDuplicate(Exchange exchange, int count)
{
    qCWarning(lcModels) << "update from" << nameOf(exchange) << "repeats" << count
                        << "keys; the last of each is shown";
}

QVariant KeyedTableModelDetail::rawText(const Decimal &decimal)
{
    if (decimal.text.isEmpty())
        return {};
    return decimal.text;
}

QVariant KeyedTableModelDetail::rawTexts(std::initializer_list<std::pair<QString, Decimal>> labelled)
{
    QStringList lines;
    for (const auto &[label, decimal] : labelled) {
        if (!decimal.text.isEmpty())
            lines.append(label + QStringLiteral(": ") + decimal.text);
    }
    if (lines.isEmpty())
        return {};
    return lines.join(u'\n');
}
