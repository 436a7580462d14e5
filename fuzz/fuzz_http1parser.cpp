#include "fuzzcheck.h"
#include "sim/http1parser.h"

#include <algorithm>

// Input: one byte n (taken modulo 8), n little-endian 16-bit cut points, then the byte stream a client sends.
// The stream is fed in the pieces the cuts make, as TCP might deliver it, and every request is pulled out as
// soon as it is complete. The result must not depend on where the cuts fall: it is compared with feeding the
// whole stream at once.
namespace {

using Status = Http1RequestParser::Status;

struct Outcome
{
    QList<SimRequest> requests;
    Status status = Status::NeedMore;
    int errorStatus = 0;
};

void checkRequest(const SimRequest &request)
{
    FUZZ_CHECK(!request.method.isEmpty());
    FUZZ_CHECK(request.target.startsWith('/'));
    FUZZ_CHECK(request.version == "HTTP/1.1" || request.version == "HTTP/1.0");
    if (request.version == "HTTP/1.1")
        FUZZ_CHECK(!request.header("Host").isEmpty());
    FUZZ_CHECK(request.header("Transfer-Encoding").isEmpty());
    for (const auto &[name, value] : request.headers)
        FUZZ_CHECK(!name.isEmpty() && !name.contains(':') && !name.contains('\n'));
    FUZZ_CHECK(request.body.size() <= Http1RequestParser::maxBodyBytes);
    const QByteArray length = request.header("Content-Length");
    FUZZ_CHECK(length.isEmpty() ? request.body.isEmpty() : length.toLongLong() == request.body.size());
    FUZZ_CHECK(request.target.startsWith(request.path()) && !request.path().contains('?'));
    FUZZ_CHECK(request.target.endsWith(request.query()));
}

// Pulls requests until the parser needs more bytes or fails.
void drain(Http1RequestParser &parser, Outcome *outcome)
{
    for (;;) {
        const qsizetype before = parser.buffered();
        SimRequest request;
        outcome->status = parser.next(&request);
        switch (outcome->status) {
        case Status::Ready:
            checkRequest(request);
            FUZZ_CHECK(parser.buffered() < before);
            outcome->requests.append(request);
            continue;
        case Status::NeedMore:
            FUZZ_CHECK(parser.buffered()
                       <= Http1RequestParser::maxHeaderBytes + 4 + Http1RequestParser::maxBodyBytes);
            return;
        case Status::Error:
            outcome->errorStatus = parser.errorStatus();
            FUZZ_CHECK(parser.errorStatus() == 400 || parser.errorStatus() == 413
                       || parser.errorStatus() == 431 || parser.errorStatus() == 501);
            FUZZ_CHECK(!parser.error().isEmpty());
            FUZZ_CHECK(parser.buffered() == 0);
            FUZZ_CHECK(parser.next(&request) == Status::Error);
            return;
        }
    }
}

Outcome parse(const QByteArray &stream, const QList<qsizetype> &cuts)
{
    Http1RequestParser parser;
    Outcome outcome;
    qsizetype start = 0;
    for (qsizetype cut : cuts) {
        parser.feed(stream.mid(start, cut - start));
        start = cut;
        drain(parser, &outcome);
        if (outcome.status == Status::Error) {
            parser.feed(stream.mid(start));
            FUZZ_CHECK(parser.buffered() == 0);
            break;
        }
    }
    return outcome;
}

bool operator==(const SimRequest &a, const SimRequest &b)
{
    return a.method == b.method && a.target == b.target && a.version == b.version && a.headers == b.headers
        && a.body == b.body;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const size_t cutCount = data[0] % 8;
    const size_t prefix = 1 + 2 * cutCount;
    if (size < prefix)
        return 0;
    const QByteArray stream = fuzzBytes(data + prefix, size - prefix);
    QList<qsizetype> cuts;
    for (size_t i = 0; i < cutCount; ++i) {
        const unsigned offset = data[1 + 2 * i] | unsigned(data[2 + 2 * i]) << 8;
        cuts.append(qsizetype(offset % (stream.size() + 1)));
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.append(stream.size());

    const Outcome pieces = parse(stream, cuts);
    const Outcome whole = parse(stream, {stream.size()});
    FUZZ_CHECK(pieces.status == whole.status);
    FUZZ_CHECK(pieces.errorStatus == whole.errorStatus);
    FUZZ_CHECK(pieces.requests.size() == whole.requests.size());
    for (qsizetype i = 0; i < pieces.requests.size(); ++i)
        FUZZ_CHECK(pieces.requests.at(i) == whole.requests.at(i));
    return 0;
}
