"""The derived training step against autograd on many generated programs (issue 13).

    PYTHONPATH=. python benchmarks/backward_oracle.py [COUNT] [SEED] [MINUTES]

Runs tests/test_backward_autodiff.py's generator and check on COUNT programs (default
50,000, seed 0) and prints how many were checked, skipped (values overflow) and failed,
with the first failures' programs, each with its index (rerun the same COUNT and SEED to
meet it again: hypothesis draws the same programs in the same order). Exit 1 if any failed. MINUTES
stops the run after that long, with the figures so far (exit 3 if it stopped early).
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, Phase, given, settings, seed  # noqa: E402

from tests import test_backward_autodiff as oracle  # noqa: E402


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    start_seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    minutes = float(sys.argv[3]) if len(sys.argv) > 3 else None
    tally = {"checked": 0, "overflow": 0, "failed": 0}
    failures: list[str] = []
    began = time.perf_counter()

    class OutOfTime(Exception):
        pass

    @seed(start_seed)
    @settings(max_examples=count, deadline=None, database=None,
              phases=(Phase.generate,), suppress_health_check=list(HealthCheck))
    @given(oracle.cases())
    def run(case):
        done = sum(tally.values())
        if minutes is not None and time.perf_counter() - began > 60 * minutes:
            raise OutOfTime
        if done and done % 500 == 0:
            print(f"  {done:,} so far: {tally}, {time.perf_counter() - began:.0f} s",
                  flush=True)
        try:
            oracle.check(case)
            tally["checked"] += 1
        except oracle.Overflow:
            tally["overflow"] += 1
        except Exception as e:          # every failure is counted, not just the first
            tally["failed"] += 1
            if len(failures) < 5:
                failures.append(f"#{done} (seed {start_seed})\n{case.text()}\n  loss={case.loss} delta={case.delta} "
                                f"mean={case.mean}\n  {type(e).__name__}: {str(e)[:400]}")
                print("--- failed:\n" + failures[-1], flush=True)

    stopped = False
    try:
        run()
    except OutOfTime:
        stopped = True
    except Exception as e:          # hypothesis re-raises OutOfTime wrapped, or as flaky
        if "OutOfTime" not in repr(e) and not isinstance(getattr(e, "__cause__", None),
                                                         OutOfTime):
            raise
        stopped = True
    took = time.perf_counter() - began
    print(f"{tally['checked']:,} programs checked against autograd, {tally['overflow']:,} "
          f"skipped (values overflow), {tally['failed']:,} failed, in {took:.0f} s")
    for f in failures:
        print("---\n" + f)
    if stopped:
        print(f"stopped after {minutes:g} minutes, before {count:,} programs")
    return 1 if tally["failed"] else 3 if stopped else 0


if __name__ == "__main__":
    sys.exit(main())
