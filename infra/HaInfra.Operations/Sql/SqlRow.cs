using System.Globalization;

namespace HaInfra.Operations.Sql;

/// <summary>One result row, read by column name. Values are kept as the server sent them.</summary>
public sealed class SqlRow
{
    private readonly Dictionary<string, object?> _values;

    public SqlRow(IDictionary<string, object?> values) => _values = new Dictionary<string, object?>(values, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Columns => _values.Keys;

    public bool Has(string column) => _values.ContainsKey(column);

    public string? Text(string column)
    {
        if (!_values.TryGetValue(column, out var value))
        {
            throw new KeyNotFoundException($"column '{column}' is not in the result (columns: {string.Join(", ", _values.Keys)})");
        }

        return value switch
        {
            null or DBNull => null,
            byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }

    public long? Number(string column) =>
        Text(column) is { Length: > 0 } text ? long.Parse(text, CultureInfo.InvariantCulture) : null;
}
