-- wrk script for bench/verify: each request asks for a random card page (GET /v/TOKEN)
-- from a file of card paths, one per line.   wrk ... -s bench/verify-cards.lua URL -- PATHS
local paths = {}
local next_id = 0

function setup(thread)
	thread:set("id", next_id)
	next_id = next_id + 1
end

function init(args)
	local f = assert(io.open(args[1], "r"), "bench/verify-cards.lua: no paths file")
	for line in f:lines() do
		if #line > 0 then
			paths[#paths + 1] = line
		end
	end
	f:close()
	assert(#paths > 0, "bench/verify-cards.lua: empty paths file")
	-- Each thread its own sequence.
	math.randomseed(os.time() + (id or 0) * 7919)
end

function request()
	return wrk.format("GET", paths[math.random(#paths)])
end
