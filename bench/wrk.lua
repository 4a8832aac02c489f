-- wrk script for the bench: one request shape per run, read from environment variables.
--   BENCH_METHOD   GET or POST (default POST)
--   BENCH_BODY     file holding the request body (POST)
--   BENCH_HEADERS  file of extra "Name: value" lines (credentials, If-None-Match)
--   BENCH_WRITE    file: a path line and a body line, both templates with {id} and
--                  {active}, then one entry id per line; each request toggles the next entry
--   BENCH_CHECK    when set, count responses whose body carries GraphQL "errors"
-- done() prints one JSON line that bench/run.py reads.

local function read(path)
  local file = assert(io.open(path, "rb"))
  local text = file:read("*a")
  file:close()
  return text
end

wrk.method = os.getenv("BENCH_METHOD") or "POST"
wrk.headers["Content-Type"] = "application/json"
local headers = os.getenv("BENCH_HEADERS")
if headers then
  for line in read(headers):gmatch("[^\r\n]+") do
    local name, value = line:match("^([^:]+):%s*(.*)$")
    wrk.headers[name] = value
  end
end
local body = os.getenv("BENCH_BODY")
if body then
  wrk.body = read(body)
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

local write = os.getenv("BENCH_WRITE")
if write then
  local lines = {}
  for line in read(write):gmatch("[^\n]+") do
    table.insert(lines, line)
  end
  local path, template = table.remove(lines, 1), table.remove(lines, 1)
  local ids = lines
  local counter = 0
  function init(args)
    counter = math.random(#ids)
  end
  function request()
    counter = counter + 1
    local id = ids[counter % #ids + 1]
    local active = (math.floor(counter / #ids) % 2 == 0) and "false" or "true"
    local body = template:gsub("{id}", id):gsub("{active}", active)
    return wrk.format(nil, (path:gsub("{id}", id)), nil, body)
  end
end

bad = 0
if os.getenv("BENCH_CHECK") then
  function response(status, headers, body)
    if status >= 400 or (body and body:find('"errors"', 1, true)) then
      bad = bad + 1
    end
  end
end

function done(summary, latency, requests)
  local graphql_errors = 0
  for _, thread in ipairs(threads) do
    graphql_errors = graphql_errors + (thread:get("bad") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, '
      .. '"status": %d, "timeout": %d, "bad": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
      .. '"max_us": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    graphql_errors, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max))
end
