#!/usr/bin/env bash
# Install the desktop entry, the *.liaison MIME type and the icons for the current user, so
# that Liaison appears in the menu and opening a vault from the file manager starts it.
# Usage: packaging/linux/install-desktop.sh [PATH/TO/liaison]   (default: the one on PATH)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${1:-$(command -v liaison || true)}"
[ -n "$bin" ] || { echo "Give the path of the liaison program." >&2; exit 1; }
share="${XDG_DATA_HOME:-$HOME/.local/share}"
mkdir -p "$share/applications" "$share/mime/packages" "$share/metainfo"
sed "s|^Exec=liaison|Exec=$bin|" "$here/org.liaison.Liaison.desktop" > "$share/applications/org.liaison.Liaison.desktop"
cp "$here/liaison-mime.xml" "$share/mime/packages/liaison.xml"
cp "$here/org.liaison.Liaison.metainfo.xml" "$share/metainfo/"
for dir in "$root"/resources/icons/hicolor/*/apps; do
  size="$(basename "$(dirname "$dir")")"
  mkdir -p "$share/icons/hicolor/$size/apps"
  cp "$dir/liaison.png" "$share/icons/hicolor/$size/apps/"
done
command -v update-mime-database >/dev/null && update-mime-database "$share/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database "$share/applications" || true
echo "Installed Liaison's desktop entry and file type for $(whoami)."
