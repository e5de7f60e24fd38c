"""apply_async with a callback: results are collected as they come, on one client thread."""

from pools import Pool
from tutorial_tasks import square

if __name__ == "__main__":
    results = []
    with Pool() as pool:
        for i in range(10):
            pool.apply_async(square, (i,), callback=results.append)
        pool.close()
        pool.join()  # every callback has run when join returns
    print(sorted(results))
