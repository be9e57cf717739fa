#!/usr/bin/env bash
# Installs heartbeat-ingester as a systemd user service on Linux from
# heartbeat-ingester.service, or renders the unit with --print.
#
# Template placeholders, each replaced by an absolute path:
#   __JAVA__  java 17+ executable                    (--java)
#   __JAR__   the shaded heartbeat-ingester.jar       (--jar)
#   __ROOT__  the root holding g/reports, g/logs ... (--root)
# Escaping follows systemd.syntax(7): inside "..." (ExecStart) \ and " are
# backslash-escaped; everywhere % becomes %% (specifiers) and in ExecStart $ becomes $$.
set -euo pipefail

readonly UNIT=heartbeat-ingester
SCRIPT_DIR=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(CDPATH='' cd -- "$SCRIPT_DIR/.." && pwd)
readonly SCRIPT_DIR REPO_DIR
readonly TEMPLATE=$SCRIPT_DIR/$UNIT.service

usage() {
  cat <<EOF
Usage: install-systemd.sh [--root DIR] [--jar FILE] [--java FILE] [--print]

Installs ~/.config/systemd/user/$UNIT.service, then runs
'systemctl --user daemon-reload' and 'systemctl --user enable --now $UNIT'
(restarting it if it was already running).

  --root DIR   root whose g/reports is watched (default: current directory)
  --jar FILE   heartbeat-ingester.jar (default: $REPO_DIR/target/heartbeat-ingester.jar)
  --java FILE  java 17+ (default: java on PATH)
  --print      only render the unit to stdout
  -h, --help   this help
EOF
}

die() { printf 'install-systemd.sh: %s\n' "$*" >&2; exit 1; }

# Absolute form of a path that may not exist yet (no symlink resolution).
abs_path() {
  local p=$1 dir base
  [[ $p == /* ]] || p=$PWD/$p
  if [[ -d $p ]]; then
    (CDPATH='' cd -- "$p" && pwd)
    return
  fi
  dir=$(dirname -- "$p") base=$(basename -- "$p")
  if [[ -d $dir ]]; then
    dir=$(CDPATH='' cd -- "$dir" && pwd)
    if [[ $dir == / ]]; then dir=""; fi
  fi
  printf '%s/%s\n' "$dir" "$base"
}

# REPLY = $1 with every $2 replaced by $3, literally.
replace_all() {
  local text=$1 pat=$2 rep=$3 out=''
  while [[ $text == *"$pat"* ]]; do
    out+=${text%%"$pat"*}$rep
    text=${text#*"$pat"}
  done
  REPLY=$out$text
}

# For a value inside "..." on an Exec line.
quoted_escape() {
  replace_all "$1" '\' '\\'
  replace_all "$REPLY" '"' '\"'
  replace_all "$REPLY" '%' '%%'
  replace_all "$REPLY" '$' '$$'
}

# For a value inside "..." on a path-list setting such as ReadWritePaths= (unquoted, C-unescaped).
list_escape() {
  replace_all "$1" '\' '\\'
  replace_all "$REPLY" '"' '\"'
  replace_all "$REPLY" '%' '%%'
}

# For a bare path setting such as WorkingDirectory= (no unquoting there).
path_escape() {
  replace_all "$1" '%' '%%'
}

render() {
  local line qjava qjar qroot proot lroot
  quoted_escape "$JAVA"; qjava=$REPLY
  quoted_escape "$JAR"; qjar=$REPLY
  quoted_escape "$ROOT"; qroot=$REPLY
  path_escape "$ROOT"; proot=$REPLY
  list_escape "$ROOT"; lroot=$REPLY
  while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line == Exec* ]]; then
      replace_all "$line" __JAVA__ "$qjava"
      replace_all "$REPLY" __JAR__ "$qjar"
      replace_all "$REPLY" __ROOT__ "$qroot"
    elif [[ $line == ReadWritePaths=* ]]; then
      replace_all "$line" __ROOT__ "$lroot"
    else
      replace_all "$line" __ROOT__ "$proot"
    fi
    printf '%s\n' "$REPLY"
  done <"$TEMPLATE"
}

ROOT=. JAR=$REPO_DIR/target/heartbeat-ingester.jar JAVA='' PRINT=0
need_value() { [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value (see --help)"; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --root) need_value "$@"; ROOT=$2; shift 2 ;;
    --jar) need_value "$@"; JAR=$2; shift 2 ;;
    --java) need_value "$@"; JAVA=$2; shift 2 ;;
    --root=?*) ROOT=${1#*=}; shift ;;
    --jar=?*) JAR=${1#*=}; shift ;;
    --java=?*) JAVA=${1#*=}; shift ;;
    --print) PRINT=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) printf 'install-systemd.sh: unknown argument: %s\n\n' "$1" >&2; usage >&2; exit 2 ;;
  esac
done

[[ -n $JAVA ]] || JAVA=$(command -v java || true)
[[ -n $JAVA ]] || die "no java found: install a JDK 17+ or pass --java"
ROOT=$(abs_path "$ROOT") JAR=$(abs_path "$JAR") JAVA=$(abs_path "$JAVA")
for v in "$ROOT" "$JAR" "$JAVA"; do
  [[ $v != *$'\n'* ]] || die "paths with a newline are not supported"
done
[[ -f $TEMPLATE ]] || die "template not found: $TEMPLATE"

if [[ $PRINT == 1 ]]; then
  render
  exit 0
fi

command -v systemctl >/dev/null || die "systemctl not found (on macOS use install.sh)"
[[ -f $JAR ]] || die "jar not found: $JAR (build it with 'mvn package' or pass --jar)"
[[ -f $JAVA && -x $JAVA ]] || die "java not found or not executable: $JAVA (pass --java)"
"$JAVA" -version >/dev/null 2>&1 || die "$JAVA -version failed: is a JDK installed?"

# Owner-only, like everything the agent creates (UMask=0077 in the unit).
if [ ! -d "$ROOT/g/reports" ]; then
  echo "warning: $ROOT/g/reports does not exist, and the agent refuses a root without it (is --root right?);" \
    "'java -jar heartbeat-ingester.jar --root $ROOT init' creates it" >&2
fi
(umask 077 && mkdir -p "$ROOT/g/logs")

UNIT_DIR=${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user
UNIT_FILE=$UNIT_DIR/$UNIT.service
mkdir -p "$UNIT_DIR"
TMP=$(mktemp "$UNIT_DIR/.$UNIT.XXXXXX")
trap 'rm -f "$TMP"' EXIT
render >"$TMP"
chmod 644 "$TMP"
mv -f "$TMP" "$UNIT_FILE"

was_active=0
if systemctl --user is-active --quiet "$UNIT"; then was_active=1; fi
systemctl --user daemon-reload && systemctl --user enable --now "$UNIT"
# enable --now leaves a running service on the old unit/jar.
[[ $was_active == 0 ]] || systemctl --user restart "$UNIT"

cat <<EOF
Installed $UNIT_FILE and started $UNIT.
  restart:          systemctl --user restart $UNIT
  state:            systemctl --user status $UNIT
  stop and disable: systemctl --user disable --now $UNIT
  logs:             $ROOT/g/logs, and journalctl --user -u $UNIT
To keep it running while you are logged out: loginctl enable-linger "\$USER"
EOF
