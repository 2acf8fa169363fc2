# Decides whether ./hainfra must rebuild the CLI, in the shell alone: the wrapper runs before every `synth` Pulumi
# starts, and a `find` over the sources cost a process start each time. Sourced by ./hainfra.
# The build stamp (.build/cli/.sources) lists the source files the build saw; it is written when the build starts and
# kept only when the build succeeds. The CLI is stale when there is no stamp or dll, when the list of sources differs
# (a file added, removed or renamed), or when any source is newer than the stamp.
shopt -s extglob

# Sets CLI_SOURCES to every file the CLI build reads from the checkout $1 (build outputs under bin/ and obj/ aside),
# and the wrapper itself, which holds the publish command.
# Leaves globstar and nullglob on: the wrapper needs neither off.
cli_sources() {
  shopt -s globstar nullglob
  CLI_SOURCES=("$1"/@(hainfra|Directory.Build.props|Directory.Packages.props|global.json|nuget.config)
    "$1"/infra/*.@(cs|csproj|props|targets|json) "$1"/infra/*/*.@(cs|csproj|props|targets|json)
    "$1"/infra/*/!(bin|obj)/**/*.@(cs|csproj|props|targets|json))
}

# Status 0 when the CLI in directory $2 must be built from the checkout $1.
cli_stale() {
  local root="$1" stamp="$2/.sources" f listed current
  [ -f "$2/hainfra.dll" ] && [ -f "$stamp" ] || return 0
  cli_sources "$root"
  printf -v current '%s\n' "${CLI_SOURCES[@]}"
  IFS= read -r -d '' listed < "$stamp" || true
  [ "$current" = "$listed" ] || return 0
  for f in "${CLI_SOURCES[@]}"; do
    [[ $f -nt $stamp ]] && return 0
  done
  return 1
}

# Writes the stamp for a build that starts now to $1 (moved into place once the build succeeded).
cli_stamp() {
  cli_sources "$2"
  printf '%s\n' "${CLI_SOURCES[@]}" > "$1"
}
