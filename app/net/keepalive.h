#pragma once

// How long the client keeps an idle connection open: below exsim's 60 s (and the exchanges' idle timeouts),
// so that the client, not the server, closes idle connections and a request never meets one the server just
// closed. The gain report's open-connection estimate uses the same figure.
constexpr int defaultKeepAliveIdleSeconds = 50;
