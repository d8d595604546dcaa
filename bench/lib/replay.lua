-- wrk script: sends the requests bench/lib/presign.py wrote, each thread its own share
-- (request i goes to thread i mod threads), in order, wrapping around when they run out.
-- Usage: wrk ... -s replay.lua URL -- REQUESTS_FILE THREADS
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  local f = assert(io.open(args[1], "rb"))
  local threads = tonumber(args[2])
  reqs, pos = {}, 0
  local i = 0
  while true do
    local len = f:read("*l")
    if not len then break end
    local raw = f:read(tonumber(len))
    if i % threads == id then reqs[#reqs + 1] = raw end
    i = i + 1
  end
  f:close()
end
function request()
  pos = pos + 1
  if pos > #reqs then pos = 1 end
  return reqs[pos]
end
