#!/usr/bin/env bash
# Checks the one-way arrows of docs/architecture.md: every #include in src/<module>/ and
# include/sdc/ must name a module the table allows, and a third-party header may be included only
# by its adapter files (file names ending in _<suffix>, see the table "Adapters").
# Usage: check_layers.sh SOURCE_DIR. Prints every violation; exit 1 if any.
set -u
root=${1:?source dir}
doc="$root/docs/architecture.md"
declare -A allowed header_module adapter_of
# Layers table: | module | public headers | may include |
while IFS='|' read -r _ module headers deps _; do
  module=$(echo "$module" | tr -d ' `')
  [ -z "$module" ] && continue
  allowed[$module]=" $(echo "$deps" | tr -d '`,' | sed 's/—//') "
  for h in $(echo "$headers" | tr -d '`,' | sed 's/—//'); do header_module[$h]=$module; done
done < <(sed -n '/<!-- layers:begin -->/,/<!-- layers:end -->/p' "$doc" | grep '^| `')
# Adapters table: | third-party include prefix | file suffixes |
while IFS='|' read -r _ prefix suffixes _; do
  prefix=$(echo "$prefix" | tr -d ' `')
  [ -z "$prefix" ] && continue
  adapter_of[$prefix]=$(echo "$suffixes" | tr -d '`,')
done < <(sed -n '/<!-- adapters:begin -->/,/<!-- adapters:end -->/p' "$doc" | grep '^| `')
[ ${#allowed[@]} -gt 5 ] || { echo "no layer table found in $doc"; exit 1; }

bad=0
violation() { echo "$1"; bad=1; }
is_adapter() {  # file, suffix list
  local base=${1##*/}  # parameter expansion, not basename(1): no process per include
  base=${base%.*}
  for s in $2; do
    if [[ "$s" == */ ]]; then [[ "$1" == *"/$s"* ]] && return 0; else [[ "$base" == *_"$s" ]] && return 0; fi
  done
  return 1
}

check_file() {  # file module
  local f=$1 m=$2 line inc target
  while IFS= read -r line; do
    if [[ "$line" =~ ^#include\ \<sdc/([a-z_]+)\.hpp\> ]]; then
      inc=${BASH_REMATCH[1]}
      target=${header_module[$inc]:-}
      [ -z "$target" ] && { violation "$f: <sdc/$inc.hpp> is in no module of the table"; continue; }
    elif [[ "$line" =~ ^#include\ \"([a-z_]+)/([A-Za-z0-9_]+)\.hpp\" ]]; then
      target=${BASH_REMATCH[1]}
      inc=${BASH_REMATCH[2]}
      # An internal adapter header makes the includer an adapter of the same library.
      for p in "${!adapter_of[@]}"; do
        for s in ${adapter_of[$p]}; do
          [[ "$s" == */ ]] && continue
          if [[ "$inc" == *_"$s" ]] && ! is_adapter "$f" "$s"; then
            violation "$f: includes the $s adapter header $target/$inc.hpp but is not a *_$s file"
          fi
        done
      done
    elif [[ "$line" =~ ^#include\ \<([^\>]+)\> ]]; then
      inc=${BASH_REMATCH[1]}
      for p in "${!adapter_of[@]}"; do
        if [[ "$inc" == "$p"* ]] && ! is_adapter "$f" "${adapter_of[$p]}"; then
          violation "$f: includes <$inc> outside its adapter files (*_{${adapter_of[$p]// /,}})"
        fi
      done
      continue
    else
      continue
    fi
    [ "$target" = "$m" ] && continue
    [[ "${allowed[$m]:-}" == *" $target "* ]] || violation "$f ($m) includes $target, which the layer table does not allow"
  done < "$f"
}

for f in "$root"/include/sdc/*.hpp; do
  h=${f##*/}
  h=${h%.hpp}
  m=${header_module[$h]:-}
  [ -z "$m" ] && { violation "$f: the public header is in no module of the table"; continue; }
  check_file "$f" "$m"
done
while IFS= read -r f; do
  m=${f#"$root"/src/}
  m=${m%%/*}
  [ -n "${allowed[$m]+x}" ] || { violation "$f: src/$m is not in the layer table"; continue; }
  check_file "$f" "$m"
done < <(find "$root/src" -name '*.cpp' -o -name '*.hpp' | sort)
if [ $bad -eq 0 ]; then echo "layers: every include follows docs/architecture.md"; fi
exit $bad
