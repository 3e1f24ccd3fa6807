#!/usr/bin/env bash
# screenshots.sh — PNGs of Memscope's windows for the metainfo and for review:
#   main-window.png   the bundled capture (data/samples/sample.mmp)
#   process-chooser.png  File → Select Process (what `memscope` alone shows)
#   live-process.png  a live scan of msc-test-target, picked in the process chooser
#   options-menu.png  the Options menu
#   font.png          Options → Font…
#   timeline.png      Timeline… after three refreshes of msc-test-target, which
#                     maps, frees and touches memory in between; first and
#                     last snapshot picked with the keyboard
#   show-changes.png  the main window comparing those two (Show Changes)
#   strings.png       Edit → Strings… on the main heap of a live msc-test-target
#   fragmentation.png View → Fragmentation View of the bundled capture, the
#                     pointer over a region
# usage: build-aux/screenshots.sh [BUILD_DIR [OUT_DIR]]   (defaults: build, data/screenshots)
# Each picture is taken by ../shared/tools/shot on a private Xvfb display;
# keystrokes (xdotool) drive the menus and the chooser as a user would.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath "${1:-$here/build}")
out=$(realpath -m "${2:-$here/data/screenshots}")
shot=${SHOT:-$here/../shared/tools/shot}
mkdir -p "$out"

memscope="$build/app/memscope"
sample="$here/data/samples/sample.mmp"
target="$build/tests/targets/msc-test-target"
# Uninstalled run: the schema compiled in the build; settings in memory so
# the pictures show the defaults, not this machine's choices.
export GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1

# take NAME SECONDS SCRIPT: run SCRIPT (bash) and shoot the newest window.
take() {
  "$shot" "$out/$1.png" -w "$2" -s 1280x860 -- bash -c "$3"
}

take main-window 4 "exec '$memscope' '$sample'"

# Xvfb's pointer sits mid-screen, over a row of the list, and cannot be moved
# away; hide the tooltip that hovering shows before the picture is taken.
hide_tooltips='for w in $(xdotool search --onlyvisible --name .); do
    xprop -id "$w" _NET_WM_WINDOW_TYPE | grep -q TOOLTIP && xdotool windowunmap "$w"
  done'
take process-chooser 6 "
  '$memscope' & sleep 4
  $hide_tooltips
  wait"

take options-menu 5 "
  '$memscope' '$sample' & sleep 3
  xdotool key --clearmodifiers alt+o
  wait"

take fragmentation 6 "
  '$memscope' '$sample' & sleep 3
  xdotool key --clearmodifiers ctrl+g; sleep 1.5
  w=\$(xdotool search --onlyvisible --name 'Fragmentation View' | tail -1)
  xdotool mousemove --window \$w 520 396
  wait"

take font 6 "
  '$memscope' '$sample' & sleep 3
  xdotool key --clearmodifiers alt+o; sleep 0.5; xdotool key o
  wait"

if [ -x "$target" ]; then
  take live-process 12 "
    '$target' --file /usr/share/common-licenses/GPL-3 > /dev/null & t=\$!
    '$memscope' & sleep 4
    xdotool type --delay 60 msc-test-target; sleep 1
    xdotool key Return
    wait \$t"
  # The target places its known strings (command "strings DIR") in its main
  # heap; the Details view's type-ahead finds that heap by its Details text.
  strings_dir=$(mktemp -d)
  take strings 26 "
    { echo strings '$strings_dir'; sleep 40; } | '$target' --file /usr/share/common-licenses/GPL-3 > /dev/null &
    '$memscope' & sleep 4
    xdotool type --delay 60 msc-test-target; sleep 1
    xdotool key Return; sleep 5
    xdotool mousemove 400 650 click 1; sleep 0.5
    xdotool type --delay 60 'MAIN ARENA'; sleep 6
    xdotool key --clearmodifiers alt+e; sleep 1; xdotool key s
    wait"
  rm -rf "$strings_dir"
fi
# timeline_session KEYS: the test target (commands through a FIFO), picked
# in the chooser, refreshed twice as it maps, frees and touches memory;
# then Timeline… (Ctrl+T) gets KEYS. Without a window manager the keyboard
# goes where xdotool puts the focus.
timeline_session() {
  cat <<EOS
    fifo=\$(mktemp -u); mkfifo \$fifo; exec 3<>\$fifo
    '$target' --file /usr/share/common-licenses/GPL-3 < \$fifo > /dev/null & t=\$!
    printf 'alloc kept 1048576 65536\\nalloc old 8388608 4194304\\n' >&3
    await() {
      for i in \$(seq 60); do
        w=\$(xdotool search --onlyvisible --name "\$1" | tail -1)
        [ -n "\$w" ] && { xdotool windowfocus --sync \$w; return; }
        sleep 0.25
      done
    }
    '$memscope' & await 'Select or Launch Process'; sleep 1
    xdotool type --delay 60 msc-test-target; sleep 1
    xdotool key Return; sleep 3
    printf 'alloc fresh 16777216 8388608\\n' >&3; sleep 1
    xdotool key F5; sleep 3
    printf 'free old\\ntouch kept 1048576\\n' >&3; sleep 1
    xdotool key F5; sleep 3
    xdotool key ctrl+t; await '^Timeline\$'; sleep 1
    xdotool key $1
    wait \$t
EOS
}

if [ -x "$target" ]; then
  take timeline 24 "$(timeline_session 'Home shift+End')"
  take show-changes 26 "$(timeline_session 'Home shift+End Return Escape')"
fi
echo "screenshots in $out"
