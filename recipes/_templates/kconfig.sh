{% comment %} Kconfig, shared by busybox and linux: included (not extended) inside a configure block, it
   defines two shell functions. A defconfig target (allnoconfig, tinyconfig) gives the base, a
   fragment of ours names what differs, and the result is read back, because Kconfig silently
   drops a symbol whose dependencies are unmet, and such a build succeeds and then fails to boot.
{% endcomment %}
# kconfig_merge CONFIG FRAGMENT: each symbol FRAGMENT names replaces its line in CONFIG (set, or
# "is not set"); the rest of CONFIG stays. Older kconfigs (busybox's) cannot merge with
# KCONFIG_ALLCONFIG, so this does it by hand; a make olddefconfig or oldconfig settles the rest.
kconfig_merge() {
  awk 'function sym(l) { if (l ~ /^CONFIG_[A-Za-z0-9_]+=/) { sub(/=.*/, "", l); return l }
                         if (l ~ /^# CONFIG_[A-Za-z0-9_]+ is not set$/) { split(l, f, " "); return f[2] }
                         return "" }
       NR == FNR { s = sym($0); if (s != "") { if (!(s in last)) order[n++] = s; last[s] = $0 }; next }
       { s = sym($0); if (!(s in last)) print }
       END { for (i = 0; i < n; i++) print last[order[i]] }' "$2" "$1" > "$1.merged"
  mv "$1.merged" "$1"
}
# kconfig_check CONFIG FRAGMENT WHO FIX: every value FRAGMENT asks for (its last request for a
# symbol wins; =n means "is not set") is what CONFIG holds; otherwise name each one that is not,
# with what CONFIG has, and say where to fix it.
kconfig_check() {
  awk '/^CONFIG_[A-Za-z0-9_]+=/ { s = $0; sub(/=.*/, "", s) }
       /^# CONFIG_[A-Za-z0-9_]+ is not set$/ { s = $2 }
       s != "" { if (!(s in last)) order[n++] = s; last[s] = $0; s = "" }
       END { for (i = 0; i < n; i++) print last[order[i]] }' "$2" > "$2.want"
  kconfig_bad=0
  while IFS= read -r line; do
    case $line in
    CONFIG_*=n) line="# ${line%=n} is not set" ;;
    esac
    case $line in
    CONFIG_*=*)
      if ! grep -qxF -- "$line" "$1"; then
        echo "$3: asked for $line, the config has: $(grep -E "^(# )?${line%%=*}[= ]" "$1" || echo nothing)" >&2
        kconfig_bad=1
      fi ;;
    "# CONFIG_"*" is not set")
      sym=${line#\# }; sym=${sym%% *}
      if grep -q "^$sym=" "$1" && ! grep -qx "$sym=n" "$1"; then
        echo "$3: asked for $sym off, the config has: $(grep "^$sym=" "$1")" >&2
        kconfig_bad=1
      fi ;;
    esac
  done < "$2.want"
  if [ "$kconfig_bad" != 0 ]; then
    echo "$3: a dependency is missing, the symbol was renamed, or something selects it; fix $4" >&2
    exit 1
  fi
}
