#!/usr/bin/env bash
# check-potfiles.sh SOURCE_ROOT — every file with user-visible strings is in
# po/POTFILES.in (and every listed file exists), so translators see them all.
set -euo pipefail
cd "$1"
listed=$(grep -v -e '^#' -e '^$' po/POTFILES.in | sort)
found=$( (grep -l -E '\b(N|C|NC)?_\("' -r app ui model --include='*.c' || true
          grep -l 'translatable="yes"' -r ui --include='*.ui' || true
          ls data/*.desktop.in data/*.metainfo.xml.in data/*.mime.xml.in data/*.gschema.xml) | sort -u)
status=0
missing=$(comm -13 <(echo "$listed") <(echo "$found"))
[ -z "$missing" ] || { echo "not in po/POTFILES.in:"; echo "$missing"; status=1; }
for f in $listed; do
  [ -e "$f" ] || { echo "po/POTFILES.in lists a missing file: $f"; status=1; }
done
exit $status
