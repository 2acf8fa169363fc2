using System.Text;
using HaInfra.Model.Validation;

namespace HaInfra.Model.Config;

/// <summary>The one way to get a <see cref="Topology"/>: raw config, then DTO, then every rule, then the model.</summary>
public static class TopologyLoader
{
    public static LoadResult Load(RawStackConfig raw)
    {
        var errors = new List<ConfigError>(raw.ParseErrors);
        if (errors.Count > 0 && raw.Values.Count == 0)
        {
            return new LoadResult(raw.Source, null, errors);
        }

        var reader = new NodeReader(errors);
        var dto = TopologyDtoReader.Read(raw, reader, errors);
        TopologyValidator.Check(dto, new ValidationContext(errors, reader.Unreadable));
        return errors.Count > 0
            ? new LoadResult(raw.Source, null, errors)
            : new LoadResult(raw.Source, TopologyBuilder.Build(dto), []);
    }

    public static LoadResult LoadStack(string stacksDirectory, string stack) =>
        Load(StackFileReader.Read(stacksDirectory, stack));
}

public sealed record LoadResult(string Source, Topology? Topology, IReadOnlyList<ConfigError> Errors)
{
    public bool Ok => Topology is not null;

    /// <summary>A report listing every problem, for stderr.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        var noun = Errors.Count == 1 ? "problem" : "problems";
        text.AppendLine($"error: {Source}: {Errors.Count} {noun}; nothing was rendered, written or started.");
        foreach (var error in Errors)
        {
            text.AppendLine($"  - {error}");
        }

        return text.ToString();
    }
}
