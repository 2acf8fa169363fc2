# Reads PULUMI_CONFIG for the synth output cache (scripts/synth-cache.bash). The value is taken from the environment,
# never from an argument, so no secret shows in a process list; nothing is written to disk.
#   -v mode=redact  print PULUMI_CONFIG with the text of every secret value replaced by "*": the config part of the
#                   cache key, so that the key never depends on (or reveals) a secret value.
#   -v mode=check   exit 0 when no secret value can occur in the program file `program`, 1 when one does or when that
#                   cannot be told from the text (the caller then runs the compiler, whose own check decides).
# keys: the file listing the secret keys ("namespace:key", one per line), as the compiler reported them.
# Exit 3: PULUMI_CONFIG is not the flat JSON object this script can read with certainty (escaped key, non-string
# secret, malformed text): the caller must not use the cache at all.
# Run with LC_ALL=C: lengths and character classes are bytes.

function fail() { exit 3 }

function skip_space() { while (i <= n && index(" \t\r\n", substr(s, i, 1)) > 0) i++ }

# At an opening quote: returns the string's raw text (escapes left as written) and moves past the closing quote.
function string_token(   start, c) {
    if (substr(s, i, 1) != "\"") fail()
    start = ++i
    while (i <= n) {
        c = substr(s, i, 1)
        if (c == "\\") { i += 2; continue }
        if (c == "\"") { i++; return substr(s, start, i - 1 - start) }
        if (c < " ") fail()
        i++
    }
    fail()
}

# Moves past one JSON value; its text stays in the key as written (any change to it changes the key).
function skip_value(   c, depth) {
    c = substr(s, i, 1)
    if (c == "\"") { string_token(); return }
    if (c == "{" || c == "[") {
        depth = 0
        while (i <= n) {
            c = substr(s, i, 1)
            if (c == "\"") { string_token(); continue }
            if (c == "{" || c == "[") depth++
            else if (c == "}" || c == "]") { if (--depth == 0) { i++; return } }
            i++
        }
        fail()
    }
    while (i <= n && index(",}] \t\r\n", substr(s, i, 1)) == 0) i++
}

# The compiler's check looks for secret values (4 characters or more) in the program's texts. The program file shows
# a text verbatim when it is printable ASCII without space, quotes or backslash (the writer never folds lines), so only
# such a value can be searched for in the file; a JSON-looking value is re-encoded by the compiler before its check.
function searchable(raw) { return raw ~ /^[!-~]*$/ && raw !~ /["'\\]/ && raw !~ /^[[{]/ }
function negligible(raw) { return length(raw) < 4 && raw ~ /^[ -~]*$/ && raw !~ /\\/ }

BEGIN {
    while ((got = (getline line < keys)) > 0) secret[line] = 1
    if (got < 0) fail()
    s = ENVIRON["PULUMI_CONFIG"]; n = length(s); i = 1; last = 1; out = ""; count = 0
    if (n > 0) {
        skip_space()
        if (substr(s, i, 1) != "{") fail()
        i++
        skip_space()
        if (substr(s, i, 1) == "}") i++
        else for (;;) {
            skip_space()
            key = string_token()
            if (index(key, "\\") > 0) fail()
            qualified = index(key, ":") > 0 ? key : "hainfra:" key
            skip_space()
            if (substr(s, i, 1) != ":") fail()
            i++
            skip_space()
            if (qualified in secret) {
                start = i
                value = string_token()
                out = out substr(s, last, start - last) "\"*\""
                last = i
                values[++count] = value
            } else skip_value()
            skip_space()
            c = substr(s, i++, 1)
            if (c == "}") break
            if (c != ",") fail()
        }
        skip_space()
        if (i <= n) fail()
        out = out substr(s, last)
    }

    if (mode == "redact") { printf "%s", out; exit 0 }
    if (mode != "check") fail()
    wanted = 0
    for (k = 1; k <= count; k++) {
        if (searchable(values[k])) { if (length(values[k]) >= 4) find[++wanted] = values[k] }
        else if (!negligible(values[k])) exit 1
    }
    while ((got = (getline line < program)) > 0)
        for (k = 1; k <= wanted; k++) if (index(line, find[k]) > 0) exit 1
    exit got < 0 ? 1 : 0
}
