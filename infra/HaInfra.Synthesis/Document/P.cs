namespace HaInfra.Synthesis.Document;

/// <summary>Short constructors for program values, so synthesizers read like the program they write.</summary>
public static class P
{
    /// <summary>A map of the entries whose value is not null (optional properties are simply left out).</summary>
    public static PMap Map(params (string Key, PValue? Value)[] entries) =>
        new([.. entries.Where(e => e.Value is not null).Select(e => KeyValuePair.Create(e.Key, e.Value!))]);

    public static PMap Map(IEnumerable<(string Key, PValue Value)> entries) =>
        new([.. entries.Select(e => KeyValuePair.Create(e.Key, e.Value))]);

    public static PList List(params PValue[] items) => new(items);

    public static PList List(IEnumerable<PValue> items) => new([.. items]);

    public static PList Texts(IEnumerable<string> items) => new([.. items.Select(i => (PValue)i)]);

    /// <summary>One string of literal parts and references, e.g. Join(bucket.Arn, "/full/*").</summary>
    public static PInterpolation Join(params PValue[] parts) => new(parts);

    public static PFunction ToJson(PValue value) => new("toJSON", value);

    public static PFunction Secret(PValue value) => new("secret", value);

    /// <summary>A provider function call through an explicit provider; <paramref name="returnKey"/> picks one result field.</summary>
    /// <param name="arguments">Null for a function that takes none (the call then has no arguments key).</param>
    public static PFunction Invoke(string function, PMap? arguments, PRef provider, string? returnKey = null) =>
        new("invoke", Map(("function", function), ("arguments", arguments), ("options", Map(("provider", provider))), ("return", returnKey is null ? null : new PText(returnKey))));

    /// <summary>
    /// Text in which some exact substrings stand for references (e.g. a rendered file holding "${disk.id}"): those
    /// become references, everything else stays literal.
    /// </summary>
    public static PValue Splice(string text, IReadOnlyList<PRef> references)
    {
        var parts = new List<PValue>();
        var rest = text;
        while (rest.Length > 0)
        {
            var next = references
                .Select(r => (Ref: r, At: rest.IndexOf(r.ToString(), StringComparison.Ordinal)))
                .Where(x => x.At >= 0)
                .OrderBy(x => x.At)
                .FirstOrDefault();
            if (next.Ref is null)
            {
                parts.Add(new PText(rest));
                break;
            }

            if (next.At > 0)
            {
                parts.Add(new PText(rest[..next.At]));
            }

            parts.Add(next.Ref);
            rest = rest[(next.At + next.Ref.ToString().Length)..];
        }

        return parts.Count == 1 ? parts[0] : new PInterpolation(parts);
    }
}
