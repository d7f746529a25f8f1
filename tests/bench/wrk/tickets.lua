-- POST /api/v1/tickets: every request a new ticket (email/API intake through the pipeline) with
-- its own client_id, from one of 5,000 customers. A 201 is an acknowledged ticket: its id is
-- kept, and done() writes them all to PW_BENCH_IDS so the driver can find each one in the store.
-- Arguments after `--`: the agent token, then a file of JSON bodies {"text", "channel",
-- "subject", "page"} (customer and client_id are added here).
-- SPDX-License-Identifier: MIT
local report = dofile(os.getenv("PW_BENCH_WRK") .. "/report.lua")

local threads = {}
local plans = {"free", "starter", "pro", "enterprise"}
local bodies, headers, prefix, n = nil, nil, nil, 0
sent, acked = 0, {} -- globals: done() reads them from each thread

function setup(thread)
    threads[#threads + 1] = thread
    thread:set("tid", #threads)
end

function init(args)
    headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. args[1]}
    bodies = report.lines(args[2])
    prefix = string.format("bench-%d-%d-", os.time(), tid)
end

function request()
    n = n + 1
    sent = n
    local c = (n * 7919 + tid) % 5000
    local body = string.format('{"client_id":"%s%d","customer":{"email":"customer%d@bench.example",'
        .. '"name":"Customer %d","plan":"%s"},%s', prefix, n, c, c, plans[c % 4 + 1],
        bodies[n % #bodies + 1]:sub(2))
    return wrk.format("POST", "/api/v1/tickets", headers, body)
end

function response(status, _, body)
    if status == 201 then
        acked[#acked + 1] = body:match('^{"id":(%d+)')
    end
end

function done(summary, latency)
    local total_sent, ids = 0, {}
    for _, t in ipairs(threads) do
        total_sent = total_sent + t:get("sent")
        for _, id in ipairs(t:get("acked")) do
            ids[#ids + 1] = id
        end
    end
    local path = os.getenv("PW_BENCH_IDS")
    if path then
        local f = assert(io.open(path, "w"))
        f:write(table.concat(ids, "\n"), "\n")
        f:close()
    end
    report.done(summary, latency, {sent = total_sent, acked = #ids})
end
