using HaInfra.Model.Config;

namespace HaInfra.Model.Validation;

/// <summary>Collects every validation error; knows which paths the reader already reported as unreadable.</summary>
internal sealed class ValidationContext
{
    private readonly IReadOnlySet<string> _unreadable;

    public ValidationContext(List<ConfigError> errors, IReadOnlySet<string> unreadable)
    {
        Errors = errors;
        _unreadable = unreadable;
    }

    public List<ConfigError> Errors { get; }

    public void Add(string path, string? value, string problem, string fix) => Errors.Add(new ConfigError(path, value, problem, fix));

    /// <summary>Whether a value at <paramref name="path"/> was already reported: rules that combine it with others skip it (one error per mistake).</summary>
    public bool Reported(string path) => _unreadable.Contains(path) || Errors.Any(e => e.Path == path);

    /// <summary>Reports a required value that is absent, unless the reader already reported it as malformed.</summary>
    public void Missing(string path, string what, string fix)
    {
        if (!_unreadable.Contains(path))
        {
            Add(path, null, $"{what} is missing.", fix);
        }
    }

    /// <summary>Parses a spelled enum, reporting a missing or unknown value; returns null on failure.</summary>
    public TEnum? Parse<TEnum>(string? text, string path, Spelling<TEnum> spelling, string what, TEnum? fallback = null)
        where TEnum : struct, Enum
    {
        if (text is null)
        {
            if (fallback is null)
            {
                Missing(path, what, $"set it to one of: {spelling.Choices}.");
            }

            return fallback;
        }

        if (spelling.TryParse(text, out var value))
        {
            return value;
        }

        Add(path, text, $"is not a known {what}.", $"use one of: {spelling.Choices}.");
        return null;
    }

    public void InRange(long? value, string path, long min, long max, string unit)
    {
        if (value is { } v && (v < min || v > max))
        {
            Add(path, v.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"is out of range.", $"use a value from {min} to {max} {unit}.");
        }
    }
}
