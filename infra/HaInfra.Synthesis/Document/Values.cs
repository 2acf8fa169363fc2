namespace HaInfra.Synthesis.Document;

/// <summary>
/// A value in a Pulumi YAML program. Literal text and references are kept apart, so the writer can escape every
/// literal '$' (Pulumi reads "$$" as "$") and a script's own "${var}" never turns into a Pulumi reference.
/// </summary>
public abstract record PValue
{
    public static implicit operator PValue(string text) => new PText(text);

    public static implicit operator PValue(int number) => new PNumber(number);

    public static implicit operator PValue(bool flag) => new PBool(flag);
}

/// <summary>Literal text, written exactly (its '$' escaped).</summary>
public sealed record PText(string Value) : PValue;

/// <summary>A reference to a resource output, a variable or a config value: <c>${root.path}</c>.</summary>
public sealed record PRef(string Root, string? Path = null) : PValue
{
    public PRef this[string property] => new(Root, Path is null ? property : $"{Path}.{property}");

    public override string ToString() => Path is null ? $"${{{Root}}}" : $"${{{Root}.{Path}}}";
}

/// <summary>One string made of literal text and references, e.g. <c>"${bucket.arn}/full/*"</c>.</summary>
public sealed record PInterpolation(IReadOnlyList<PValue> Parts) : PValue;

public sealed record PNumber(long Value) : PValue;

public sealed record PBool(bool Value) : PValue;

public sealed record PList(IReadOnlyList<PValue> Items) : PValue;

/// <summary>An ordered map; the order is the order written, so output is deterministic.</summary>
public sealed record PMap(IReadOnlyList<KeyValuePair<string, PValue>> Entries) : PValue
{
    public static readonly PMap Empty = new([]);

    public PValue? this[string key] => Entries.FirstOrDefault(e => e.Key == key).Value;
}

/// <summary>A built-in function call: <c>{ "fn::name": argument }</c>.</summary>
public sealed record PFunction(string Name, PValue Argument) : PValue
{
    public string Key => $"fn::{Name}";
}
