#!/usr/bin/env bash
# Qt needs a few system libraries that a minimal Debian/Ubuntu may lack. Install them only
# when missing, and only where we may (root, or password-less sudo); otherwise say which.
set -u
need=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib 'libEGL.so.1'         || need+=(libegl1)
have_lib 'libGL.so.1'          || need+=(libgl1)
have_lib 'libxkbcommon.so.0'   || need+=(libxkbcommon0)
have_lib 'libfontconfig.so.1'  || need+=(libfontconfig1)
have_lib 'libdbus-1.so.3'      || need+=(libdbus-1-3)
have_lib 'libxcb-cursor.so.0'  || need+=(libxcb-cursor0)
have_lib 'libxkbcommon-x11.so.0' || need+=(libxkbcommon-x11-0)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
[ ${#need[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Liaison needs these system libraries: ${need[*]} (install them with your package manager)." >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "Liaison needs: sudo apt-get install ${need[*]}" >&2; exit 0; fi
fi
echo "Installing system libraries for Qt: ${need[*]}"
$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
