"""manager_authkey: only processes that hold the manager's authkey get in.

Python twin of the Rust lesson `manager_authkey` (examples-ipc). A manager's server listens on an
address; three worker processes are given that address, one with the manager's authkey (every
process the parent starts inherits it as `current_process().authkey`), one with a forged key and
one with no key. Each tries to connect and write its name into the shared dict. The server
checks the key with an HMAC challenge; the two without it get `AuthenticationError`, and the
final contents show that they wrote nothing.

Run: python3 python/ipc/manager_authkey.py
"""

import multiprocessing
import os
import sys
from multiprocessing.managers import BaseManager, DictProxy

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import ArgumentParser, Checks, header, say  # noqa: E402

AUTHKEY_LEN = 32
WAIT = 30  # seconds for one worker, far beyond a connection attempt
SHARED = {}  # lives in the server process; every `shared()` call returns a proxy on it


def shared():
    return SHARED


class KeyedManager(BaseManager):
    """A manager whose one object is the dict above, reachable by address and key."""


KeyedManager.register("shared", callable=shared, proxytype=DictProxy)


# ANCHOR: try_write
def try_write(address, key, name, outcome):
    """Connects with the key it was handed and writes its own name into the dict."""
    try:
        client = KeyedManager(address=address, authkey=key)
        client.connect()
        client.shared()[name] = 1
        outcome.value = 1  # got in
    except multiprocessing.AuthenticationError:
        outcome.value = 2  # refused
# ANCHOR_END: try_write


def main():
    ArgumentParser(description="A manager refuses processes without its authkey.").parse_args()
    header("manager_authkey: only processes with the key get in (Python twin)")
    outcomes = {}
    with KeyedManager() as manager:
        say(f"manager server PID={manager._process.pid}; authkey: {AUTHKEY_LEN} random bytes")
        # ANCHOR: keys
        keys = [("keyed", bytes(multiprocessing.current_process().authkey)),
                ("forged", b"B" * AUTHKEY_LEN), ("keyless", b"")]
        # ANCHOR_END: keys
        for name, key in keys:
            outcome = multiprocessing.Value("i", 0)
            p = multiprocessing.Process(target=try_write, args=(manager.address, key, name, outcome))
            p.start()
            p.join(WAIT)
            if p.is_alive():
                p.kill()
                p.join()
            said = {1: "got in and wrote its name", 2: "refused (AuthenticationError)"}
            say(f"{name} worker PID={p.pid}: {said.get(outcome.value, 'error')}")
            outcomes[name] = outcome.value
        final = sorted(manager.shared().keys())
    say(f"manager shut down: the dict held {final}")

    checks = Checks()
    checks.check("the worker with the manager's key got in and wrote", outcomes["keyed"] == 1)
    checks.check("the worker with a forged key was refused", outcomes["forged"] == 2)
    checks.check("the worker with no key was refused", outcomes["keyless"] == 2)
    checks.check("only the keyed worker's name is in the final contents", final == ["keyed"])
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
