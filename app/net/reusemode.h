#pragma once

#include <QString>

// How the client treats connections. Interleaved is a policy only: each request it sends is either pooled or
// no-reuse, so a RequestSample never carries Interleaved.
enum class ReuseMode { Pooled, NoReuse, Interleaved };

QString nameOf(ReuseMode mode); // "pooled", "no-reuse", "interleaved"
bool reuseModeFromString(const QString &text, ReuseMode *mode);
