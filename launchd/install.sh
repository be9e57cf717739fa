#!/usr/bin/env bash
# Installs heartbeat-ingester as a macOS LaunchAgent (gui/$UID domain) from
# com.02luka.heartbeat-ingester.plist.template, or renders it with --print.
#
# Template placeholders, each replaced by an absolute path, XML-escaped (& < >):
#   __JAVA__  java 17+ executable                    (--java)
#   __JAR__   the shaded heartbeat-ingester.jar       (--jar)
#   __ROOT__  the root holding g/reports, g/logs ... (--root)
set -euo pipefail

readonly LABEL=com.02luka.heartbeat-ingester
SCRIPT_DIR=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(CDPATH='' cd -- "$SCRIPT_DIR/.." && pwd)
readonly SCRIPT_DIR REPO_DIR
readonly TEMPLATE=$SCRIPT_DIR/$LABEL.plist.template

usage() {
  cat <<EOF
Usage: install.sh [--root DIR] [--jar FILE] [--java FILE] [--print]

Installs and starts the LaunchAgent $LABEL
(~/Library/LaunchAgents/$LABEL.plist), replacing a loaded one.

  --root DIR   root whose g/reports is watched (default: current directory)
  --jar FILE   heartbeat-ingester.jar (default: $REPO_DIR/target/heartbeat-ingester.jar)
  --java FILE  java 17+ (default: /usr/libexec/java_home -v 17+ on macOS, else java on PATH)
  --print      only render the plist to stdout (works on any OS)
  -h, --help   this help
EOF
}

die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

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

# REPLY = $1 with every $2 replaced by $3 (literal, unlike ${var//}, whose
# replacement treats & specially in bash 5.2).
replace_all() {
  local text=$1 pat=$2 rep=$3 out=''
  while [[ $text == *"$pat"* ]]; do
    out+=${text%%"$pat"*}$rep
    text=${text#*"$pat"}
  done
  REPLY=$out$text
}

xml_escape() {
  replace_all "$1" '&' '&amp;'
  replace_all "$REPLY" '<' '&lt;'
  replace_all "$REPLY" '>' '&gt;'
}

render() {
  local line java jar root
  xml_escape "$JAVA"; java=$REPLY
  xml_escape "$JAR"; jar=$REPLY
  xml_escape "$ROOT"; root=$REPLY
  while IFS= read -r line || [[ -n $line ]]; do
    replace_all "$line" __JAVA__ "$java"
    replace_all "$REPLY" __JAR__ "$jar"
    replace_all "$REPLY" __ROOT__ "$root"
    printf '%s\n' "$REPLY"
  done <"$TEMPLATE"
}

default_java() {
  local home
  if [[ $(uname -s) == Darwin ]] && home=$(/usr/libexec/java_home -v 17+ 2>/dev/null) && [[ -n $home ]]; then
    printf '%s\n' "$home/bin/java"
  else
    command -v java || true
  fi
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
    *) printf 'install.sh: unknown argument: %s\n\n' "$1" >&2; usage >&2; exit 2 ;;
  esac
done

[[ -n $JAVA ]] || JAVA=$(default_java)
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

command -v launchctl >/dev/null || die "launchctl not found: this installs a macOS LaunchAgent (on Linux use install-systemd.sh)"
[[ -f $JAR ]] || die "jar not found: $JAR (build it with 'mvn package' or pass --jar)"
[[ -f $JAVA && -x $JAVA ]] || die "java not found or not executable: $JAVA (pass --java)"
"$JAVA" -version >/dev/null 2>&1 || die "$JAVA -version failed: is a JDK installed?"

# Owner-only, like everything the agent creates (Umask 077 in the plist).
if [ ! -d "$ROOT/g/reports" ]; then
  echo "warning: $ROOT/g/reports does not exist, and the agent refuses a root without it (is --root right?);" \
    "'java -jar heartbeat-ingester.jar --root $ROOT init' creates it" >&2
fi
(umask 077 && mkdir -p "$ROOT/g/logs")

AGENTS_DIR=$HOME/Library/LaunchAgents
PLIST=$AGENTS_DIR/$LABEL.plist
mkdir -p "$AGENTS_DIR"
TMP=$(mktemp "$AGENTS_DIR/.$LABEL.XXXXXX")
trap 'rm -f "$TMP"' EXIT
render >"$TMP"
chmod 644 "$TMP"
if command -v plutil >/dev/null; then
  lint=$(plutil -lint "$TMP" 2>&1) || die "plutil -lint rejected the rendered plist: $lint"
fi
mv -f "$TMP" "$PLIST"

TARGET=gui/$UID/$LABEL
if launchctl print "$TARGET" >/dev/null 2>&1; then
  echo "Unloading the running $LABEL ..."
  launchctl bootout "$TARGET" 2>/dev/null || true
  # bootout can return before the job has exited (up to ExitTimeOut); bootstrapping
  # too early fails with "Input/output error".
  for _ in $(seq 1 30); do
    launchctl print "$TARGET" >/dev/null 2>&1 || break
    sleep 1
  done
fi
launchctl enable "$TARGET" 2>/dev/null || true # undo an earlier 'launchctl disable'
launchctl bootstrap "gui/$UID" "$PLIST" ||
  die "launchctl bootstrap failed; check $ROOT/g/logs/launchd.err.log and 'launchctl print $TARGET'"

cat <<EOF
Installed $PLIST and started $LABEL.
  restart:          launchctl kickstart -k $TARGET
  state:            launchctl print $TARGET
  stop and unload:  launchctl bootout $TARGET
  logs:             $ROOT/g/logs (launchd.out.log, launchd.err.log and the agent's own logs)
EOF
