-- wrk script: GET one path with a bearer token. Arguments: token, path. `done` prints JSON.
function init(args)
  wrk.headers["Authorization"] = "Bearer " .. args[1]
  wrk.path = args[2]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"socket_errors":%d,"non2xx":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
