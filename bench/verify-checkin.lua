-- wrk script for bench/verify: monthly self check-ins (POST /api/v1/worker/checkin), each
-- request with another worker's session token, so that every request is a first check-in
-- of the month. The tokens file has one token per line; thread i of n takes lines i, i+n, ...
--   wrk -t N ... -s bench/verify-checkin.lua URL -- TOKENS N
-- Counts 201 (checked in), 409 (already checked in: an error here) and any other status.
local threads = {}
local next_id = 0

function setup(thread)
	thread:set("id", next_id)
	next_id = next_id + 1
	threads[#threads + 1] = thread
end

local tokens = {}
local pos = 1
created, conflicts, others, exhausted = 0, 0, 0, 0

function init(args)
	local n = tonumber(args[2]) or 1
	local f = assert(io.open(args[1], "r"), "bench/verify-checkin.lua: no tokens file")
	local i = 0
	for line in f:lines() do
		if i % n == id and #line > 0 then
			tokens[#tokens + 1] = line
		end
		i = i + 1
	end
	f:close()
	assert(#tokens > 0, "bench/verify-checkin.lua: no tokens for this thread")
end

function request()
	local t = tokens[pos]
	if not t then
		-- Out of fresh workers: reuse (these will be 409s and count as errors).
		exhausted = exhausted + 1
		pos = 1
		t = tokens[pos]
	end
	pos = pos + 1
	return wrk.format("POST", "/api/v1/worker/checkin",
		{ ["Authorization"] = "Bearer " .. t, ["Content-Type"] = "application/json" }, "{}")
end

function response(status, headers, body)
	if status == 201 then
		created = created + 1
	elseif status == 409 then
		conflicts = conflicts + 1
	else
		others = others + 1
	end
end

function done(summary, latency, requests)
	local c, x, o, e = 0, 0, 0, 0
	for _, t in ipairs(threads) do
		c = c + t:get("created")
		x = x + t:get("conflicts")
		o = o + t:get("others")
		e = e + t:get("exhausted")
	end
	io.write(string.format("checkin-status: 201=%d 409=%d other=%d token-wraps=%d\n", c, x, o, e))
end
