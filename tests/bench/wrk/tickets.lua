-- POST /api/v1/tickets: every request a new ticket (email/API intake through the pipeline) with
-- its own client_id, from one of 5,000 customers. A 201 is an acknowledged ticket: its id is
-- kept, and done() writes them all to PW_BENCH_IDS so the driver can find each one in the store.
-- Arguments after `--`: the agent token, then a file of JSON bodies {"text", "channel",
-- "subject", "page"} (customer and client_id are added here).
-- SPDX-License-Identifier: MIT
local report = dofile(os.getenv("PW_BENCH_WRK") .. "/report.lua")

local threads = {}
local plans = {"free", "starter", "pro", "enterprise"}
local head, customers, tails, prefix, n = nil, {}, {}, nil, 0
sent, acked = 0, {} -- globals: done() reads them from each thread

function setup(thread)
    threads[#threads + 1] = thread
    thread:set("tid", #threads)
end

-- What does not change between requests is built here, once: the request line and headers,
-- each customer's JSON and each body's tail. request() only joins them around a fresh
-- client_id, so wrk spends on a ticket about what it spends on the other phases' fixed
-- requests and leaves the shared CPUs to the server.
function init(args)
    local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. args[1]}
    head = wrk.format("POST", "/api/v1/tickets", headers):sub(1, -3) -- without the blank line
    for c = 0, 4999 do
        customers[c] = string.format('"customer":{"email":"customer%d@bench.example",'
            .. '"name":"Customer %d","plan":"%s"},', c, c, plans[c % 4 + 1])
    end
    for i, body in ipairs(report.lines(args[2])) do
        tails[i] = body:sub(2)
    end
    prefix = string.format('{"client_id":"bench-%d-%d-', os.time(), tid)
end

function request()
    n = n + 1
    sent = n
    local body = prefix .. n .. '",' .. customers[(n * 7919 + tid) % 5000] .. tails[n % #tails + 1]
    return head .. "Content-Length: " .. #body .. "\r\n\r\n" .. body
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
