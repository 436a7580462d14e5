#pragma once

#include <QByteArray>
#include <QList>

struct RequestSample;
class LatencyLog;

// One CSV row per RequestSample, every field, oldest first. Samples hold no secret (no headers, no query
// values beyond what the endpoint label says), so neither does the file.
namespace SampleCsv {

QByteArray header();
QByteArray row(const RequestSample &sample);
QByteArray write(const LatencyLog &log);

} // namespace SampleCsv
