# `time` for the Monty runtime, which has none: clocks that measure the run. _tm_perf_counter()
# and _tm_monotonic() count seconds since the run started; _tm_time() adds them to a fixed epoch
# (2023-11-14 22:13:20 UTC), because the sandbox has no wall clock; _tm_sleep() only advances
# these clocks, so an exercise never waits.


def _tm_now():
    return _tm_core("elapsed") + _tm_slept[0]


_tm_slept = [0.0]


def _tm_perf_counter():
    return _tm_now()


def _tm_monotonic():
    return _tm_now()


def _tm_process_time():
    return _tm_now()


def _tm_time():
    return 1700000000.0 + _tm_now()


def _tm_perf_counter_ns():
    return int(_tm_now() * 1e9)


def _tm_time_ns():
    return int(_tm_time() * 1e9)


def _tm_sleep(seconds):
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    _tm_slept[0] = _tm_slept[0] + seconds


def _tm_exports():
    return {
        "perf_counter": _tm_perf_counter,
        "monotonic": _tm_monotonic,
        "process_time": _tm_process_time,
        "time": _tm_time,
        "perf_counter_ns": _tm_perf_counter_ns,
        "time_ns": _tm_time_ns,
        "sleep": _tm_sleep,
    }
