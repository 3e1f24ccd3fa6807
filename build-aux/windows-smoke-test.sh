#!/usr/bin/env bash
# windows-smoke-test.sh — prove the cross-built GTK 3 stack makes a working Windows program:
# compile a small GTK 3 program against the stack, lay it out the way windows-bundle.sh lays
# out Memscope (same functions: DLL walk, schemas, pixbuf cache, icons), run it under wine64
# in Xvfb, and check from inside the program that its window was mapped, that a symbolic
# icon loaded from the bundled theme (through GdkPixbuf's PNG loader), that GSettings reads
# the compiled schemas and that Pango lays out text with a Windows font.
#
# usage: build-aux/windows-smoke-test.sh [SCREENSHOT.png]
# Needs the stack (build-aux/windows-bundle.sh --stack-only); exits 77 (skipped) without it.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shot=${1:-}
# shellcheck source=windows-bundle.sh
source "$here/build-aux/windows-bundle.sh"
parse_args
find_stack
[ -f "$prefix/.complete" ] || { echo "windows-smoke-test: no stack at $prefix; skipped"; exit 77; }

wine=$(command -v wine64 || echo /usr/lib/wine/wine64)
if [ ! -x "$wine" ] || ! command -v xvfb-run >/dev/null; then
  [ "$(id -u)" = 0 ] || die "please install wine64 xvfb xauth"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wine64 xvfb xauth >/dev/null
  wine=$(command -v wine64 || echo /usr/lib/wine/wine64)
fi

work=$(mktemp -d /tmp/memscope-win-smoke.XXXXXX)
trap 'rm -rf "$work"' EXIT

cat > "$work/hello.c" <<'EOF'
#include <gtk/gtk.h>

/* Each check prints one line; the shell side counts them. */
static int failures;

static void
check (gboolean ok, const char *what)
{
  g_print ("%s: %s\n", ok ? "ok" : "FAIL", what);
  if (!ok)
    failures++;
}

static gboolean
quit_later (gpointer data)
{
  gtk_main_quit ();
  return G_SOURCE_REMOVE;
}

static gboolean
on_mapped (GtkWidget *window, GdkEvent *event, gpointer data)
{
  int w = gtk_widget_get_allocated_width (window), h = gtk_widget_get_allocated_height (window);
  check (w > 100 && h > 50, "window mapped with a real size");
  g_timeout_add_seconds (GPOINTER_TO_INT (data), quit_later, NULL);
  return FALSE;
}

int
main (int argc, char **argv)
{
  gtk_init (&argc, &argv);
  int linger = argc > 1 ? atoi (argv[1]) : 3;

  GtkIconTheme *theme = gtk_icon_theme_get_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) icon = gtk_icon_theme_load_icon (theme, "document-open-symbolic", 16, 0, &error);
  check (icon != NULL && gdk_pixbuf_get_width (icon) == 16, "symbolic icon from the bundled Adwaita theme");

  GSettingsSchemaSource *schemas = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = schemas ? g_settings_schema_source_lookup (schemas, "org.gtk.Settings.FileChooser", TRUE) : NULL;
  check (schema != NULL, "compiled GSettings schemas found");

  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_window_set_title (GTK_WINDOW (window), "Memscope GTK stack");
  gtk_window_set_default_size (GTK_WINDOW (window), 420, 200);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_container_set_border_width (GTK_CONTAINER (box), 24);
  GtkWidget *label = gtk_label_new (NULL);
  gtk_label_set_markup (GTK_LABEL (label), "<b>GTK 3 on Windows</b>\nCairo, Pango, HarfBuzz, GdkPixbuf — ünïcödé ✓");
  gtk_box_pack_start (GTK_BOX (box), label, TRUE, TRUE, 0);
  GtkWidget *button = gtk_button_new_with_label ("Open…");
  gtk_button_set_image (GTK_BUTTON (button), gtk_image_new_from_icon_name ("document-open-symbolic", GTK_ICON_SIZE_BUTTON));
  gtk_button_set_always_show_image (GTK_BUTTON (button), TRUE);
  gtk_box_pack_start (GTK_BOX (box), button, FALSE, FALSE, 0);
  gtk_container_add (GTK_CONTAINER (window), box);
  g_signal_connect (window, "map-event", G_CALLBACK (on_mapped), GINT_TO_POINTER (linger));
  g_signal_connect (window, "destroy", G_CALLBACK (gtk_main_quit), NULL);
  gtk_widget_show_all (window);

  PangoLayout *layout = gtk_widget_create_pango_layout (label, "Memscope");
  int pw, ph;
  pango_layout_get_pixel_size (layout, &pw, &ph);
  check (pw > 20 && ph > 5, "Pango laid out text with a Windows font");
  g_object_unref (layout);

  gtk_main ();
  g_print ("%d failed\n", failures);
  return failures ? 1 : 0;
}
EOF

pc=$prefix/host-tools/$host-pkg-config
# shellcheck disable=SC2046
$host-gcc -O2 -mwindows -o "$work/hello.exe" "$work/hello.c" $($pc --cflags --libs gtk+-3.0)
lay_out_runtime "$work/app" "$work/hello.exe"
say "smoke bundle: $(du -sh "$work/app" | cut -f1), $(ls "$work/app/bin" | wc -l) files in bin/"

# A private, fresh Wine prefix: the first start (wineboot) takes a while.
export WINEPREFIX=$work/wineprefix WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml='
xvfb-run -a -s '-screen 0 1024x768x24' bash -c '
  "$0" wineboot -i >/dev/null 2>&1
  "$0" "$1" 6 > "$2" 2>&1 & app=$!
  for _ in $(seq 1 60); do grep -q "window mapped" "$2" && break; sleep 1; done
  sleep 2
  [ -n "$3" ] && command -v import >/dev/null && import -window root "$3"
  wait $app
' "$wine" "$work/app/bin/hello.exe" "$work/out.txt" "$shot" || true
cat "$work/out.txt"
passed=$(grep -c '^ok:' "$work/out.txt" || true)
failed=$(grep -c '^FAIL:' "$work/out.txt" || true)
[ "$passed" -eq 4 ] || failed=$(( failed + 4 - passed ))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
