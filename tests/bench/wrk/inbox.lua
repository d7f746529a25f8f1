-- GET /api/v1/inbox (or the path given) as an agent: the inbox's first page, by priority then
-- SLA. Arguments after `--`: the agent token, then the path (default /api/v1/inbox).
-- SPDX-License-Identifier: MIT
local report = dofile(os.getenv("PW_BENCH_WRK") .. "/report.lua")

-- wrk.init calls this, then builds the one request every connection sends from wrk.path and
-- wrk.headers: the request stays static, as cheap for the client as the static file's.
function init(args)
    wrk.path = args[2] or "/api/v1/inbox"
    wrk.headers["Authorization"] = "Bearer " .. args[1]
end

function done(summary, latency, requests)
    report.done(summary, latency)
end
