#include "reusemode.h"

QString nameOf(ReuseMode mode)
{
    switch (mode) {
    case ReuseMode::Pooled:
        return QStringLiteral("pooled");
    case ReuseMode::NoReuse:
        return QStringLiteral("no-reuse");
    case ReuseMode::Interleaved:
        return QStringLiteral("interleaved");
    }
    return {};
}

bool reuseModeFromString(const QString &text, ReuseMode *mode)
{
    for (ReuseMode candidate : {ReuseMode::Pooled, ReuseMode::NoReuse, ReuseMode::Interleaved}) {
        if (text == nameOf(candidate)) {
            *mode = candidate;
            return true;
        }
    }
    return false;
}
