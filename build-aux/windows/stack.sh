# build-aux/windows/stack.sh — sourced by windows-bundle.sh: the GTK 3 stack for
# x86_64-w64-mingw32, cross-built from Debian's own source packages with each project's
# own build system, into a cache outside the clone.
#
# Only this file, build-aux/windows-patches/, the resolved source versions and the
# toolchain's version make the cache key: editing how the bundle is laid out or tested
# (build-aux/windows/bundle.sh, gui-test.sh) reuses the stack.
#
# Layout of the cache ($cache, default /var/cache/memscope-win-stack):
#   src/            downloaded and unpacked Debian source packages
#   <key>/          installed stack (prefix), complete when .complete exists; relocatable
#                   (.pc files say ${pcfiledir}, cross.txt and the pkg-config wrapper are
#                   rewritten on every run), so a stack built elsewhere can be moved in
#   build/<key>/    build trees (deleted when the stack completes)
#   logs/<key>/     one log per package; <key>/MANIFEST lists versions and build times
#
# Why Debian sources and not MSYS2: the machine and CI reach Debian's mirrors only. Debian
# ships no mingw GTK, so we build one.

# ---------------------------------------------------------------------------------------
# 1. Host tools
# ---------------------------------------------------------------------------------------
host_packages=(
  gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 binutils-mingw-w64-x86-64 mingw-w64-x86-64-dev
  dpkg-dev meson ninja-build pkg-config python3 make patch xz-utils bzip2 gettext
  libglib2.0-dev-bin libglib2.0-bin libgdk-pixbuf2.0-bin gtk-update-icon-cache libxml2-utils
  adwaita-icon-theme hicolor-icon-theme librsvg2-bin
)

apt_updated=false
apt_update() {
  $apt_updated && return 0
  # A mirror in mid-sync may fail one index (e.g. a foreign architecture's); the source
  # indexes we need are checked afterwards by resolving versions.
  apt-get update -qq || say "apt-get update reported errors; continuing with what it fetched"
  apt_updated=true
}

install_host_tools() {
  local missing=() p
  for p in "${host_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "please install: ${missing[*]}"
  say "installing ${missing[*]}"
  apt_update
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# deb-src entries. bookworm is what we build; trixie is only a fallback for a source
# package whose bookworm files the mirror no longer serves (see resolve_source).
srcs_file=/etc/apt/sources.list.d/memscope-deb-src.sources
srcs_text='# Added by Memscope build-aux/windows-bundle.sh: source packages for the Windows GTK stack.
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
'
ensure_deb_src() {
  if [ "$(cat "$srcs_file" 2>/dev/null)" != "$srcs_text" ]; then
    [ "$(id -u)" = 0 ] || die "need root to add $srcs_file"
    printf '%s' "$srcs_text" > "$srcs_file"
    apt_updated=false
    apt_update
  elif ! apt-cache showsrc glib2.0 2>/dev/null | grep -q '^Version:'; then
    apt_update
  fi
}

# ---------------------------------------------------------------------------------------
# 2. Source packages: resolve, fetch, unpack
# ---------------------------------------------------------------------------------------
# Order is build order (at-spi2-core's ATK needs libxml2 since 2.50).
packages=(
  zlib gettext libffi pcre2 glib2.0 libpng1.6 pixman freetype fribidi harfbuzz
  cairo pango1.0 gdk-pixbuf libepoxy libxml2 at-spi2-core gtk+3.0
)

declare -A version srcdir

# Candidate versions of a source package: bookworm's suites first (highest first), then
# trixie's. apt-cache madison lists source entries with their suite.
candidates() {
  local pkg=$1
  apt-cache madison "$pkg" 2>/dev/null | awk -F' *[|] *' '$3 ~ /Sources$/ && $1 ~ /^ *'"${pkg//+/[+]}"'$/ {
      split($3, a, " "); suite = a[2]; sub(/\/.*/, "", suite)
      if (suite ~ /^bookworm/) print "1 " $2; else print "2 " $2 }' |
    sort -k1,1n -k2,2Vr -u | awk '{print $2}'
}

# fetch PKG VER DIR: unpack into DIR. apt-get source does it all when the mirror has every
# file; when it lacks the .dsc or the Debian diff, fetch each file apt lists with
# apt-helper (which checks the SHA256 from the signed Sources index) and unpack by hand.
fetch() {
  local pkg=$1 ver=$2 dir=$3 tmp uris
  tmp=$cache/src/.dl-$pkg-$ver
  rm -rf "$tmp" && mkdir -p "$tmp"
  if (cd "$tmp" && apt-get source -qq --download-only "$pkg=$ver" >/dev/null 2>&1) &&
     dpkg-source -x "$tmp"/*.dsc "$dir" >/dev/null 2>&1; then
    rm -rf "$tmp"; return 0
  fi
  rm -rf "$dir"
  uris=$(apt-get source --print-uris -qq "$pkg=$ver" 2>/dev/null | grep "^'") || return 1
  local url file size hash
  while read -r url file size hash; do
    url=${url//\'/}
    (cd "$tmp" && /usr/lib/apt/apt-helper -qq download-file "$url" "$file" "${hash}" >/dev/null 2>&1) ||
      say "  $pkg $ver: mirror lacks $file"
  done <<< "$uris"
  local orig
  orig=$(ls "$tmp"/*.orig.tar.* 2>/dev/null | grep -v -e '\.asc$' -e '\.orig-' | head -1) || true
  [ -n "$orig" ] || { rm -rf "$tmp"; return 1; }
  mkdir -p "$dir"
  tar -xf "$orig" -C "$dir" --strip-components=1
  local comp name
  for comp in "$tmp"/*.orig-*.tar.*; do
    [ -e "$comp" ] && [[ $comp != *.asc ]] || continue
    name=${comp##*.orig-}; name=${name%%.tar.*}
    mkdir -p "$dir/$name" && tar -xf "$comp" -C "$dir/$name" --strip-components=1
  done
  if ls "$tmp"/*.debian.tar.* >/dev/null 2>&1; then
    tar -xf "$(ls "$tmp"/*.debian.tar.* | head -1)" -C "$dir"
    if [ -f "$dir/debian/patches/series" ]; then
      local p
      while read -r p _; do
        case $p in ''|'#'*) continue ;; esac
        patch -d "$dir" -p1 -s -N < "$dir/debian/patches/$p" >/dev/null ||
          { rm -rf "$tmp" "$dir"; return 1; }
      done < "$dir/debian/patches/series"
    fi
    echo "unpacked by hand (no .dsc on the mirror), Debian patches applied" > "$dir/.memscope-fetch"
  elif ls "$tmp"/*.diff.gz >/dev/null 2>&1; then
    zcat "$(ls "$tmp"/*.diff.gz | head -1)" | patch -d "$dir" -p1 -s >/dev/null
    echo "unpacked by hand (no .dsc on the mirror), Debian diff applied" > "$dir/.memscope-fetch"
  else
    echo "upstream tarball only: the mirror lacks the Debian diff" > "$dir/.memscope-fetch"
  fi
  rm -rf "$tmp"
}

# resolve_source PKG: the first candidate version the mirror gives us with Debian's patches;
# failing that, the first one whose upstream tarball it has.
resolve_source() {
  local pkg=$1 ver dir pass
  for pass in patched any; do
    for ver in $(candidates "$pkg"); do
      dir=$cache/src/$pkg-${ver//:/_}
      if [ ! -f "$dir/.memscope-unpacked" ] && [ ! -f "$dir.unavailable" ]; then
        if fetch "$pkg" "$ver" "$dir"; then
          touch "$dir/.memscope-unpacked"
        else
          touch "$dir.unavailable"
        fi
        rm -f "$cache/src/"*.orig*.tar.* "$cache/src/"*.orig*.asc
      fi
      [ -f "$dir/.memscope-unpacked" ] || continue
      if [ $pass = patched ] && grep -qs 'upstream tarball only' "$dir/.memscope-fetch"; then
        continue
      fi
      version[$pkg]=$ver
      srcdir[$pkg]=$dir
      [ -f "$dir/.memscope-fetch" ] && say "  $pkg $ver: $(cat "$dir/.memscope-fetch")"
      return 0
    done
  done
  die "no version of source package $pkg could be fetched"
}

# ---------------------------------------------------------------------------------------
# 3. Toolchain files: pkg-config wrapper and meson cross file for the stack
# ---------------------------------------------------------------------------------------
write_toolchain_files() {
  mkdir -p "$prefix/host-tools"
  # The pkg-config wrapper sees only the stack, never the build machine's .pc files.
  cat > "$prefix/host-tools/$host-pkg-config" <<EOF
#!/bin/sh
# pkg-config for the Windows GTK stack in $prefix (generated by windows-bundle.sh)
PKG_CONFIG_LIBDIR='$prefix/lib/pkgconfig:$prefix/share/pkgconfig'
PKG_CONFIG_PATH=
export PKG_CONFIG_LIBDIR PKG_CONFIG_PATH
exec pkg-config "\$@"
EOF
  chmod +x "$prefix/host-tools/$host-pkg-config"
  # libintl has no .pc file; the include and library paths let meson's intl lookup find it.
  cat > "$prefix/cross.txt" <<EOF
# meson cross file for the Windows GTK stack in $prefix (generated by windows-bundle.sh)
[binaries]
c = '$host-gcc'
cpp = '$host-g++'
ar = '$host-ar'
strip = '$host-strip'
windres = '$host-windres'
ld = '$host-ld'
nm = '$host-nm'
objdump = '$host-objdump'
# meson 1.0 (bookworm) knows the key as pkgconfig; later versions accept it too.
pkgconfig = '$prefix/host-tools/$host-pkg-config'

[properties]
pkg_config_libdir = ['$prefix/lib/pkgconfig', '$prefix/share/pkgconfig']

[built-in options]
c_args = ['-I$prefix/include']
cpp_args = ['-I$prefix/include']
c_link_args = ['-L$prefix/lib']
cpp_link_args = ['-L$prefix/lib']

[host_machine]
system = 'windows'
cpu_family = 'x86_64'
cpu = 'x86_64'
endian = 'little'
EOF
}

# ---------------------------------------------------------------------------------------
# 4. Building one package
# ---------------------------------------------------------------------------------------
log=/dev/null
run() { "$@" >> "$log" 2>&1 || { echo "FAILED: $*" >> "$log"; say "FAILED: $* (log: $log)"; tail -n 40 "$log" >&2; exit 1; }; }

meson_build() {  # meson_build PKG [options...]
  local pkg=$1; shift
  local b=$build/$pkg
  rm -rf "$b"
  run meson setup "$b" "${srcdir[$pkg]}" --cross-file "$prefix/cross.txt" --prefix "$prefix" \
    --libdir lib --buildtype release -Ddefault_library=shared --wrap-mode nodownload "$@"
  run ninja -C "$b" -j "$jobs"
  run meson install -C "$b" --no-rebuild
}

autotools_env() {
  export CC=$host-gcc CXX=$host-g++ AR=$host-ar RANLIB=$host-ranlib STRIP=$host-strip
  export WINDRES=$host-windres RC=$host-windres
  export PKG_CONFIG=$prefix/host-tools/$host-pkg-config
  export CPPFLAGS="-I$prefix/include" LDFLAGS="-L$prefix/lib" CFLAGS="-O2"
}

configure_build() {  # configure_build PKG SUBDIR [configure options...]; builds out of tree
  local pkg=$1 sub=$2; shift 2
  local b=$build/$pkg
  rm -rf "$b" && mkdir -p "$b"
  # Debian's patches touch configure.ac and m4 files after the generated files, so make
  # would rerun aclocal/automake (not installed, not wanted). One mtime for the whole tree
  # keeps the tarball's generated configure and Makefile.in.
  find "${srcdir[$pkg]}" -exec touch -h -d "@$(date +%s)" {} +
  ( cd "$b" && autotools_env &&
    run "${srcdir[$pkg]}/$sub/configure" --host=$host --build="$(dpkg-architecture -qDEB_BUILD_GNU_TYPE)" \
      --prefix="$prefix" --enable-shared --disable-static "$@" )
}

build_zlib() {
  # Debian's zlib source drops win32/ (and so win32/Makefile.gcc and the CMake resource
  # file), and zlib's configure makes no Windows DLL: build libz.a with configure, then
  # link it into zlib1.dll with an import library, as win32/Makefile.gcc would.
  local b=$build/zlib
  rm -rf "$b" && cp -a "${srcdir[zlib]}" "$b"
  ( cd "$b" && CHOST=$host CC=$host-gcc AR=$host-ar RANLIB=$host-ranlib CFLAGS=-O2 \
      run ./configure --static --prefix="$prefix" )
  run make -C "$b" -j "$jobs" libz.a
  run make -C "$b" install   # headers, libz.a, zlib.pc
  run $host-gcc -shared -o "$b/zlib1.dll" -Wl,--whole-archive "$b/libz.a" -Wl,--no-whole-archive \
    -Wl,--out-implib,"$prefix/lib/libz.dll.a"
  mkdir -p "$prefix/bin" && cp "$b/zlib1.dll" "$prefix/bin/"
  rm -f "$prefix/lib/libz.a"   # everything links the DLL
}

build_gettext() {
  # Only libintl (gettext-runtime/intl): GLib, Pango, GTK and ATK need it for translations.
  configure_build gettext gettext-runtime --disable-java --disable-csharp --disable-libasprintf \
    --disable-openmp --disable-curses --without-emacs --disable-rpath --without-libiconv-prefix \
    --without-libintl-prefix --enable-threads=windows --disable-c++ am_cv_func_iconv=no
  run make -C "$build/gettext/intl" -j "$jobs"
  run make -C "$build/gettext/intl" install
}

build_libffi() {
  configure_build libffi . --disable-docs --disable-multi-os-directory
  run make -C "$build/libffi" -j "$jobs"
  run make -C "$build/libffi" install
}

build_pcre2() {
  configure_build pcre2 . --enable-pcre2-8 --disable-pcre2-16 --disable-pcre2-32 \
    --enable-unicode --disable-pcre2grep-libz --disable-pcre2grep-libbz2 --disable-pcre2test-libedit
  run make -C "$build/pcre2" -j "$jobs"
  run make -C "$build/pcre2" install
}

build_glib2.0() {
  meson_build glib2.0 -Dtests=false -Dinstalled_tests=false -Dman=false -Dgtk_doc=false \
    -Dselinux=disabled -Dxattr=false -Dlibmount=disabled -Dlibelf=disabled -Dsysprof=disabled \
    -Dnls=enabled -Dglib_debug=disabled -Dglib_assert=false -Dglib_checks=true
}

build_libpng1.6() {
  configure_build libpng1.6 .
  run make -C "$build/libpng1.6" -j "$jobs"
  run make -C "$build/libpng1.6" install
}

build_pixman() {
  meson_build pixman -Dtests=disabled -Dgtk=disabled -Dlibpng=disabled -Dopenmp=disabled
}

build_freetype() {
  meson_build freetype -Dbrotli=disabled -Dbzip2=disabled -Dharfbuzz=disabled -Dpng=enabled \
    -Dzlib=system -Dtests=disabled
}

build_fribidi() {
  meson_build fribidi -Ddocs=false
}

build_harfbuzz() {
  meson_build harfbuzz -Dglib=enabled -Dgobject=disabled -Dcairo=disabled -Dfreetype=enabled \
    -Dicu=disabled -Dgraphite2=disabled -Dtests=disabled -Dintrospection=disabled \
    -Ddocs=disabled -Dbenchmark=disabled -Dchafa=disabled -Dgdi=disabled
}

build_cairo() {
  # cairo 1.16 has only autotools; its configure adds -D_FORTIFY_SOURCE=2, which on
  # mingw-w64 needs libssp for __memcpy_chk and friends. Passed as a linker flag: libtool
  # makes no DLL when it cannot vet a -l (gcc's own directory is not on its search path). Windows draws with the win32 surface and font backends;
  # FreeType/fontconfig, X11 and the script/trace tools are not used by GTK on Windows.
  configure_build cairo . --enable-win32 --enable-win32-font --disable-xlib --disable-xcb \
    --disable-xlib-xrender --disable-ft --disable-fc --enable-gobject --enable-png \
    --disable-trace --disable-interpreter --disable-symbol-lookup --disable-gtk-doc \
    --disable-full-testing --disable-valgrind ax_cv_c_float_words_bigendian=no LIBS=-Wl,-lssp
  run make -C "$build/cairo/src" -j "$jobs"
  run make -C "$build/cairo/src" install
  run make -C "$build/cairo/util/cairo-gobject" -j "$jobs"
  run make -C "$build/cairo/util/cairo-gobject" install
}

build_pango1.0() {
  meson_build pango1.0 -Dintrospection=disabled -Dgtk_doc=false -Dinstall-tests=false \
    -Dlibthai=disabled -Dxft=disabled -Dfontconfig=disabled -Dfreetype=disabled -Dcairo=enabled \
    -Dsysprof=disabled
}

build_gdk-pixbuf() {
  # Every loader built into the DLL: no loader modules to find at run time.
  meson_build gdk-pixbuf -Dpng=enabled -Djpeg=disabled -Dtiff=disabled \
    -Dbuiltin_loaders=all -Dintrospection=disabled -Dman=false \
    -Dgtk_doc=false -Dinstalled_tests=false -Dtests=false -Drelocatable=true
}

build_libepoxy() {
  meson_build libepoxy -Ddocs=false -Dtests=false -Degl=no -Dglx=no -Dx11=false
}

build_at-spi2-core() {
  # ATK only: AT-SPI needs D-Bus and X11, which Windows has not.
  meson_build at-spi2-core -Datk_only=true -Dx11=disabled -Dintrospection=disabled -Ddocs=false
}

build_libxml2() {
  # Windows has no iconv; libxml2's built-in UTF-8/UTF-16/Latin-1 handling is enough for .mmp.
  # Only the library, its headers and .pc: no xmllint, tests or docs.
  configure_build libxml2 . --without-python --without-lzma --with-zlib="$prefix" \
    --without-iconv --without-icu --without-http --without-ftp --without-debug \
    --without-readline
  run make -C "$build/libxml2" -j "$jobs" libxml2.la
  run make -C "$build/libxml2" install-libLTLIBRARIES install-pkgconfigDATA
  run make -C "$build/libxml2/include" install
}

build_gtk+3.0() {
  # Printing on Windows is GTK's win32 dialog: no print backend modules (print_backends
  # stays auto, which is none there; "file" is Unix-only).
  meson_build gtk+3.0 -Dx11_backend=false -Dwayland_backend=false -Dwin32_backend=true \
    -Dbroadway_backend=false -Dintrospection=false -Dgtk_doc=false -Dman=false -Ddemos=false \
    -Dexamples=false -Dtests=false -Dinstalled_tests=false \
    -Dcolord=no -Dcloudproviders=false -Dtracker3=false
}

# ---------------------------------------------------------------------------------------
# 5. The stack
# ---------------------------------------------------------------------------------------
stack_key() {
  {
    local pkg
    for pkg in "${packages[@]}"; do
      echo "$pkg ${version[$pkg]} $(cat "${srcdir[$pkg]}/.memscope-fetch" 2>/dev/null)"
    done
    dpkg-query -W -f='${Package} ${Version}\n' gcc-mingw-w64-x86-64-win32 mingw-w64-x86-64-dev
    cat "$stack_script"
    if [ -d "$patches" ]; then find "$patches" -type f | LC_ALL=C sort | xargs -r cat; fi
  } | sha256sum | cut -c1-16
}

apply_local_patches() {  # tiny patches of our own, build-aux/windows-patches/<pkg>/*.patch
  local pkg=$1 p
  [ -d "$patches/$pkg" ] || return 0
  for p in "$patches/$pkg"/*.patch; do
    [ -e "$p" ] || continue
    [ -f "${srcdir[$pkg]}/.memscope-patched-$(basename "$p")" ] && continue
    patch -d "${srcdir[$pkg]}" -p1 -s -N < "$p" >> "$log" 2>&1 || die "$p does not apply"
    touch "${srcdir[$pkg]}/.memscope-patched-$(basename "$p")"
  done
}

# After each install: .pc files name their own place (pkg-config's ${pcfiledir}) instead of
# the absolute prefix, and libtool's .la files (absolute paths, not needed by meson or by
# libtool when the .dll.a is there) go, so the finished prefix can be moved.
relocate_prefix() {
  local pc
  for pc in "$prefix"/lib/pkgconfig/*.pc "$prefix"/share/pkgconfig/*.pc; do
    [ -f "$pc" ] && sed -i "s|$prefix|\${pcfiledir}/../..|g" "$pc"
  done
  rm -f "$prefix"/lib/*.la
}

build_stack() {
  local pkg t0 t
  mkdir -p "$prefix/.stamps" "$logs" "$build"
  for pkg in "${packages[@]}"; do
    [ -f "$prefix/.stamps/$pkg" ] && continue
    log=$logs/$pkg.log; : > "$log"
    apply_local_patches "$pkg"
    say "building $pkg ${version[$pkg]} (log: $log)"
    t0=$(date +%s)
    "build_$pkg"
    relocate_prefix
    t=$(( $(date +%s) - t0 ))
    say "  $pkg done in ${t}s"
    echo "$t" > "$prefix/.stamps/$pkg"
  done
  {
    echo "# Windows GTK 3 stack for Memscope, built by build-aux/windows-bundle.sh"
    echo "key $key"
    t=0
    for pkg in "${packages[@]}"; do
      echo "$pkg ${version[$pkg]} build ${srcdir[$pkg]##*/} $(cat "$prefix/.stamps/$pkg")s $(cat "${srcdir[$pkg]}/.memscope-fetch" 2>/dev/null)"
      t=$(( t + $(cat "$prefix/.stamps/$pkg") ))
    done
    echo "total build time ${t}s (without fetching sources)"
  } > "$prefix/MANIFEST"
  touch "$prefix/.complete"
  rm -rf "$build"
}

# find_stack: install host tools, resolve sources and set key, prefix, build and logs.
find_stack() {
  install_host_tools
  ensure_deb_src
  mkdir -p "$cache/src"
  say "resolving source packages"
  local pkg
  for pkg in "${packages[@]}"; do resolve_source "$pkg"; done
  key=$(stack_key)
  prefix=$cache/$key
  build=$cache/build/$key
  logs=$cache/logs/$key
}

# ensure_stack: reuse the stack for the current key, or build it. The toolchain files are
# (re)written for wherever the prefix now is.
ensure_stack() {
  if [ -f "$prefix/.complete" ]; then
    write_toolchain_files
    say "reusing the stack in $prefix"
    return 0
  fi
  mkdir -p "$prefix"
  write_toolchain_files
  local t0; t0=$(date +%s)
  say "building the stack into $prefix with -j$jobs"
  build_stack
  say "stack built in $(( $(date +%s) - t0 ))s: $prefix ($(du -sh "$prefix" | cut -f1))"
}
