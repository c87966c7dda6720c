-- wrk script for `npm run load` (load/run-load.ts): walks a pool of pre-signed requests, each
-- used once (unique V3 nonces), and checks every answer.
--
-- Pool file (path in env LOAD_POOL): one request per line,
--   <bad 0|1>\t<method>\t<path>\t<name: value>\t<name: value>...
-- Thread k of n takes the k-th of n contiguous blocks of lines, so the bad lines, spread evenly
-- over the file (sign-pool.ts), are spread evenly over every thread too: each sends the same
-- fraction. (Taking every n-th line instead put all bad lines of a 1-in-20 spacing on one of two
-- threads.) If a thread runs out, it stops sending valid requests and counts `exhausted`: the
-- driver then fails the run (a replayed nonce would be refused and look like an error of the
-- server).

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local pool = {}
local bad = {}
local index = 0
-- Counters (read by done() through thread:get).
ok, sig_mismatch, unexpected, exhausted, bad_sent, sent = 0, 0, 0, 0, 0, 0
first_unexpected = ""

function init(args)
  local nthreads = tonumber(os.getenv("LOAD_THREADS"))
  local path = os.getenv("LOAD_POOL")
  local total = 0
  for _ in io.lines(path) do total = total + 1 end
  local first = math.floor(total * tid / nthreads)
  local last = math.floor(total * (tid + 1) / nthreads) - 1
  local line_no = 0
  for line in io.lines(path) do
    if line_no >= first and line_no <= last then
      local fields = {}
      for field in string.gmatch(line, "[^\t]+") do table.insert(fields, field) end
      local head = fields[2] .. " " .. fields[3] .. " HTTP/1.1\r\n"
      for i = 4, #fields do head = head .. fields[i] .. "\r\n" end
      table.insert(pool, head .. "content-length: 0\r\n\r\n")
      table.insert(bad, fields[1] == "1")
    end
    line_no = line_no + 1
  end
end

function request()
  index = index + 1
  if index > #pool then
    exhausted = exhausted + 1
    -- Nothing valid is left: a request the server refuses cheaply, counted apart.
    return "GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n"
  end
  sent = sent + 1
  if bad[index] then bad_sent = bad_sent + 1 end
  return pool[index]
end

function response(status, headers, body)
  if status == 200 and string.sub(body, 1, 11) == '{"Code":200' then
    ok = ok + 1
  elseif status == 400 and string.find(body, '"Code":"SignatureDoesNotMatch"', 1, true) then
    sig_mismatch = sig_mismatch + 1
  elseif status == 200 and body == '{"Status":"ok"}' then
    -- a /healthz answer after the pool ran out (counted in `exhausted`)
  else
    unexpected = unexpected + 1
    if first_unexpected == "" then first_unexpected = status .. " " .. string.sub(body, 1, 200) end
  end
end

-- A string as the inside of a JSON string: control bytes become spaces, \ and " escaped.
function json_text(s)
  return (s:gsub("[%c]", " "):gsub("\\", "\\\\"):gsub('"', '\\"'))
end

function done(summary, latency, requests)
  local totals = { ok = 0, sig_mismatch = 0, unexpected = 0, exhausted = 0, bad_sent = 0, sent = 0 }
  local first = ""
  for _, thread in ipairs(threads) do
    for key, _ in pairs(totals) do totals[key] = totals[key] + thread:get(key) end
    if first == "" then first = thread:get("first_unexpected") end
  end
  local e = summary.errors
  io.write(string.format(
    'LOAD_RESULT {"requests":%d,"durationUs":%d,"bytes":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,' ..
    '"maxUs":%d,"ok":%d,"sigMismatch":%d,"unexpected":%d,"exhausted":%d,"badSent":%d,' ..
    '"sent":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeouts":%d,' ..
    '"firstUnexpected":"%s"}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, totals.ok, totals.sig_mismatch,
    totals.unexpected, totals.exhausted, totals.bad_sent, totals.sent, e.connect, e.read,
    e.write, e.timeout, json_text(first)))
end
