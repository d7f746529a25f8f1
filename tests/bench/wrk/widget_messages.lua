-- POST /api/v1/widget/messages: the whole pipeline (intake, read phase, classify and signals,
-- retrieval from the in-memory index, decision, one writer job, the answer written from what
-- it recorded). Arguments after `--`:
--   SESSIONS  lines "token<TAB>conversation_id" (booted sessions, one conversation each)
--   MESSAGES  lines of JSON bodies {"text", "page"} (demo messages over the 28 intents)
--   ORIGIN    the allowed Origin
--   MODE      "new": every request starts a conversation; "follow": every request is a
--             follow-up in its session's conversation
--   THREADS   wrk's -t: thread k takes every THREADS-th session, so no two threads share one
-- Every request carries its own client_id, as the widget's do: 12 hex digits that grow with
-- time (here a per-thread count from the start time stands in for the milliseconds) and 20
-- more, so the server keeps and checks each message's idempotency key as it does for a browser.
-- SPDX-License-Identifier: MIT
local report = dofile(os.getenv("PW_BENCH_WRK") .. "/report.lua")

local threads = {}
local heads, tails, n, start = {}, {}, 0, 0

function setup(thread)
    threads[#threads + 1] = thread
    thread:set("tid", #threads)
end

function init(args)
    local sessions, messages = report.lines(args[1]), report.lines(args[2])
    local origin, mode, nthreads = args[3], args[4], tonumber(args[5] or "2")
    assert(mode == "new" or mode == "follow", "MODE is new or follow")
    local mine = {}
    for i, line in ipairs(sessions) do
        if i % nthreads == tid % nthreads then
            local token, conversation = line:match("^([^\t]+)\t(%d+)$")
            mine[#mine + 1] = {token = token, conversation = conversation}
        end
    end
    -- Sessions and messages rotate independently: every session sends every kind of message.
    local count = math.max(#mine, #messages) * 8
    for i = 1, count do
        local s = mine[(i - 1) % #mine + 1]
        local body = messages[(i + tid * 101) % #messages + 1]
        if mode == "follow" then
            body = '{"conversation_id":' .. s.conversation .. "," .. body:sub(2)
        end
        -- Built once: the request line and headers (without the blank line) and the body after
        -- its "{"; request() joins them around a fresh client_id.
        heads[i] = wrk.format("POST", "/api/v1/widget/messages", {
            ["Content-Type"] = "application/json",
            ["Authorization"] = "Bearer " .. s.token,
            ["Origin"] = origin,
        }):sub(1, -3)
        tails[i] = body:sub(2)
    end
    start = os.time() * 1000
end

function request()
    n = n + 1
    local i = (n - 1) % #heads + 1
    local body = string.format('{"client_id":"%012x%04x%016x",', start + n, tid, n) .. tails[i]
    return heads[i] .. "Content-Length: " .. #body .. "\r\n\r\n" .. body
end

function done(summary, latency)
    report.done(summary, latency)
end
