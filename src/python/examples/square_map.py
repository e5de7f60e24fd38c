"""multiprocessing's first example, Pool.map over square, on kpool.

    python3 square_map.py            # on kpool (pool `tutorial`, see pools.py)
    python3 square_map.py --stdlib   # the same code on multiprocessing.Pool
"""

from pools import Pool
from tutorial_tasks import square

if __name__ == "__main__":
    with Pool() as pool:
        print(pool.map(square, range(20)))
        print(pool.map(square, range(1000), chunksize=100)[-1])
