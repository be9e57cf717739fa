#!/usr/bin/env bash
# Stops and unloads the heartbeat-ingester LaunchAgent and removes its plist.
# Leaves ROOT/g (reports, DuckDB file, logs) untouched.
set -euo pipefail

readonly LABEL=com.02luka.heartbeat-ingester
readonly PLIST=$HOME/Library/LaunchAgents/$LABEL.plist

case ${1:-} in
  '') ;;
  -h | --help)
    cat <<EOF
Usage: uninstall.sh

Stops and unloads the LaunchAgent $LABEL (launchctl bootout; fine if it
is not loaded) and deletes $PLIST.
Data and logs under the root's g/ directory are kept.
EOF
    exit 0 ;;
  *) printf 'uninstall.sh: unknown argument: %s (see --help)\n' "$1" >&2; exit 2 ;;
esac

command -v launchctl >/dev/null || { echo "uninstall.sh: launchctl not found (macOS only)" >&2; exit 1; }

TARGET=gui/$UID/$LABEL
if launchctl bootout "$TARGET" 2>/dev/null; then
  echo "Stopped and unloaded $LABEL."
else
  echo "$LABEL was not loaded."
fi
if [[ -e $PLIST ]]; then
  rm -f "$PLIST"
  echo "Removed $PLIST."
fi
