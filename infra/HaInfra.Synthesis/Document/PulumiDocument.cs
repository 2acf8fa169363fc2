namespace HaInfra.Synthesis.Document;

/// <summary>
/// A whole Pulumi YAML program. <see cref="ToTree"/> gives the exact map the writer prints and the checks inspect,
/// so what is checked is what is printed.
/// </summary>
public sealed record PulumiDocument(string Name, string Description, PMap Config, PMap Variables, IReadOnlyList<Resource> Resources, PMap Outputs)
{
    public PMap ToTree() => P.Map(
        ("name", Name),
        ("description", Description),
        ("config", Config.Entries.Count > 0 ? Config : null),
        ("variables", Variables.Entries.Count > 0 ? Variables : null),
        ("resources", P.Map(Resources.Select(r => (r.Name, (PValue)P.Map(
            ("type", r.Type),
            ("properties", r.Properties.Entries.Count > 0 ? r.Properties : null),
            ("options", r.Options.Entries.Count > 0 ? r.Options : null)))))),
        ("outputs", Outputs.Entries.Count > 0 ? Outputs : null));
}
