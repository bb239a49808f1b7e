-- post.lua - wrk script: each request logs one journal entry (POST
-- /api/v1/entries), a stress level at a time that differs per request,
-- and counts the answers that were not 201 Created.
-- usage: wrk -s post.lua -H "Authorization: Bearer TOKEN" http://127.0.0.1:PORT/api/v1/entries

local counter = 0
local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   not_created = 0
   created = 0
end

function request()
   counter = counter + 1
   local minute = counter % 1440
   local day = 1 + (math.floor(counter / 1440) % 28)
   local body = string.format(
      '{"kind":"stress","value":%d,"timestamp":"2027-02-%02dT%02d:%02d:%02d","note":"wrk %d-%d"}',
      counter % 11, day, math.floor(minute / 60), minute % 60, id % 60, id, counter)
   -- wrk.format uses the headers given instead of wrk.headers (-H), so
   -- copy those (the token, Host) first
   local headers = {}
   for k, v in pairs(wrk.headers) do headers[k] = v end
   headers["Content-Type"] = "application/json"
   return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
   if status == 201 then created = created + 1 else not_created = not_created + 1 end
end

function done(summary, latency, requests)
   local c, n = 0, 0
   for _, t in ipairs(threads) do
      c = c + t:get("created")
      n = n + t:get("not_created")
   end
   io.write(string.format("created %d\nnot_created %d\n", c, n))
end
