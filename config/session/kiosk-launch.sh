#!/bin/sh
# motcua-kiosk launch script (ExecStart of config/systemd/motcua-kiosk.service).
# Locks the X session down, then replaces itself with the app, so the app is the unit's main
# process: systemd's watchdog and Restart=always then apply to it directly.
set -eu

KIOSK_HOME="${KIOSK_HOME:-/opt/motcua-kiosk}"
export DISPLAY="${DISPLAY:-:0}"

# Wait for the X server (started by motcua-kiosk-xorg.service).
i=0
until xset q >/dev/null 2>&1; do
    i=$((i + 1))
    if [ "$i" -gt 100 ]; then echo "kiosk-launch: no X server on $DISPLAY" >&2; exit 1; fi
    sleep 0.2
done

xset s off -dpms s noblank                       # the screen never blanks or sleeps
setxkbmap -option '' -option srvrkeys:none 2>/dev/null || true   # no Ctrl+Alt+Fn / Ctrl+Alt+Backspace
command -v unclutter >/dev/null 2>&1 && unclutter -idle 0.1 -root &  # hide a stray mouse cursor

export KIVY_NO_ARGS=1 KIVY_LOG_MODE=PYTHON KIVY_NO_FILELOG=1
exec "$KIOSK_HOME/.venv/bin/kiosk" run --fullscreen
