-- GET of one static file (the URL wrk is given): the server's ceiling. The request stays wrk's
-- static one, so the client spends as little as possible per request.
-- SPDX-License-Identifier: MIT
local report = dofile(os.getenv("PW_BENCH_WRK") .. "/report.lua")

function done(summary, latency, requests)
    report.done(summary, latency)
end
