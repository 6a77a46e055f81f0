"""select: what Python does instead of waiting on several queues at once.

Python twin of the Rust lesson `select` (examples-concepts). `queue.Queue` has no select: a thread
can block on one queue only. What Python programs do instead is give every producer the same queue
and tag each item with where it came from, plus one "done" marker per producer. Two producers,
numbers (fast) and words (slower), both pausing together halfway; the consumer's `get_nowait()`
before they start is the `default` case, its `get(timeout=...)` the timeout. The checks: every item
of each producer arrived once and in its producer's order, the "default" case fired, a timeout
fired during the silence (the counts it saw, half of each producer's items, say when).

Run: python3 python/concepts/select.py [--items N]
"""

import os
import queue
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, header, int_in, say  # noqa: E402

FAST_PACE, SLOW_PACE = 0.002, 0.005  # seconds between numbers, between words
SILENCE = 0.2  # seconds both producers pause halfway
TIMEOUT = 0.05  # seconds the consumer waits with nothing ready before it reports a quiet spell
MOST_TIMEOUTS = 40  # after this many quiet spells the consumer gives up: a producer is stuck
DONE = object()  # each producer's last item


def producer(inbox, tag, items, pace, halfway):
    """Puts (tag, item) for each item at `pace`, pausing at halfway, then (tag, DONE)."""
    for i, item in enumerate(items):
        if i == len(items) // 2:
            halfway.wait()
            time.sleep(SILENCE)
        inbox.put((tag, item))
        time.sleep(pace)
    inbox.put((tag, DONE))


# ANCHOR: select_loop
def consume(inbox, tags):
    got = {tag: [] for tag in tags}
    open_tags, quiet_at, gave_up = set(tags), [], False  # quiet_at: the counts at each timeout
    while open_tags:
        try:
            tag, item = inbox.get(timeout=TIMEOUT)
        except queue.Empty:
            counts = (len(got["numbers"]), len(got["words"]))
            say(f"nothing for {TIMEOUT * 1000:.0f}ms (numbers so far: {counts[0]}, "
                f"words: {counts[1]})")
            quiet_at.append(counts)
            if len(quiet_at) == MOST_TIMEOUTS:
                gave_up = True
                break
            continue
        if item is DONE:
            say(f"{tag}: done")
            open_tags.discard(tag)
        else:
            got[tag].append(item)
    return got, quiet_at, gave_up
# ANCHOR_END: select_loop


def main():
    parser = ArgumentParser(description="What Python does instead of select: one queue, tagged "
                                        "items.")
    parser.add_argument("--items", type=int_in(2, 1000), default=20,
                        help="how many numbers the fast producer sends; the slow one sends half "
                             "as many words (2..=1000, default 20)")
    items = parser.parse_args().items
    words = [f"w{w}" for w in range(items // 2)]
    header("select (Python twin)")
    inbox = queue.Queue()

    say("\n-- before the producers start: get_nowait() as the default case --")
    # ANCHOR: default_case
    try:
        inbox.get_nowait()
        nothing_ready = False
    except queue.Empty:
        nothing_ready = True
    # ANCHOR_END: default_case
    say(f"nothing ready, so get_nowait() raised Empty instead of blocking: {nothing_ready}")

    say(f"\n-- {items} numbers, {len(words)} words; numbers every {FAST_PACE * 1000:.0f}ms, words "
        f"every {SLOW_PACE * 1000:.0f}ms; both quiet {SILENCE * 1000:.0f}ms halfway --")
    halfway = threading.Barrier(2, timeout=MOST_TIMEOUTS * TIMEOUT)
    producers = [
        threading.Thread(target=producer, daemon=True,
                         args=(inbox, "numbers", list(range(items)), FAST_PACE, halfway)),
        threading.Thread(target=producer, daemon=True,
                         args=(inbox, "words", words, SLOW_PACE, halfway)),
    ]
    for p in producers:
        p.start()
    got, quiet_at, gave_up = consume(inbox, ["numbers", "words"])
    for p in producers:
        p.join(timeout=TIMEOUT)
    say(f"received {len(got['numbers'])} numbers, {len(got['words'])} words; {len(quiet_at)} quiet "
        f"spells")

    checks = Checks()
    checks.check("default ran: nothing was ready yet", nothing_ready)
    checks.check("the loop ended when both producers were done", not gave_up)
    in_order = got["numbers"] == list(range(items)) and got["words"] == words
    checks.check("every item arrived once, in its producer's order", in_order)
    # Exactly half of each had arrived only while both producers sat in their shared pause.
    checks.check("a timeout fired in the producers' shared pause",
                 (items // 2, len(words) // 2) in quiet_at)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
