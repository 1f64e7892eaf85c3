-- wrk script for `make load`: cycles through map tiles, feature pages and urbanism notes.
-- BENCH_PATHS: GET paths separated by ';'; the word NOTE stands for a POST of the next note body.
-- BENCH_LUA_DIR: this folder (for report.lua).
-- BENCH_NOTE_PATH: where notes are posted; BENCH_NOTE_BODIES: JSON bodies separated by ';'.
-- Each note POST carries its own Idempotency-Key, as a client that retries should: the proxy may then re-send it
-- to the other replica when its own dies, and the app answers the copy with the same note.
local paths, bodies = {}, {}
for p in string.gmatch(os.getenv("BENCH_PATHS") or "/", "[^;]+") do table.insert(paths, p) end
for b in string.gmatch(os.getenv("BENCH_NOTE_BODIES") or "", "[^;]+") do table.insert(bodies, b) end
local note_path = os.getenv("BENCH_NOTE_PATH") or "/api/notes"
local i, n, posted = 0, 0, 0
local threads = 0

setup = function(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
  thread:set("run_stamp", os.time())
end

init = function(args)
  -- Threads start at different points of the cycle so they do not ask the same thing in step.
  i = math.random(#paths)
end

request = function()
  i = i % #paths + 1
  if paths[i] == "NOTE" and #bodies > 0 then
    n = n % #bodies + 1
    posted = posted + 1
    local key = string.format("wrk-%d-%d-%d", run_stamp or 0, thread_number or 0, posted)
    return wrk.format("POST", note_path, {["Content-Type"] = "application/json", ["Idempotency-Key"] = key},
                      bodies[n])
  end
  return wrk.format("GET", paths[i])
end

-- The JSON summary line is the one every bench run prints.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
