/**
 * The operator's window into {@code phase node --http}: a dashboard page, the same data as JSON
 * under {@code /api/}, Prometheus metrics and a health check, served by Netty's HTTP codec. It
 * reads the node through the public snapshot APIs of phase-core and phase-p2p and maps them to JSON
 * and metrics here, so neither of those modules knows of HTTP or the metrics library.
 */
package io.phase.cli.http;
