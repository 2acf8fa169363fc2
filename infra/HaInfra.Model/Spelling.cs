namespace HaInfra.Model;

/// <summary>
/// The one spelling of each enum value: what users write in a stack file, or what a server reads.
/// Keeping the table next to the enum stops spellings from drifting apart across renderers and SQL.
/// </summary>
public sealed class Spelling<TEnum>
    where TEnum : struct, Enum
{
    private readonly (TEnum Value, string Text)[] _entries;

    public Spelling(params (TEnum Value, string Text)[] entries)
    {
        _entries = entries;
        foreach (var value in Enum.GetValues<TEnum>())
        {
            if (!entries.Any(e => e.Value.Equals(value)))
            {
                throw new ArgumentException($"{typeof(TEnum).Name}.{value} has no spelling", nameof(entries));
            }
        }
    }

    /// <summary>All spellings, in declaration order, for "use one of …" hints.</summary>
    public string Choices => string.Join(", ", _entries.Select(e => e.Text));

    public string Of(TEnum value) => _entries.First(e => e.Value.Equals(value)).Text;

    public bool TryParse(string? text, out TEnum value)
    {
        foreach (var (candidate, spelled) in _entries)
        {
            if (string.Equals(spelled, text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
