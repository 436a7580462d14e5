#pragma once

#include <QtGlobal>

// Qt 6.4 never sets TCP_NODELAY on the sockets of QNetworkAccessManager (docs/qt-networking.md#nagle), and
// nothing public reaches them. Without it Nagle holds every request written on an HTTP/2 connection that
// still waits for an acknowledgement: a refresh's second and later GETs to one host leave one round trip
// late.
//
// Sets TCP_NODELAY on each TCP socket of this process whose peer is on peerPort and lacks it; returns how
// many it changed. Called from encrypted(), which Qt delivers blocking-queued before it writes the first
// request, so nothing is written on the connection before. Linux (/proc/self/fd); elsewhere it does nothing.
int setLowDelayOnSocketsTo(quint16 peerPort);

// Whether every TCP socket of this process whose peer is on peerPort has TCP_NODELAY (and there is one).
bool lowDelayOnSocketsTo(quint16 peerPort);
