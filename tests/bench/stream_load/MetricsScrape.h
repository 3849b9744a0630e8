// The server's own figures around the steady window: a blocking GET /metrics on its Prometheus
// port, parsed into series, and what changed between two scrapes (counter deltas, quantiles of
// a histogram's new observations).
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace streambench {

// Series as the exposition writes it ("name{labels}", or "name") -> value.
using Scrape = std::map<std::string, double>;

// False (with error) when the endpoint cannot be read within a few seconds.
bool scrapeMetrics(const std::string &host, uint16_t port, Scrape &out, std::string &error);

// Parses the text exposition format (comments and blank lines skipped).
Scrape parseExposition(const std::string &text);

// after − before of one series; -1 when the later scrape lacks it (a missing earlier one
// counts as 0: the series appears on its first observation).
double seriesDelta(const Scrape &before, const Scrape &after, const std::string &series);

// The deltas of every series of `name` that has a `label`, by that label's value: e.g.
// audio_encode_seconds_sum by rendition.
std::map<std::string, double> deltasByLabel(const Scrape &before, const Scrape &after,
                                            const std::string &name, const std::string &label);

// The q-quantile of the observations a histogram (without other labels) got between the scrapes, in
// its unit, interpolated linearly inside the bucket as Prometheus's histogram_quantile() does (the
// highest finite bound when it falls in +Inf); -1 without observations. `count` gets how many.
double histogramQuantile(const Scrape &before, const Scrape &after, const std::string &name,
                         double q, double *count = nullptr);

} // namespace streambench
