# Output cache for `./hainfra synth`, sourced by ./hainfra. Pulumi runs the compiler on every preview and up with the
# same inputs, and a .NET start that loads, validates, renders and checks costs ~10x a bare `dotnet` start, so an
# unchanged synth is answered here, in bash, without starting .NET at all. README "The synth cache" has the rules.
#
# Key: one hash over everything the program text depends on — the CLI build (size, mtime, inode of every dll and json
# beside it), the dotnet host and the runtimes installed beside it, this script and its awk program, HAINFRA_ROOT,
# PULUMI_STACK/PROJECT/ORGANIZATION/ROOT_DIRECTORY, PULUMI_CONFIG_SECRET_KEYS, Pulumi.yaml and every file under
# templates/ and stacks/ (size, mtime, inode and text) — plus the list of secret keys and PULUMI_CONFIG with those
# keys' values blanked out. The program never holds a secret value, so the key must not depend on one, and nothing
# derived from one is stored.
# Which keys are secret is the compiler's own answer (it reads the stack file's `secure:` values), kept per stack in
# secret-keys.<stack> (names only). That list is part of the key, and an entry is only ever stored under the list the
# compiler gave for those very inputs, so an out-of-date list can only miss, never hit.
# Entries: <key>.yaml (the program) and <key>.cksum (its CRC and length: a damaged entry is ignored), written by
# rename, only after a run that exited 0. A hit re-runs the one check that depends on secret values: none may occur
# in the text.

synth_cache_trace() { [ -z "${HAINFRA_SYNTH_CACHE_TRACE:-}" ] || echo "synth cache: $*" >&2; }

# Prints every input except PULUMI_CONFIG; $1: the CLI build directory. Runs in a subshell (a pipeline), so the shell
# options stay local.
synth_cache_inputs() {
  local cli="$1" root="$HAINFRA_ROOT" dotnet name f text
  shopt -s globstar nullglob dotglob
  local files=()
  for f in "$root/Pulumi.yaml" "$root"/templates/** "$root"/stacks/**; do
    [ -f "$f" ] && files+=("$f")
  done
  # The dotnet on PATH, and the runtimes beside the real one (resolved by the wrapper when it built the CLI).
  hash dotnet 2>/dev/null || return 1
  [ -f "$cli/.dotnet" ] && IFS= read -r dotnet < "$cli/.dotnet" || dotnet="$(readlink -f -- "${BASH_CMDS[dotnet]}")" || return 1
  echo "hainfra synth cache v1"
  printf 'root %q\n' "$root"
  for name in PULUMI_STACK PULUMI_PROJECT PULUMI_ORGANIZATION PULUMI_ROOT_DIRECTORY PULUMI_CONFIG_SECRET_KEYS; do
    printf '%s %s %q\n' "$name" "${!name+set}" "${!name-}"
  done
  # Sizes, mtimes and inodes first; then the texts (read by the shell: no process per file).
  # The cache's own scripts are in too: a change to how keys are made must not meet entries made the old way.
  stat -L -c '%n %s %.9Y %i' -- "${BASH_CMDS[dotnet]}" "$dotnet" "${dotnet%/*}"/shared/Microsoft.NETCore.App/*/ \
    "$cli"/*.dll "$cli"/*.json "${BASH_SOURCE[0]}" "$SYNTH_CACHE_AWK" "${files[@]}" || return 1
  for f in "${files[@]}"; do
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
  local - cli="$1" cache="$2" keys="$3" tmp rc=0 before key
  set -o pipefail
  shift 3
  (umask 077 && mkdir -p -- "$cache") && tmp="$(mktemp -- "$cache/.run.XXXXXXXX")" || { "$@"; return; }
  before="$(synth_cache_inputs "$cli" | sha256sum)" || before=unreadable
  HAINFRA_SYNTH_SECRET_KEYS_OUT="$tmp.keys" "$@" > "$tmp" || rc=$?
  cat -- "$tmp" || rc=1
  # Stored only when the inputs hash the same after the run as before it (an edit made while the compiler ran must not
  # be stored as its output), under the secret key list the compiler gave for exactly these inputs.
  if [ "$rc" -eq 0 ] && [ -f "$tmp.keys" ] && [ "$(synth_cache_inputs "$cli" | sha256sum)" = "$before" ] &&
      key="$(synth_cache_key "$cli" "$tmp.keys")"; then
    cksum < "$tmp" > "$tmp.sum" &&
      mv -f -- "$tmp" "$cache/$key.yaml" && mv -f -- "$tmp.sum" "$cache/$key.cksum" && mv -f -- "$tmp.keys" "$keys"
    # Entries of inputs that have not come back for two weeks.
    find "$cache" -maxdepth 1 -type f -mtime +14 -delete 2>/dev/null || true
  fi
  rm -f -- "$tmp" "$tmp.keys" "$tmp.sum"
  return "$rc"
}
