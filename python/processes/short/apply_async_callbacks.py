"""The tutorial's apply_async with a callback and an error callback ("Python multiprocessing:
True Parallelism", "Process Pools for Parallel Workloads"), in its own shape, on the chapter's
Python twins plus one path that does not exist, so that the error callback runs too. The callbacks
run in the parent, on the pool's result-handler thread. The last check is ours.
"""

import multiprocessing
from pathlib import Path

from hash_pool import compute_file_hash


def process_with_callbacks(file_paths):
    results = {}
    errors = []

    def on_success(result):
        filepath, hash_val = result
        results[filepath] = hash_val

    def on_error(exc):
        errors.append(str(exc))

    with multiprocessing.Pool(4) as pool:
        async_results = [
            pool.apply_async(
                compute_file_hash,
                (fp,),
                callback=on_success,
                error_callback=on_error
            )
            for fp in file_paths
        ]

        # Wait for all tasks
        for ar in async_results:
            ar.wait()

    return results, errors


if __name__ == "__main__":
    folder = Path(__file__).resolve().parent.parent
    files = sorted(folder.glob("*.py")) + [folder / "no_such_file.py"]
    results, errors = process_with_callbacks(files)
    print(f"{len(results)} hashed, {len(errors)} failed: {errors}")
    assert len(results) == len(files) - 1 and len(errors) == 1, "a callback went missing"
