-- wrk script: POST events to journeymap, each request with fresh contacts and client event ids.
-- Arguments: token, batch size (1: POST /api/events with one event; N: /api/events/batch),
-- a run prefix that keeps event ids unique across runs. `done` prints one JSON line.
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  token, batch, prefix = args[1], tonumber(args[2]), args[3]
  counter = 0
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
end

local sources = {"google", "newsletter", "facebook"}

local function event()
  counter = counter + 1
  local contact = prefix .. "-" .. tid .. "-" .. math.floor(counter / 2)
  if counter % 2 == 0 then
    return '{"kind":"form_submitted","contact_id":"' .. contact .. '","form":"signup",'
      .. '"utm":{"source":"' .. sources[counter % 3 + 1] .. '"},"event_id":"' .. contact .. '-f"}'
  end
  return '{"kind":"purchase","contact_id":"' .. contact .. '","amount":"19.90","event_id":"'
    .. contact .. '-p"}'
end

function request()
  if batch == 1 then
    return wrk.format(nil, "/api/events", nil, event())
  end
  local parts = {}
  for i = 1, batch do parts[i] = event() end
  return wrk.format(nil, "/api/events/batch", nil, '{"events":[' .. table.concat(parts, ",") .. ']}')
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"socket_errors":%d,"non2xx":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
