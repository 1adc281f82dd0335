#!/usr/bin/env bash
# Run a command with the network cut off, so nothing can download behind the user's back.
# Uses a new network namespace (unshare -rn) with only the loopback interface up, which local test
# servers and the Dask test cluster need. Where the machine does not allow namespaces, it says so
# and runs the command as it is.
set -euo pipefail
if unshare -rn true 2>/dev/null; then
  exec unshare -rn bash -c 'ip link set lo up 2>/dev/null || true; exec "$@"' offline "$@"
fi
echo "offline.sh: cannot create a network namespace here; running with the network as it is" >&2
exec "$@"
