-- wrk reporter: one machine-readable line with req/s and latency percentiles (ms).
-- (No per-response hook: that would slow wrk itself down. wrk's own output says
-- "Non-2xx or 3xx responses" when there were any; the benchmark scripts check for it.)
function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format("RESULT rps=%.0f p50=%.2fms p95=%.2fms p99=%.2fms requests=%d errors=%d\n",
    summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
      + summary.errors.timeout))
end
