"""Creates target/venv with the client's dependencies and pytest, for the Maven build and the ITs.

    python3 make_venv.py [target-dir]

Stdlib only. Reuses the venv while pyproject.toml is unchanged. Exits 2 with what to install when
this Python cannot make a venv (Debian and Ubuntu ship that part as the python3-venv package).
"""

import os
import subprocess
import sys
import venv

HERE = os.path.dirname(os.path.abspath(__file__))
REQUIREMENTS = ["confluent-kafka>=2.3,<3", "pytest>=7"]


def main():
    target = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "target"))
    home = os.path.join(target, "venv")
    python = os.path.join(home, "bin", "python")
    stamp = os.path.join(home, "kpool-requirements")
    wanted = "\n".join(REQUIREMENTS)
    if os.path.exists(python) and os.path.exists(stamp) and open(stamp).read() == wanted:
        return 0
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(home)
    except (subprocess.CalledProcessError, OSError) as e:
        sys.stderr.write("cannot create a Python virtualenv (%s): install the venv module, e.g. "
                         "`apt-get install python3-venv` on Debian or Ubuntu\n" % e)
        return 2
    subprocess.check_call([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
                          + REQUIREMENTS)
    with open(stamp, "w") as f:
        f.write(wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
