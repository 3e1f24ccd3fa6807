#!/bin/sh
# check-mime-type.sh MIME_XML SAMPLE_MMP — does the shared-mime-info entry
# really make a capture open as one?  Installs the entry into a private MIME
# database and asks GIO (what file managers use) for the type of the sample
# twice: as "x.mmp" (glob) and with no extension (root element sniffing).
set -eu
mime_xml=$1 sample=$2
want=application/x-memscope-mmp
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/mime/packages"
cp "$mime_xml" "$tmp/mime/packages/"
cp /usr/share/mime/packages/freedesktop.org.xml "$tmp/mime/packages/"
XDG_DATA_DIRS="$tmp" update-mime-database "$tmp/mime"
cp "$sample" "$tmp/capture.mmp"
cp "$sample" "$tmp/capture"

fail=0
for file in capture.mmp capture; do
  got=$(XDG_DATA_HOME="$tmp" XDG_DATA_DIRS="$tmp" \
        gio info -a standard::content-type "$tmp/$file" | sed -n 's/^ *standard::content-type: //p')
  if [ "$got" = "$want" ]; then
    echo "ok: $file is $got"
  else
    echo "FAIL: $file is '$got', expected $want"
    fail=1
  fi
done
exit $fail
