"""Executes a notebook headless on the installed zhist kernel (nbclient), in a given working
directory, and writes the executed notebook even when a cell fails (then exits 1)."""
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

source, output, cwd = sys.argv[1:4]
nb = nbformat.read(source, as_version=4)
client = NotebookClient(nb, kernel_name="zhist", timeout=600, startup_timeout=60, resources={"metadata": {"path": cwd}})
status = 0
try:
    client.execute()
except CellExecutionError as err:
    print(str(err).strip().splitlines()[-1], file=sys.stderr)
    status = 1
finally:
    nbformat.write(nb, output)
print(f"executed notebook written to {output}", file=sys.stderr)
sys.exit(status)
