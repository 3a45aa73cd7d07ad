-- wrk script for bench/soak: every request picked at random from a mix of random card
-- pages (GET /v/TOKEN), monthly self check-ins (POST /api/v1/worker/checkin, each with
-- another worker's session) and company sign-ins (POST /api/v1/session, accounts taken
-- in turn, correct passwords).
--   wrk -t N ... -s bench/soak.lua URL -- CARDS TOKENS ACCOUNTS N CHECKIN_PERMILLE SIGNIN_PERMILLE
-- CARDS has one card path per line, TOKENS one worker session token per line (thread i of
-- n takes lines i, i+n, ...), ACCOUNTS "username password" per line.
-- Answers are counted by status: 2xx/3xx, 409 (a worker checking in twice in a month:
-- the token list wrapped), 429 (sign-in throttled), 503 (a sign-in shed: more waiting
-- for a password hash than the CPUs can do in a few seconds) and any other (an error).
local threads = {}
local next_id = 0

function setup(thread)
	thread:set("id", next_id)
	next_id = next_id + 1
	threads[#threads + 1] = thread
end

local cards, tokens, accounts = {}, {}, {}
local token_pos, account_pos = 1, 1
local checkin_permille, signin_permille = 60, 1
cards_sent, checkins_sent, signins_sent, token_wraps = 0, 0, 0, 0
ok, conflicts, throttled, shed, others = 0, 0, 0, 0, 0

local function read_lines(path, keep)
	local f = assert(io.open(path, "r"), "bench/soak.lua: cannot open " .. path)
	local out, i = {}, 0
	for line in f:lines() do
		if #line > 0 and keep(i) then
			out[#out + 1] = line
		end
		i = i + 1
	end
	f:close()
	assert(#out > 0, "bench/soak.lua: nothing usable in " .. path)
	return out
end

function init(args)
	local n = tonumber(args[4]) or 1
	checkin_permille = tonumber(args[5]) or checkin_permille
	signin_permille = tonumber(args[6]) or signin_permille
	local all = function() return true end
	cards = read_lines(args[1], all)
	tokens = read_lines(args[2], function(i) return i % n == id end)
	for _, line in ipairs(read_lines(args[3], all)) do
		local user, password = line:match("^(%S+) (%S+)$")
		accounts[#accounts + 1] = string.format('{"username":"%s","password":"%s"}', user, password)
	end
	math.randomseed(os.time() + id * 7919)
	account_pos = 1 + id % #accounts
end

local json = { ["Content-Type"] = "application/json" }

function request()
	-- A real in [0, 1000): the shares may be fractions of a permille.
	local r = math.random() * 1000
	if r < signin_permille then
		signins_sent = signins_sent + 1
		local body = accounts[account_pos]
		account_pos = account_pos % #accounts + 1
		return wrk.format("POST", "/api/v1/session", json, body)
	elseif r < signin_permille + checkin_permille then
		checkins_sent = checkins_sent + 1
		local t = tokens[token_pos]
		if not t then
			token_wraps = token_wraps + 1
			token_pos = 1
			t = tokens[1]
		end
		token_pos = token_pos + 1
		return wrk.format("POST", "/api/v1/worker/checkin",
			{ ["Authorization"] = "Bearer " .. t, ["Content-Type"] = "application/json" }, "{}")
	end
	cards_sent = cards_sent + 1
	return wrk.format("GET", cards[math.random(#cards)])
end

function response(status, headers, body)
	if status < 400 then
		ok = ok + 1
	elseif status == 409 then
		conflicts = conflicts + 1
	elseif status == 429 then
		throttled = throttled + 1
	elseif status == 503 then
		shed = shed + 1
	else
		others = others + 1
	end
end

function done(summary, latency, requests)
	local sum = function(name)
		local s = 0
		for _, t in ipairs(threads) do
			s = s + t:get(name)
		end
		return s
	end
	io.write(string.format("soak-sent: cards=%d checkins=%d signins=%d token-wraps=%d\n",
		sum("cards_sent"), sum("checkins_sent"), sum("signins_sent"), sum("token_wraps")))
	io.write(string.format("soak-status: ok=%d 409=%d 429=%d 503=%d other=%d\n",
		sum("ok"), sum("conflicts"), sum("throttled"), sum("shed"), sum("others")))
end
