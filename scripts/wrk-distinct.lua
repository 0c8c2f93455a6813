-- wrk: a search nobody has asked before on every request — a common word AND a case number
-- ("両立 事例4711"), so neither the page cache nor the per-query memo can answer it.
dofile("scripts/wrk-report.lua")
local words = { "両立", "難病", "在宅勤務", "通院" }
local n = 0
local function enc(s)
  return (s:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "1", 16) % 100000)
end
function request()
  n = n + 1
  local q = words[n % #words + 1] .. " 事例" .. math.random(1, 100000)
  return wrk.format("GET", "/archive?q=" .. enc(q))
end
