-- wrk script: optional POST body from the environment, and one JSON line of results.
-- Used by bench/measure.py; latencies are in microseconds.
local method = os.getenv("BENCH_METHOD")
if method and method ~= "" then
  wrk.method = method
  wrk.body = os.getenv("BENCH_BODY") or ""
  wrk.headers["Content-Type"] = "application/json"
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,' ..
    '"timeout":%d,"p50_us":%d,"p99_us":%d,"mean_us":%.1f,"max_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean, latency.max))
end
