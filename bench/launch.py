"""Start one command; write its own wall time and peak memory to a file as JSON.

The benchmark holds every contender's figures (hundreds of MB), and Linux charges a child the
resident memory its parent had when it forked, until the child's exec: a report measured as a
child of the benchmark showed the benchmark's 830 MB, not its own. Started from this small process,
a command's peak is its own, give or take this process's (~10 MB). Standard library only: it runs
with ``python -S``.
"""

import json
import os
import sys
import time


def main() -> None:
    out, argv = sys.argv[1], sys.argv[2:]
    t0 = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - t0
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"seconds": seconds, "peak_kb": usage.ru_maxrss}, f)
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
