-- Shared by the server benchmark's wrk scripts (tests/bench/server_bench.py runs them):
--   report.done(summary, latency, extra) prints one line, "PWBENCH {json}", with the numbers
--     the driver reads: requests, duration, latency percentiles in ms, errors, and `extra`.
--   With PW_BENCH_DELAY_MS set, every connection waits that long before each request (a user's
--   think time), so 500 connections offer a chosen rate instead of saturating the server.
-- SPDX-License-Identifier: MIT
local report = {}

local function encode(v)
    if type(v) == "number" then
        return v == math.floor(v) and string.format("%d", v) or string.format("%.6g", v)
    elseif type(v) == "table" then
        local parts = {}
        for k, x in pairs(v) do
            parts[#parts + 1] = string.format("%q:%s", tostring(k), encode(x))
        end
        return "{" .. table.concat(parts, ",") .. "}"
    end
    return string.format("%q", tostring(v))
end

function report.done(summary, latency, extra)
    local e = summary.errors
    local out = {
        requests = summary.requests,
        duration_s = summary.duration / 1e6,
        rps = summary.requests / (summary.duration / 1e6),
        bytes = summary.bytes,
        mean_ms = latency.mean / 1000,
        max_ms = latency.max / 1000,
        p50_ms = latency:percentile(50) / 1000,
        p90_ms = latency:percentile(90) / 1000,
        p99_ms = latency:percentile(99) / 1000,
        non2xx = e.status,
        socket_errors = e.connect + e.read + e.write + e.timeout,
        timeouts = e.timeout,
    }
    for k, v in pairs(extra or {}) do
        out[k] = v
    end
    io.write("PWBENCH ", encode(out), "\n")
end

-- Lines of a file, without empty ones.
function report.lines(path)
    local out = {}
    for line in io.lines(path) do
        if line ~= "" then
            out[#out + 1] = line
        end
    end
    assert(#out > 0, path .. " is empty")
    return out
end

local think = tonumber(os.getenv("PW_BENCH_DELAY_MS") or "")
if think then
    -- Jittered so the connections do not march in step.
    function delay()
        return math.floor(think * (0.5 + math.random()))
    end
end

return report
