# Output cache for `./hainfra synth`, sourced by ./hainfra. Pulumi runs the compiler on every preview and up with the
# same inputs, and a .NET start that loads, validates, renders and checks costs ~10x a bare `dotnet` start, so an
# unchanged synth is answered here, in bash, without starting .NET at all. README "The synth cache" has the rules.
#
# Key: one hash over everything the program text depends on — the CLI build (size, mtime, inode of the app, its
# assemblies and the json files naming every package and runtime version), the dotnet host and
# the runtimes installed beside it, this script and its awk program, HAINFRA_ROOT, PULUMI_STACK/PROJECT/ORGANIZATION/
# ROOT_DIRECTORY, PULUMI_CONFIG_SECRET_KEYS, Pulumi.yaml and every file under templates/ and stacks/ (size, mtime,
# inode and text) — plus the list of secret keys and PULUMI_CONFIG with those keys' values blanked out. The program
# never holds a secret value, so the key must not depend on one, and nothing derived from one is stored.
# Which keys are secret is the compiler's own answer (it reads the stack file's `secure:` values), kept per stack in
# secret-keys.<stack> (names only). That list is part of the key, and an entry is only ever stored under the list the
# compiler gave for those very inputs, so an out-of-date list can only miss, never hit.
# Entries: <key>.yaml (the program, written by rename) and <key>.cksum (its CRC and length: a damaged or half-written
# entry is ignored), stored only after a run that exited 0. A hit re-runs the one check that depends on secret
# values: none may occur in the text.

synth_cache_trace() { [ -z "${HAINFRA_SYNTH_CACHE_TRACE:-}" ] || echo "synth cache: $*" >&2; }

# Sets SYNTH_CACHE_FILES to the input files and SYNTH_CACHE_STATS to every path whose size, mtime and inode are part of
# the key; $1: the CLI build directory. Called in subshells only (a pipeline, a command substitution): the shell
# options it sets stay there.
synth_cache_paths() {
  local cli="$1" root="$HAINFRA_ROOT" dotnet f
  shopt -s globstar nullglob dotglob
  SYNTH_CACHE_FILES=()
  for f in "$root/Pulumi.yaml" "$root"/templates/** "$root"/stacks/**; do
    [ -f "$f" ] && SYNTH_CACHE_FILES+=("$f")
  done
  # The dotnet on PATH, and the runtimes beside the real one (resolved by the wrapper when it built the CLI).
  hash dotnet 2>/dev/null || return 1
  [ -f "$cli/.dotnet" ] && IFS= read -r dotnet < "$cli/.dotnet" || dotnet="$(readlink -f -- "${BASH_CMDS[dotnet]}")" || return 1
  # The cache's own scripts are in too: a change to how keys are made must not meet entries made the old way.
  # The build: our own assemblies, the app, and the json files naming every package and
  # runtime version it was built with; any publish rewrites these (the ~200 runtime dlls beside them go with them).
  SYNTH_CACHE_STATS=("${BASH_CMDS[dotnet]}" "$dotnet" "${dotnet%/*}"/shared/Microsoft.NETCore.App/*/
    "$cli"/hainfra.* "$cli"/HaInfra.*.dll "$cli"/*.json "${BASH_SOURCE[0]}" "$SYNTH_CACHE_AWK" "${SYNTH_CACHE_FILES[@]}")
}

# Prints the size, mtime and inode of every input path.
synth_cache_stats() { stat -L -c '%n %s %.9Y %i' -- "${SYNTH_CACHE_STATS[@]}"; }

# Prints every input except PULUMI_CONFIG; $1: the CLI build directory. Runs in a subshell (a pipeline).
synth_cache_inputs() {
  local name f text
  synth_cache_paths "$1" || return 1
  echo "hainfra synth cache v1"
  printf 'root %q\n' "$HAINFRA_ROOT"
  for name in PULUMI_STACK PULUMI_PROJECT PULUMI_ORGANIZATION PULUMI_ROOT_DIRECTORY PULUMI_CONFIG_SECRET_KEYS; do
    printf '%s %s %q\n' "$name" "${!name+set}" "${!name-}"
  done
  # Sizes, mtimes and inodes first; then the texts (read by the shell: no process per file).
  synth_cache_stats || return 1
  for f in "${SYNTH_CACHE_FILES[@]}"; do
    IFS= read -r -d '' text < "$f" || true
    printf '%s\n%s\n' "$f" "$text"
  done
}

# Prints the cache key: the inputs, the secret key list $2 and PULUMI_CONFIG without secret values, hashed.
# Status 3: PULUMI_CONFIG is not read with certainty (or an input is unreadable): do not cache.
synth_cache_key() {
  local - sum
  set -o pipefail
  sum="$({ synth_cache_inputs "$1"; LC_ALL=C "$SYNTH_CACHE_AWK_BIN" -v mode=redact -v keys="$2" -f "$SYNTH_CACHE_AWK"; } | sha256sum)" || return 3
  echo "${sum%% *}"
}

# Runs the compiler command ($3...) through the cache in directory $2; $1 is the CLI build directory.
synth_cached() {
  local cli="$1" cache="$2" keys key want got
  shift 2
  SYNTH_CACHE_AWK="${BASH_SOURCE[0]%/*}/synth-cache.awk"
  # mawk starts in 2/3 of gawk's time; the script is POSIX awk and runs on either.
  if command -v mawk >/dev/null; then SYNTH_CACHE_AWK_BIN=mawk; else SYNTH_CACHE_AWK_BIN=awk; fi
  if ! command -v sha256sum >/dev/null || ! command -v cksum >/dev/null || ! command -v "$SYNTH_CACHE_AWK_BIN" >/dev/null ||
      ! command -v dotnet >/dev/null; then
    synth_cache_trace "off (sha256sum, cksum, awk or dotnet missing)"
    "$@"
    return
  fi

  local stack="${PULUMI_STACK-}"
  keys="$cache/secret-keys.${stack//[^A-Za-z0-9_.-]/_}"
  # The check for secret values in the text needs a process only when some key is secret.
  if [ -f "$keys" ] && key="$(synth_cache_key "$cli" "$keys")" && [ -f "$cache/$key.yaml" ] && [ -f "$cache/$key.cksum" ] &&
      IFS= read -r want < "$cache/$key.cksum" && got="$(cksum < "$cache/$key.yaml")" && [ "$got" = "$want" ] &&
      { [ ! -s "$keys" ] ||
        LC_ALL=C "$SYNTH_CACHE_AWK_BIN" -v mode=check -v keys="$keys" -v program="$cache/$key.yaml" -f "$SYNTH_CACHE_AWK"; }; then
    synth_cache_trace "hit"
    cat -- "$cache/$key.yaml"
    return
  fi

  synth_cache_trace "miss"
  synth_cache_fill "$cli" "$cache" "$keys" "$@"
}

# Runs the compiler, prints what it printed, and stores the program when it exited 0 and nothing it read changed.
synth_cache_fill() {
  local cli="$1" cache="$2" keys="$3" tmp before rc=0 key
  shift 3
  [ -d "$cache" ] || (umask 077 && mkdir -p -- "$cache") || { "$@"; return; }
  tmp="$cache/.run.$$"
  # A list left behind by an earlier run under this process id must not pass for this run's.
  [ ! -e "$tmp.keys" ] || rm -f -- "$tmp.keys"
  # Sizes, mtimes and inodes before and after the run: an edit made while the compiler ran must not be stored as its
  # output (the key itself, with the texts, is taken after the run).
  before="$(synth_cache_paths "$cli" && synth_cache_stats)" || before=unreadable
  HAINFRA_SYNTH_SECRET_KEYS_OUT="$tmp.keys" "$@" > "$tmp" || rc=$?
  cat -- "$tmp" || rc=1
  # Stored under the secret key list the compiler gave for exactly these inputs.
  if [ "$rc" -eq 0 ] && [ -f "$tmp.keys" ] && [ "$(synth_cache_paths "$cli" && synth_cache_stats)" = "$before" ] &&
      key="$(synth_cache_key "$cli" "$tmp.keys")" && cksum < "$tmp" > "$cache/$key.cksum" && mv -f -- "$tmp" "$cache/$key.yaml" &&
      mv -f -- "$tmp.keys" "$keys"; then
    # Now and then, entries of inputs that have not come back for two weeks.
    [ $((RANDOM % 16)) -ne 0 ] || find "$cache" -maxdepth 1 -type f -mtime +14 -delete 2>/dev/null || true
    return 0
  fi
  rm -f -- "$tmp" "$tmp.keys"
  return "$rc"
}
