#pragma once

#include "net/requestsample.h"

#include <cstring>

// Readable QCOMPARE failure messages for the network enums (found by argument-dependent lookup).
inline char *toString(ReuseMode value)
{
    return qstrdup(nameOf(value).toUtf8().constData());
}
inline char *toString(ConnectionKind value)
{
    return qstrdup(nameOf(value).toUtf8().constData());
}
inline char *toString(HttpProtocol value)
{
    return qstrdup(nameOf(value).toUtf8().constData());
}
inline char *toString(NetError value)
{
    return qstrdup(nameOf(value).toUtf8().constData());
}
