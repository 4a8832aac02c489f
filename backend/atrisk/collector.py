"""The garbage collector, set for a long-running server.

A full collection walks every object of the process and holds up every request and socket
while it runs: with a thousand live subscribers that was 100 to 170 ms, long enough to show
in a change's delivery time. So, once the app has started:

- what startup built (the schema, the mappers, the settings) is collected once and then
  frozen: no collection walks it again;
- the youngest generation is collected every YOUNG_THRESHOLD new objects rather than every
  700, so fewer short-lived objects of the requests in flight are carried into the older
  generations, whose collections then come less often (in the bench's run of 20 writes to
  1,000 sockets: 3 full collections of at most 100 ms instead of 13 of up to 170 ms).

Not higher: garbage in reference cycles (a closed socket leaves some) waits for the older
generations' collections. At 10,000 the process grew by about 20 MB with every 1,000
sockets opened and closed; at 3,000 it stays as it is.

Once per process: an app started again in the same process (tests) changes nothing more.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 3_000

_settled = False


def settle_after_startup() -> None:
    global _settled
    if _settled:
        return
    _settled = True
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
