-- ranges.lua - wrk script: GET /api/v1/entries over a year, each request
-- ending on another of the last RANGES days (env RANGES_DAYS: the "to"
-- days, space-separated), so replies differ and the server's per-
-- connection cache of the last reply mostly misses: the cost of a read
-- that queries SQLite and writes the JSON.
local days = {}
for d in string.gmatch(os.getenv("RANGES_DAYS") or "", "%S+") do table.insert(days, d) end
local from = os.getenv("RANGES_FROM")
local counter = 0

function request()
   counter = counter + 1
   local to = days[(counter % #days) + 1]
   return wrk.format("GET", "/api/v1/entries?from=" .. from .. "&to=" .. to)
end
