// The RESULT lines and the human summary of a run (see main.cpp for the phases).
#pragma once

#include "Fleet.h"
#include "MetricsScrape.h"
#include "Options.h"
#include "ProcStats.h"

namespace streambench {

struct Measurements
{
    double windowS = 0;
    double toolCpuPct = 0;
    ProcSample idleFrom, idleTo; // --idle: the server with its source and no listener
    ProcSample baseline;         // before the first connect (RSS)
    ProcSample from, to;         // the steady window
    int64_t rssMaxKb = -1;
    bool scraped = false; // both scrapes below succeeded
    Scrape before, after; // /metrics around the window
    double scrapeS = 0;   // seconds between the two scrapes
};

void report(const Options &options, const Fleet &fleet, const Measurements &m);

} // namespace streambench
