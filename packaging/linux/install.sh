#!/bin/sh
# Put TikTok Shop Desktop in your applications menu (for you only; no root needed).
#
#   ./install.sh              from the unpacked app folder: adds the menu entry and icons
#   ./install.sh --uninstall  removes them again (the app folder itself stays where it is)
#   ./install.sh [--uninstall] /path/to/tiktok-desktop   the same for an app folder elsewhere
#
# The menu entry starts the app from the folder it was installed from: after moving the folder,
# run this script again. Files written: ~/.local/share/applications/tiktok-desktop.desktop and
# ~/.local/share/icons/hicolor/<size>/apps/tiktok-desktop.{png,svg} (or under $XDG_DATA_HOME).
set -eu

NAME=tiktok-desktop
SIZES="16 22 24 32 48 64 128 256 512"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
APPLICATIONS="$DATA/applications"
HICOLOR="$DATA/icons/hicolor"

uninstall=no
if [ "${1:-}" = "--uninstall" ]; then
    uninstall=yes
    shift
fi
BUNDLE="$(cd "${1:-$(dirname "$0")}" && pwd)"

refresh_caches() {
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$APPLICATIONS" || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t -f "$HICOLOR" || true
    fi
}

if [ "$uninstall" = yes ]; then
    rm -f "$APPLICATIONS/$NAME.desktop" "$HICOLOR/scalable/apps/$NAME.svg"
    for size in $SIZES; do
        rm -f "$HICOLOR/${size}x${size}/apps/$NAME.png"
    done
    refresh_caches
    echo "Removed TikTok Shop Desktop from the applications menu."
    exit 0
fi

EXECUTABLE="$BUNDLE/$NAME"
ICONS="$BUNDLE/_internal/resources/icons"
if [ ! -x "$EXECUTABLE" ] || [ ! -d "$ICONS" ]; then
    echo "No TikTok Shop Desktop app in $BUNDLE (expected $NAME and _internal/resources/icons)." >&2
    echo "Run this script from the unpacked app folder, or pass that folder's path." >&2
    exit 1
fi

# A desktop entry quotes paths with double quotes, escapes " \` \$ and \\ inside them, and
# doubles % (field codes).
quoted=$(printf '%s' "$EXECUTABLE" | sed -e 's/[\\"`$]/\\\\&/g' -e 's/%/%%/g')

mkdir -p "$APPLICATIONS"
while IFS= read -r line; do
    case "$line" in
        Exec=*) printf 'Exec="%s"\n' "$quoted" ;;
        TryExec=*) printf 'TryExec=%s\n' "$EXECUTABLE" ;;
        *) printf '%s\n' "$line" ;;
    esac
done < "$BUNDLE/$NAME.desktop" > "$APPLICATIONS/$NAME.desktop.tmp"
mv "$APPLICATIONS/$NAME.desktop.tmp" "$APPLICATIONS/$NAME.desktop"

for size in $SIZES; do
    mkdir -p "$HICOLOR/${size}x${size}/apps"
    cp "$ICONS/$NAME-$size.png" "$HICOLOR/${size}x${size}/apps/$NAME.png"
done
mkdir -p "$HICOLOR/scalable/apps"
cp "$ICONS/$NAME.svg" "$HICOLOR/scalable/apps/$NAME.svg"
refresh_caches

echo "TikTok Shop Desktop is in your applications menu (it starts $EXECUTABLE)."
