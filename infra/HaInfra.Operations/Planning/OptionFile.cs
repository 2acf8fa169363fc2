namespace HaInfra.Operations.Planning;

/// <summary>
/// A MariaDB option file (my.cnf) read as the server reads it: sections, keys in the server's spelling
/// (<see cref="ServerVariables.Normalize"/>), values unquoted with trailing comments removed. Comment lines (the generated
/// header among them) and <c>!include</c> directives are not options. A repeated key keeps its last value, except the
/// options the server accumulates (plugin_load_add, replicate_*), which keep every value in order.
/// </summary>
public sealed class OptionFile
{
    private static readonly HashSet<string> Accumulating = new(StringComparer.Ordinal)
    {
        "plugin_load_add", "binlog_do_db", "binlog_ignore_db", "replicate_do_db", "replicate_ignore_db", "replicate_do_table",
        "replicate_ignore_table", "replicate_wild_do_table", "replicate_wild_ignore_table", "replicate_rewrite_db",
    };

    private readonly SortedDictionary<(string Section, string Key), List<string>> _options;

    private OptionFile(SortedDictionary<(string Section, string Key), List<string>> options) => _options = options;

    public static OptionFile Empty => new(new(OptionOrder.Instance));

    /// <summary>Every (section, key) with its values, ordered by section, then key.</summary>
    public IEnumerable<(string Section, string Key, IReadOnlyList<string> Values)> Options =>
        _options.Select(o => (o.Key.Section, o.Key.Key, (IReadOnlyList<string>)o.Value));

    public IReadOnlyList<string>? Values(string section, string key) =>
        _options.TryGetValue((section.ToLowerInvariant(), ServerVariables.Normalize(key)), out var values) ? values : null;

    public static OptionFile Parse(string? text) => Empty.Then(text);

    /// <summary>This file with <paramref name="text"/> read after it, as an <c>!include</c>d file or a later overlay is.</summary>
    public OptionFile Then(string? text)
    {
        var options = new SortedDictionary<(string, string), List<string>>(OptionOrder.Instance);
        foreach (var (key, values) in _options)
        {
            options[key] = [.. values];
        }

        string? section = null;
        foreach (var raw in (text ?? "").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';' or '!')
            {
                continue;
            }

            if (line[0] == '[')
            {
                var end = line.IndexOf(']', StringComparison.Ordinal);
                section = (end > 0 ? line[1..end] : line[1..]).Trim().ToLowerInvariant();
                continue;
            }

            // An option before any section is ignored by the server too (it warns); so is it here.
            if (section is null)
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = ServerVariables.Normalize(equals < 0 ? line : line[..equals]);
            var value = equals < 0 ? "" : Unquote(StripComment(line[(equals + 1)..]).Trim());
            if (!options.TryGetValue((section, key), out var list) || !Accumulating.Contains(key))
            {
                options[(section, key)] = list = [];
            }

            list.Add(value);
        }

        return new OptionFile(options);
    }

    /// <summary>A <c>#</c> outside quotes ends the value, as in the server's own reader.</summary>
    private static string StripComment(string value)
    {
        char? quote = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (quote is null && c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == quote)
            {
                quote = null;
            }
            else if (quote is null && c == '#')
            {
                return value[..i];
            }
        }

        return value;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0] ? value[1..^1] : value;

    private sealed class OptionOrder : IComparer<(string Section, string Key)>
    {
        public static readonly OptionOrder Instance = new();

        public int Compare((string Section, string Key) x, (string Section, string Key) y)
        {
            var section = string.CompareOrdinal(x.Section, y.Section);
            return section != 0 ? section : string.CompareOrdinal(x.Key, y.Key);
        }
    }
}
