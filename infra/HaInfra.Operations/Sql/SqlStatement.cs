namespace HaInfra.Operations.Sql;

/// <summary>
/// A statement with named parameters (@name). Values travel separately from the text, so the text can be
/// logged and shown in errors while passwords given as parameters never are.
/// </summary>
public sealed record SqlStatement(string Text, IReadOnlyDictionary<string, object?> Parameters)
{
    public static implicit operator SqlStatement(string text) => new(text, new Dictionary<string, object?>());

    public static SqlStatement With(string text, params (string Name, object? Value)[] parameters) =>
        new(text, parameters.ToDictionary(p => p.Name, p => p.Value is Secret s ? s.Reveal() : p.Value, StringComparer.Ordinal));

    public override string ToString() => Text;
}
