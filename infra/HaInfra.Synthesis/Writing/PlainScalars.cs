namespace HaInfra.Synthesis.Writing;

/// <summary>
/// Decides when a string may be written without quotes. Conservative on purpose: anything a YAML 1.1 or 1.2
/// reader could take for a number, boolean, null, date or indicator is double-quoted, so "3306", "true" and
/// "0755" stay strings.
/// </summary>
public static class PlainScalars
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    };

    public static bool IsSafe(string text)
    {
        if (text.Length == 0 || Reserved.Contains(text) || !(char.IsAsciiLetter(text[0]) || text[0] is '/' or '$' or '_'))
        {
            return false;
        }

        if (text.EndsWith(':') || text.Contains(": ", StringComparison.Ordinal) || text.Contains(" #", StringComparison.Ordinal) || text.EndsWith(' '))
        {
            return false;
        }

        return !text.AsSpan().ContainsAnyExcept(Allowed);
    }

    // ASCII letters and digits and the punctuation a plain scalar may hold here; one vectorized scan per value.
    private static readonly System.Buffers.SearchValues<char> Allowed = System.Buffers.SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-./:@${}+=*()");
}
