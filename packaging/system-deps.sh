#!/usr/bin/env bash
# Qt needs a few system libraries that a minimal Debian/Ubuntu may lack. Install them only
# when missing, and only where we may (root, or password-less sudo); otherwise say which.
#
#   bash packaging/system-deps.sh          before the venv: python3-venv and Qt's basics
#   bash packaging/system-deps.sh .venv    after it: whatever Qt's installed X11 platform
#                                          plugin really links to and cannot find (ldd), so
#                                          no library can be missed by a hand-kept list
set -u
need=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }

# The Debian package of a shared library, by Debian's naming rule (libfoo.so.1 -> libfoo1,
# libfoo-x11.so.0 -> libfoo-x11-0), with the few exceptions Qt meets.
package_of() {
  local so=$1 name version
  case "$so" in
    libglib-2.0.so.*|libgthread-2.0.so.*|libgobject-2.0.so.*) echo libglib2.0-0; return ;;
    libEGL.so.*) echo libegl1; return ;;
    libGL.so.*|libGLX.so.*) echo libgl1; return ;;
    libOpenGL.so.*) echo libopengl0; return ;;
  esac
  name=${so%%.so.*}
  version=${so##*.so.}
  version=${version%%.*}
  name=$(echo "$name" | tr 'A-Z' 'a-z')
  if [[ "$name" =~ [0-9]$ ]]; then echo "${name}-${version}"; else echo "${name}${version}"; fi
}

if [ $# -ge 1 ]; then
  venv=$1
  plugin=$(ls "$venv"/lib/python3*/site-packages/PySide6/Qt/plugins/platforms/libqxcb.so 2>/dev/null | head -1)
  [ -n "$plugin" ] || exit 0
  command -v ldd >/dev/null 2>&1 || exit 0
  while read -r so; do
    [ -n "$so" ] && need+=("$(package_of "$so")")
  done < <(ldd "$plugin" 2>/dev/null | awk '/=> not found/ {print $1}' | sort -u)
else
  have_lib 'libEGL.so.1'         || need+=(libegl1)
  have_lib 'libGL.so.1'          || need+=(libgl1)
  have_lib 'libxkbcommon.so.0'   || need+=(libxkbcommon0)
  have_lib 'libfontconfig.so.1'  || need+=(libfontconfig1)
  have_lib 'libdbus-1.so.3'      || need+=(libdbus-1-3)
  have_lib 'libxcb-cursor.so.0'  || need+=(libxcb-cursor0)
  have_lib 'libxkbcommon-x11.so.0' || need+=(libxkbcommon-x11-0)
  python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
fi
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
